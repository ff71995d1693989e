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
        rejects: rejects, stderr: stderr, foreign: options.foreign)
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
  let foreignMode: ForeignMode
  var source = "<stdin>"
  var summary = Summary()
  /// Whether batch lines that open as `{"batch":[` take the batch fast path (tests and the
  /// fuzz target turn it off to compare it with the general path).
  var batchFastPath = true

  init(
    validator: EventValidator, reporter: RejectReporter, sink: Sink, rejects: OutputBuffer?,
    stderr: OutputBuffer, foreign: ForeignMode = .reject
  ) {
    self.validator = validator
    self.reporter = reporter
    self.sink = sink
    self.rejects = rejects
    self.stderr = stderr
    self.foreignMode = foreign
  }

  mutating func handle(_ line: Line) -> Flow {
    summary.lines += 1
    if line.isBlank {
      summary.blank += 1
      sink.skipped(line, blank: true)
      return .proceed
    }
    // A batch that opens as `{"batch":[`: its elements are scanned once each, the line
    // never whole (BatchLine). Other batches are found by `validate`.
    if batchFastPath && BatchLine.mayOpen(line.bytes) && validator.recogniseBatch(line) {
      return batch(line, validator.batchLine.elements(of: line.bytes))
    }
    if validator.validate(line) {
      summary.valid += 1
      if !validator.warnings.isEmpty { summary.countWarnings(validator.warnings) }
      return sink.accept(line, validator)
    }
    if let (open, close) = validator.batchArray {
      return batch(
        line, BatchLine.Elements(BatchElements(line.bytes, open: open, close: close)))
    }
    return notAnEvent(line, item: nil)
  }

  /// A line or batch element that `validate` did not accept: foreign (under `--foreign
  /// skip|pass`) or rejected.
  @inline(never)
  private mutating func notAnEvent(_ line: Line, item: Int?) -> Flow {
    if foreignMode != .reject, validator.isForeign() {
      summary.foreign += 1
      sink.foreign(line)
      return foreignMode == .pass ? sink.passThrough(line) : .proceed
    }
    summary.countRejected(validator.errors)
    reporter.report(line, source: source, problems: validator.errors, item: item)
    sink.skipped(line, blank: false)
    return rejects?.failure == nil ? .proceed : .stop
  }

  /// A batch line (SPEC §2 "Batches"): each element checked and accounted for on its own,
  /// as if it were a line, and handed to the sink as one (wa-validate writes it as a line
  /// of its own, its bytes as they stand in the batch).
  @inline(never)
  private mutating func batch(_ line: Line, _ elements: BatchLine.Elements) -> Flow {
    summary.batches += 1
    sink.batchStarted(line)
    defer { sink.batchEnded() }
    var elements = elements
    var item = 0
    while let range = elements.next() {
      summary.batchItems += 1
      let element = Line(
        bytes: UnsafeRawBufferPointer(rebasing: line.bytes[range]), number: line.number,
        length: range.count)
      let flow: Flow
      if validator.validateElement(element) {
        summary.valid += 1
        if !validator.warnings.isEmpty { summary.countWarnings(validator.warnings) }
        flow = sink.accept(element, validator)
      } else {
        flow = notAnEvent(element, item: item)
      }
      if flow == .stop { return .stop }
      item += 1
    }
    return .proceed
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
