/// A tool: its description, how its arguments become options, and its run. An executable's
/// `main.swift` is one call, `Tool.validate.main()`.
protocol CommandLineTool {
  associatedtype Options
  /// Help, man page, completions and flag reference come from this.
  static var description: ToolDescription { get }
  /// Builds and checks the options before any I/O.
  static func options(_ args: ParsedArguments) throws(UsageError) -> Options
  /// Runs to the end of the inputs (or a stop) and returns the exit status.
  static func run(_ options: Options, stderr: OutputBuffer) -> ExitStatus
}

extension CommandLineTool {
  /// Starts the tool on the process's arguments, runs it and exits.
  static func main() -> Never {
    let stderr = OutputBuffer(fd: FileDescriptor.standardError, capacity: 1 << 14)
    let options = Console.start(
      description, arguments: Array(CommandLine.arguments.dropFirst()), stderr: stderr
    ) { args throws(UsageError) in try Self.options(args) }
    run(options, stderr: stderr).exit()
  }
}
