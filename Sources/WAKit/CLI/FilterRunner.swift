/// Where valid events go: wa-validate writes them unchanged, wa-enrich splices fields into
/// them, wa-aggregate folds them into metrics.
public protocol EventSink {
  /// A valid event; `validator` holds its fields. Returns `.stop` when output failed.
  mutating func accept(_ line: Line, _ validator: EventValidator) -> Flow
  /// A line that is not an event: blank, or rejected. A sink that reports how its input
  /// was accounted for (wa-aggregate's snapshots) counts it; others ignore it.
  mutating func skipped(_ line: Line, blank: Bool)
  /// Writes out anything buffered (input is idle, or the run is ending).
  mutating func flush()
  /// The first output failure, if any.
  var outputFailure: IOError? { get }
  /// How long the reader may wait for input before `timerFired` (`-1`: for ever).
  mutating func idleTimeout() -> Int32
  mutating func timerFired() -> Flow
  mutating func chunkProcessed() -> Flow
  /// The run is over (end of input, a signal, or a closed pipe).
  mutating func finish(interrupted: Bool)
}

extension EventSink {
  public mutating func skipped(_ line: Line, blank: Bool) {}
  public mutating func idleTimeout() -> Int32 { -1 }
  public mutating func timerFired() -> Flow { .proceed }
  public mutating func chunkProcessed() -> Flow { .proceed }
  public mutating func finish(interrupted: Bool) { flush() }
}

/// What a sink does with the version 2 kinds of input (SPEC §2): foreign lines, batches.
///
/// Kept apart from `EventSink`, whose requirements are public API (which is not to grow):
/// the handler reaches these through a cast, made only on those lines (never on an event's
/// path), so a sink that does not conform simply ignores them.
package protocol BatchAwareSink: EventSink {
  /// A foreign line under `--foreign skip` or `pass`: counted by a sink that reports how
  /// its input was accounted for.
  mutating func foreign(_ line: Line)
  /// A foreign line under `--foreign pass`: written through untouched, as wa-validate
  /// writes valid lines. Returns `.stop` when output failed.
  mutating func passThrough(_ line: Line) -> Flow
  /// A batch line begins: its elements follow (`accept`, `skipped`, `foreign`), then
  /// `batchEnded`. A sink that counts lines counts this one line here, and the elements as
  /// items.
  mutating func batchStarted(_ line: Line)
  mutating func batchEnded()
}

extension BatchAwareSink {
  package mutating func foreign(_ line: Line) {}
  package mutating func passThrough(_ line: Line) -> Flow { .proceed }
  package mutating func batchStarted(_ line: Line) {}
  package mutating func batchEnded() {}
}

/// Runs a filter: reads every input line by line, validates each, counts it, reports the
/// rejected ones and hands the valid ones to the sink; then writes the summary and returns
/// the exit status (SPEC §3): 0 all valid, 1 some rejected (0 with `--exit-zero`), 3 an
/// input could not be read or output could not be written. A closed output pipe stops the
/// run quietly: the rejects file and `--summary-json` are finished, stderr stays silent.
public struct FilterRunner<Sink: EventSink> {
  public let tool: String
  public let options: FilterOptions
  public let stderr: OutputBuffer

  public init(tool: String, options: FilterOptions, stderr: OutputBuffer) {
    self.tool = tool
    self.options = options
    self.stderr = stderr
  }

  /// Runs to the end of the inputs (or a stop) and returns the summary and exit status.
  public func run(sink: inout Sink) -> (summary: Summary, status: Int32) {
    let outputs: RunOutputs
    do {
      outputs = try RunOutputs.open(
        rejectsPath: options.rejectsPath, summaryJSONPath: options.summaryJSONPath)
    } catch {
      stderr.write("\(tool): \(error.message)\n")
      stderr.flush()
      return (Summary(), 3)
    }
    let reporter = RejectReporter(
      tool: tool, version: WATools.version, rejects: outputs.rejects, diagnostics: stderr,
      quiet: options.quiet)
    var handler = FilterHandler(
      validator: EventValidator(strict: options.strict), reporter: reporter, sink: sink,
      rejects: outputs.rejects, stderr: stderr, foreign: options.foreign)
    let reader = LineReader(maxLineBytes: options.maxLineBytes)
    let outcome = InputLoop.read(
      options.inputs, with: reader, into: &handler, tool: tool, stderr: stderr)
    handler.summary.unreadableInputs += outcome.unreadable
    handler.sink.finish(interrupted: outcome.interrupted)
    sink = handler.sink
    let summary = handler.summary
    let outputFailed = outputs.finish(
      mainFailure: sink.outputFailure,
      summaryJSON: summary.json(tool: tool, version: WATools.version),
      summaryText: summary.text(tool: tool), tool: tool, stderr: stderr)
    let ioFailed = outcome.unreadable > 0 || outputFailed
    return (summary, Self.status(summary, ioFailed: ioFailed, exitZero: options.exitZero))
  }

  static func status(_ s: Summary, ioFailed: Bool, exitZero: Bool) -> Int32 {
    if ioFailed { return 3 }
    return s.rejected > 0 && !exitZero ? 1 : 0
  }
}

/// The per-line work of a filter run.
struct FilterHandler<Sink: EventSink>: InputLineHandler {
  let validator: EventValidator
  let reporter: RejectReporter
  var sink: Sink
  let rejects: OutputBuffer?
  let stderr: OutputBuffer
  let foreignMode: ForeignMode
  var source = "<stdin>"
  var summary = Summary()

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
    if validator.validate(line) {
      summary.valid += 1
      if !validator.warnings.isEmpty { summary.countWarnings(validator.warnings) }
      return sink.accept(line, validator)
    }
    if let (open, close) = validator.batchArray { return batch(line, open: open, close: close) }
    return notAnEvent(line, item: nil)
  }

  /// A line or batch element that `validate` did not accept: foreign (under `--foreign
  /// skip|pass`) or rejected.
  @inline(never)
  private mutating func notAnEvent(_ line: Line, item: Int?) -> Flow {
    if foreignMode != .reject, validator.isForeign() {
      summary.foreign += 1
      let pass = foreignMode == .pass
      return withBatchAwareSink { sink in
        sink.foreign(line)
        return pass ? sink.passThrough(line) : .proceed
      }
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
  private mutating func batch(_ line: Line, open: Int, close: Int) -> Flow {
    summary.batches += 1
    _ = withBatchAwareSink { sink in
      sink.batchStarted(line)
      return .proceed
    }
    defer {
      _ = withBatchAwareSink { sink in
        sink.batchEnded()
        return .proceed
      }
    }
    var elements = BatchElements(line.bytes, open: open, close: close)
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

  /// Calls `body` with the sink as a `BatchAwareSink`, when it is one.
  private mutating func withBatchAwareSink(_ body: (inout any BatchAwareSink) -> Flow) -> Flow {
    guard var aware = sink as? any BatchAwareSink else { return .proceed }
    let flow = body(&aware)
    if let back = aware as? Sink { sink = back }
    return flow
  }

  mutating func inputIdle() -> Int32 {
    sink.flush()
    rejects?.flush()
    stderr.flush()
    return sink.idleTimeout()
  }

  mutating func timerFired() -> Flow { sink.timerFired() }
  mutating func chunkProcessed() -> Flow { sink.chunkProcessed() }
}

/// The sink of wa-validate: valid lines out byte for byte, each ended by `\n`.
public struct PassThroughSink: EventSink, BatchAwareSink {
  public let out: OutputBuffer

  public init(out: OutputBuffer) { self.out = out }

  @inline(__always)
  public mutating func accept(_ line: Line, _ validator: EventValidator) -> Flow {
    out.write(line.bytes)
    out.write(byte: 0x0A)
    return out.failure == nil ? .proceed : .stop
  }

  package mutating func passThrough(_ line: Line) -> Flow {
    out.write(line.bytes)
    out.write(byte: 0x0A)
    return out.failure == nil ? .proceed : .stop
  }

  public mutating func flush() { out.flush() }
  public var outputFailure: IOError? { out.failure }
}
