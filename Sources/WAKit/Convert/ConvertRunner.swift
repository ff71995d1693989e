/// Runs wa-convert: reads every input line by line, converts each body (or rejects it, with
/// a rejects record or a diagnostic as wa-validate does), then writes the summary and
/// returns the exit status — the same contract as the other filters (SPEC §3, §8): 0 no
/// body rejected, 1 some rejected (0 with `--exit-zero`), 3 an input could not be read or
/// output could not be written. Skipped items never change the status: they are counted.
public struct ConvertRunner {
  public let tool = "wa-convert"
  public let options: ConvertOptions
  public let stderr: OutputBuffer

  public init(options: ConvertOptions, stderr: OutputBuffer) {
    self.options = options
    self.stderr = stderr
  }

  public func run(out: OutputBuffer) -> (summary: ConvertSummary, status: Int32) {
    let filter = options.filter
    let outputs: RunOutputs
    do {
      outputs = try RunOutputs.open(
        rejectsPath: filter.rejectsPath, summaryJSONPath: filter.summaryJSONPath)
    } catch {
      stderr.write("\(tool): \(error.message)\n")
      stderr.flush()
      return (ConvertSummary(), 3)
    }
    let reporter = RejectReporter(
      tool: tool, version: WATools.version, rejects: outputs.rejects, diagnostics: stderr,
      quiet: filter.quiet)
    let converter = WebhookConverter(
      options: .init(noSent: options.noSent, includeReactions: options.includeReactions))
    var handler = ConvertHandler(
      converter: converter, reporter: reporter, out: out, rejects: outputs.rejects,
      stderr: stderr)
    let reader = LineReader(maxLineBytes: filter.maxLineBytes)
    let outcome = InputLoop.read(
      filter.inputs, with: reader, into: &handler, tool: tool, stderr: stderr)
    var summary = handler.summary
    summary.lines.unreadableInputs += outcome.unreadable
    out.flush()
    let outputFailed = outputs.finish(
      mainFailure: out.failure, summaryJSON: summary.json(tool: tool, version: WATools.version),
      summaryText: summary.text(tool: tool), tool: tool, stderr: stderr)
    if outcome.unreadable > 0 || outputFailed { return (summary, 3) }
    return (summary, summary.lines.rejected > 0 && !filter.exitZero ? 1 : 0)
  }
}

/// The per-line work of a wa-convert run.
struct ConvertHandler: InputLineHandler {
  let converter: WebhookConverter
  let reporter: RejectReporter
  let out: OutputBuffer
  let rejects: OutputBuffer?
  let stderr: OutputBuffer
  var source = "<stdin>"
  var summary = ConvertSummary()

  mutating func handle(_ line: Line) -> Flow {
    summary.lines.lines += 1
    if line.isBlank {
      summary.lines.blank += 1
      return .proceed
    }
    if converter.convert(line, to: out) {
      summary.add(converter.tally)
      return out.failure == nil ? .proceed : .stop
    }
    summary.lines.countRejected(converter.problems)
    reporter.report(line, source: source, problems: converter.problems)
    return rejects?.failure == nil ? .proceed : .stop
  }

  /// Nothing more to read right now: flush, so a `tail -F` pipeline sees each event at once.
  mutating func inputIdle() -> Int32 {
    out.flush()
    rejects?.flush()
    stderr.flush()
    return -1
  }
}
