/// A run that turns each input line into output or rejects it — the filters (track events
/// in) and wa-convert (webhook bodies in). What does not depend on what a line becomes is
/// written once here: opening the rejects and summary files before any input, reading
/// every input in order, and finishing (summary file, output errors, the summary line,
/// the exit status of SPEC §3). A closed output pipe stops the run quietly: the rejects
/// file and `--summary-json` are finished, stderr stays silent.
struct LineRun {
  let tool: String
  let options: FilterOptions
  let stderr: OutputBuffer

  /// Runs a handler that `makeHandler` builds around the run's reject reporter and rejects
  /// file, and returns it (nil when an output could not be opened) with the exit status.
  func run<Handler: LineRunHandler>(
    _ makeHandler: (_ reporter: RejectReporter, _ rejects: OutputBuffer?) -> Handler
  ) -> (handler: Handler?, status: ExitStatus) {
    guard let reader = LineReader(allocatingFor: options.maxLineBytes) else {
      stderr.write("\(tool): \(LineReader.allocationFailure(options.maxLineBytes))\n")
      stderr.flush()
      return (nil, .ioFailure)
    }
    let outputs: RunOutputs
    do {
      outputs = try RunOutputs.open(
        rejectsPath: options.rejectsPath, summaryJSONPath: options.summaryJSONPath)
    } catch {
      // A signal that ended the wait to open a FIFO (`--rejects`, `--summary-json`) is a
      // stop, as for an input: the run ends as at any other moment, with its summary line,
      // not with `cannot open FIFO: Interrupted system call` and the signal's status.
      guard Signals.stopRequested else {
        stderr.write("\(tool): \(TerminalEscape.escape(error.message))\n")
        stderr.flush()
        return (nil, .ioFailure)
      }
      outputs = RunOutputs(rejects: nil, summaryFD: nil)
    }
    let reporter = RejectReporter(
      tool: tool, version: WATools.version, rejects: outputs.rejects, diagnostics: stderr,
      quiet: options.quiet)
    var handler = makeHandler(reporter, outputs.rejects)
    let outcome = InputLoop.read(
      options.inputs, with: reader, into: &handler, tool: tool, stderr: stderr,
      outputs: [FileDescriptor.standardOutput] + [outputs.rejects?.fd].compactMap { $0 })
    handler.summary.countUnreadable(outcome.unreadable)
    let mainFailure = handler.finish(interrupted: outcome.interrupted)
    let summary = handler.summary
    let outputFailed = outputs.finish(
      mainFailure: mainFailure, summaryJSON: summary.json(tool: tool, version: WATools.version),
      summaryText: summary.summaryLine(tool: tool), tool: tool, stderr: stderr)
    let status = ExitStatus.of(
      rejected: summary.rejectedLines, ioFailed: outcome.unreadable > 0 || outputFailed,
      exitZero: options.exitZero)
    return (handler, status)
  }
}

/// The per-line work of a `LineRun`, and its account of the lines.
protocol LineRunHandler: InputLineHandler {
  associatedtype Account: RunSummary
  var summary: Account { get set }
  /// The inputs are done, or a signal or a closed pipe stopped them: finish the main
  /// output and return its first failure.
  mutating func finish(interrupted: Bool) -> IOError?
}

/// The end-of-run account of a `LineRun`: written to `--summary-json`, and as one line on
/// stderr.
protocol RunSummary {
  /// Lines rejected (exit status 1 unless `--exit-zero`).
  var rejectedLines: Int { get }
  mutating func countUnreadable(_ inputs: Int)
  func json(tool: String, version: String) -> String
  func summaryLine(tool: String) -> String
}

extension Summary: RunSummary {
  var rejectedLines: Int { rejected }
  mutating func countUnreadable(_ inputs: Int) { unreadableInputs += inputs }
  func summaryLine(tool: String) -> String { text(tool: tool) }
}
