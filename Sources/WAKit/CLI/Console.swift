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
