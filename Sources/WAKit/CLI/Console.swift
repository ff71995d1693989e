/// The few things an executable prints outside a run: help, version, usage errors.
public enum Console {
  /// Writes `text` to stdout (help and version go to stdout, SPEC §8) and exits 0, or 3 if
  /// the text could not be written.
  public static func printAndExit(_ text: String) -> Never {
    let out = OutputBuffer(fd: FileDescriptor.standardOutput)
    out.write(text)
    out.flush()
    Signals.exit(status: out.failure == nil || out.failure == .closedPipe ? 0 : 3)
  }

  /// Reports a usage error on stderr with a pointer to `--help`, and exits 2.
  public static func usageError(tool: String, _ error: UsageError, stderr: OutputBuffer) -> Never {
    stderr.write("\(tool): \(error.message)\nTry '\(tool) --help' for more information.\n")
    stderr.flush()
    Signals.exit(status: 2)
  }
}

extension Console {
  /// The start of every tool: installs the signal policy, parses the arguments against
  /// `flags`, answers `--help` and `--version`, and turns a usage error into status 2.
  /// Returns the options `build` makes of the arguments.
  public static func start<Options>(
    tool: String, usage: String, flags: [Flag], stderr: OutputBuffer,
    _ build: (ParsedArguments) throws(UsageError) -> Options
  ) -> Options {
    Signals.install()
    FileDescriptor.enlargePipe(FileDescriptor.standardInput)
    FileDescriptor.enlargePipe(FileDescriptor.standardOutput)
    do {
      let args = try ArgumentParser.parse(Array(CommandLine.arguments.dropFirst()), flags: flags)
      if args.has("help") { printAndExit(usage) }
      if args.has("version") { printAndExit("\(tool) \(WATools.version)\n") }
      return try build(args)
    } catch {
      usageError(tool: tool, error, stderr: stderr)
    }
  }

  /// Runs a filter to the end and exits with its status: 0 after SIGTERM, SIGINT re-raised
  /// (SPEC §8).
  public static func runFilter<Sink: EventSink>(
    tool: String, options: FilterOptions, sink: inout Sink, stderr: OutputBuffer
  ) -> Never {
    let result = FilterRunner<Sink>(tool: tool, options: options, stderr: stderr).run(sink: &sink)
    Signals.exit(status: Signals.pending == 0 ? result.status : 0)
  }
}
