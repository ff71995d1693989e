/// The few things a tool prints outside a run: help, version, generated documents, usage
/// errors.
enum Console {
  /// Writes `text` to stdout (help and version go to stdout, SPEC §8) and exits 0, or 3 with
  /// a message, like any other failed write, if it could not be written (`--help >
  /// /dev/full`); a closed pipe is not a failure.
  static func printAndExit(_ text: String, tool: String, stderr: OutputBuffer) -> Never {
    let out = OutputBuffer(fd: FileDescriptor.standardOutput)
    out.write(text)
    out.flush()
    guard let failure = out.failure, failure != .closedPipe else { ExitStatus.success.exit() }
    stderr.write("\(tool): \(failure.message)\n")
    stderr.flush()
    ExitStatus.ioFailure.exit()
  }

  /// Reports a usage error on stderr with a pointer to `--help`, and exits 2.
  static func usageError(tool: String, _ error: UsageError, stderr: OutputBuffer) -> Never {
    // Escaped whole: a message may quote a file name or value from the command line.
    let message = TerminalEscape.escape(error.message)
    stderr.write("\(tool): \(message)\nTry '\(tool) --help' for more information.\n")
    stderr.flush()
    ExitStatus.usage.exit()
  }

  /// The start of every tool: installs the signal policy, parses `arguments` against the
  /// tool's flags, answers `--help`, `--version` and `--generate-doc`, and turns a usage
  /// error into status 2. Returns the options `build` makes of the arguments.
  static func start<Options>(
    _ tool: ToolDescription, arguments: [String], stderr: OutputBuffer,
    _ build: (ParsedArguments) throws(UsageError) -> Options
  ) -> Options {
    FileDescriptor.occupyClosedStandardDescriptors()
    Signals.install()
    FileDescriptor.standardInput.enlargePipe()
    FileDescriptor.standardOutput.enlargePipe()
    do throws(UsageError) {
      let args = try FlagParser.parse(arguments, flags: tool.flags)
      if args.has("help") { printAndExit(tool.help, tool: tool.name, stderr: stderr) }
      if args.has("version") {
        printAndExit("\(tool.name) \(WATools.version)\n", tool: tool.name, stderr: stderr)
      }
      if let name = args.value("generate-doc") {
        guard let format = DocumentFormat(rawValue: name) else {
          let formats = DocumentFormat.allCases.map(\.rawValue).joined(separator: ", ")
          throw UsageError("--generate-doc takes one of \(formats)")
        }
        printAndExit(format.render(tool), tool: tool.name, stderr: stderr)
      }
      return try build(args)
    } catch {
      usageError(tool: tool.name, error, stderr: stderr)
    }
  }
}
