// Pipeline: what every tool shares between its arguments and its library work — the tool
// description (help, man page, completions, flag reference), the start-up, the inputs and
// outputs of a run, the line run that validates or converts and reports rejects, and the
// exit status.

/// How a run ended, as the exit status the shell sees (SPEC §3, §8). Every status a tool
/// returns is one of these; `exit()` is the one place a tool process ends.
enum ExitStatus: Int32, Sendable, CaseIterable {
  /// Every line was good (or `--exit-zero`).
  case success = 0
  /// A line was rejected (not an event, not a webhook body, not a snapshot).
  case rejected = 1
  /// The command line was wrong.
  case usage = 2
  /// An input could not be read or an output could not be written.
  case ioFailure = 3

  /// The status of a run that reads lines and may reject some: an I/O failure outranks
  /// rejected lines, and `--exit-zero` forgives the latter only.
  static func of(rejected: Int, ioFailed: Bool, exitZero: Bool = false) -> ExitStatus {
    if ioFailed { return .ioFailure }
    return rejected > 0 && !exitZero ? .rejected : .success
  }

  /// What the status means, in a tool's words when it has its own (`rejected` for one).
  static let commonMeanings: [ExitStatus: String] = [
    .usage: "usage error",
    .ioFailure: "an input could not be read or output could not be written",
  ]

  /// Ends the process. After SIGTERM the status is 0: being asked to stop is a normal end,
  /// and the outputs were finished; SIGINT is re-raised so that a calling script stops too.
  func exit() -> Never {
    Signals.exit(status: Signals.pending == 0 ? rawValue : ExitStatus.success.rawValue)
  }
}
