/// Runs wa-convert: reads every input line by line, converts each body (or rejects it, with
/// a rejects record or a diagnostic as wa-validate does), then writes the summary and
/// returns the exit status — the same contract as the other filters (SPEC §3, §8), as it is
/// the same `LineRun`. Skipped items never change the status: they are counted.
struct ConvertRunner {
  let tool = "wa-convert"
  let options: ConvertOptions
  let stderr: OutputBuffer

  init(options: ConvertOptions, stderr: OutputBuffer) {
    self.options = options
    self.stderr = stderr
  }

  func run(out: OutputBuffer) -> (summary: ConvertSummary, status: ExitStatus) {
    let converter = WebhookConverter(
      options: .init(
        noSent: options.noSent, includeReactions: options.includeReactions,
        includeWelcome: options.includeWelcome))
    let (handler, status) = LineRun(tool: tool, options: options.filter, stderr: stderr).run {
      reporter, rejects in
      ConvertHandler(
        converter: converter, reporter: reporter, out: out, rejects: rejects, stderr: stderr)
    }
    return (handler?.summary ?? ConvertSummary(), status)
  }
}

/// The per-line work of a wa-convert run.
struct ConvertHandler: LineRunHandler {
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

  mutating func finish(interrupted: Bool) -> IOError? {
    out.flush()
    return out.failure
  }
}
