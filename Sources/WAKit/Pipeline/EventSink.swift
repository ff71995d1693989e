/// Where valid events go: wa-validate writes them unchanged, wa-enrich splices fields into
/// them, wa-aggregate folds them into metrics.
protocol EventSink {
  /// A valid event; `validator` holds its fields. Returns `.stop` when output failed.
  mutating func accept(_ line: Line, _ validator: EventValidator) -> Flow
  /// A line that is not an event: blank, or rejected. A sink that reports how its input
  /// was accounted for (wa-aggregate's snapshots) counts it; others ignore it.
  mutating func skipped(_ line: Line, blank: Bool)
  /// A foreign line or batch element under `--foreign skip` or `pass` (SPEC §2): counted
  /// by a sink that reports how its input was accounted for.
  mutating func foreign(_ line: Line)
  /// A foreign line under `--foreign pass`: written through untouched, as wa-validate
  /// writes valid lines. Returns `.stop` when output failed.
  mutating func passThrough(_ line: Line) -> Flow
  /// A batch line begins: its elements follow (`accept`, `skipped`, `foreign`), then
  /// `batchEnded`. A sink that counts lines counts this one line here, and the elements
  /// as its items.
  mutating func batchStarted(_ line: Line)
  mutating func batchEnded()
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
  mutating func skipped(_ line: Line, blank: Bool) {}
  mutating func foreign(_ line: Line) {}
  mutating func passThrough(_ line: Line) -> Flow { .proceed }
  mutating func batchStarted(_ line: Line) {}
  mutating func batchEnded() {}
  mutating func idleTimeout() -> Int32 { -1 }
  mutating func timerFired() -> Flow { .proceed }
  mutating func chunkProcessed() -> Flow { .proceed }
  mutating func finish(interrupted: Bool) { flush() }
}

/// The sink of wa-validate: valid lines out byte for byte, each ended by `\n`.
struct PassThroughSink: EventSink {
  let out: OutputBuffer

  init(out: OutputBuffer) { self.out = out }

  @inline(__always)
  mutating func accept(_ line: Line, _ validator: EventValidator) -> Flow {
    out.write(line.bytes)
    out.write(byte: 0x0A)
    return out.failure == nil ? .proceed : .stop
  }

  mutating func passThrough(_ line: Line) -> Flow {
    out.write(line.bytes)
    out.write(byte: 0x0A)
    return out.failure == nil ? .proceed : .stop
  }

  mutating func flush() { out.flush() }
  var outputFailure: IOError? { out.failure }
}
