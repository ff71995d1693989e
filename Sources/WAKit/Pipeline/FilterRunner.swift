/// Runs a filter: reads every input line by line, validates each, counts it, reports the
/// rejected ones and hands the valid ones to the sink; then writes the summary and returns
/// the exit status (SPEC §3): 0 all valid, 1 some rejected (0 with `--exit-zero`), 3 an
/// input could not be read or output could not be written.
struct FilterRunner<Sink: EventSink> {
  let tool: String
  let options: FilterOptions
  let stderr: OutputBuffer

  init(tool: String, options: FilterOptions, stderr: OutputBuffer) {
    self.tool = tool
    self.options = options
    self.stderr = stderr
  }

  /// Runs to the end of the inputs (or a stop) and returns the summary and exit status.
  func run(sink: inout Sink) -> (summary: Summary, status: ExitStatus) {
    let (handler, status) = LineRun(tool: tool, options: options, stderr: stderr).run {
      reporter, rejects in
      FilterHandler(
        validator: EventValidator(strict: options.strict), reporter: reporter, sink: sink,
        rejects: rejects, stderr: stderr)
    }
    guard let handler else { return (Summary(), status) }
    sink = handler.sink
    return (handler.summary, status)
  }
}

/// The per-line work of a filter run.
struct FilterHandler<Sink: EventSink>: LineRunHandler {
  let validator: EventValidator
  let reporter: RejectReporter
  var sink: Sink
  let rejects: OutputBuffer?
  let stderr: OutputBuffer
  var source = "<stdin>"
  var summary = Summary()

  init(
    validator: EventValidator, reporter: RejectReporter, sink: Sink, rejects: OutputBuffer?,
    stderr: OutputBuffer
  ) {
    self.validator = validator
    self.reporter = reporter
    self.sink = sink
    self.rejects = rejects
    self.stderr = stderr
  }

  mutating func handle(_ line: Line) -> Flow {
    summary.lines += 1
    if line.isBlank {
      summary.blank += 1
      sink.skipped(line, blank: true)
      return .proceed
    }
    if validator.validate(line) {
      summary.valid += 1
      if !validator.warnings.isEmpty { summary.countWarnings(validator.warnings) }
      return sink.accept(line, validator)
    }
    summary.countRejected(validator.errors)
    reporter.report(line, source: source, problems: validator.errors)
    sink.skipped(line, blank: false)
    return rejects?.failure == nil ? .proceed : .stop
  }

  mutating func inputIdle() -> Int32 {
    sink.flush()
    rejects?.flush()
    stderr.flush()
    return sink.idleTimeout()
  }

  mutating func timerFired() -> Flow { sink.timerFired() }
  mutating func chunkProcessed() -> Flow { sink.chunkProcessed() }

  mutating func finish(interrupted: Bool) -> IOError? {
    sink.finish(interrupted: interrupted)
    return sink.outputFailure
  }
}
