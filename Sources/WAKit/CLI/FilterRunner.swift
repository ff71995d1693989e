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
      rejects: outputs.rejects, stderr: stderr)
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
}

/// The sink of wa-validate: valid lines out byte for byte, each ended by `\n`.
public struct PassThroughSink: EventSink {
  public let out: OutputBuffer

  public init(out: OutputBuffer) { self.out = out }

  @inline(__always)
  public mutating func accept(_ line: Line, _ validator: EventValidator) -> Flow {
    out.write(line.bytes)
    out.write(byte: 0x0A)
    return out.failure == nil ? .proceed : .stop
  }

  public mutating func flush() { out.flush() }
  public var outputFailure: IOError? { out.failure }
}
