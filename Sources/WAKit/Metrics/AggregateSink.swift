/// The sink of wa-aggregate: folds events into an `Aggregator` and writes snapshots.
///
/// When (SPEC §5): after every `every` events; every `interval` of wall-clock time, also
/// while the input is idle (the reader waits at most until the next one is due, then calls
/// `timerFired`), on a fixed schedule measured on the monotonic clock from the start, with
/// missed ticks skipped rather than bunched; and once more at the end — end of input, a
/// signal, or a closed pipe — marked `"final":true`. Each snapshot line is flushed as soon
/// as it is written, so a `tail -F` pipeline sees it at once.
///
/// With `--window`, window records too: a window's first complete record as soon as the
/// stream clock passes its end plus grace (checked after every event), and on every
/// snapshot occasion (every N, interval, end) each window changed since it was last written.
/// Window records come before the snapshot of the same occasion.
struct AggregateSink: EventSink {
  let out: OutputBuffer
  var aggregator: Aggregator
  /// Snapshot after every N events (`--every`), or nil.
  let every: Int?
  /// Snapshot every this many nanoseconds (`--interval`), or nil.
  let interval: Int64?
  /// The monotonic clock (injectable for tests).
  let monotonic: () -> Int64
  private var nextDue: Int64 = 0
  private var eventsUntilSnapshot: Int
  var snapshotsWritten = 0
  /// `--no-snapshots`: window records only.
  let snapshots: Bool
  var windowRecordsWritten = 0
  /// Where the state is saved (`--state FILE`), or nil.
  var state: StateSaver? = nil
  /// `--state -`: standard output carries the state in its text form at the end, recorded
  /// with the run's options (this fingerprint), and no snapshots or window records.
  var stateToOutput: StateFingerprint? = nil

  init(
    out: OutputBuffer, aggregator: Aggregator, every: Int? = nil, interval: Int64? = nil,
    snapshots: Bool = true, monotonic: @escaping () -> Int64 = EventTime.monotonic
  ) {
    self.out = out
    self.aggregator = aggregator
    self.snapshots = snapshots
    self.every = every
    self.interval = interval
    self.monotonic = monotonic
    eventsUntilSnapshot = every ?? Int.max
    if let interval { nextDue = monotonic() + interval }
  }

  mutating func accept(_ line: Line, _ validator: EventValidator) -> Flow {
    aggregator.add(validator)
    return eventAdded()
  }

  /// What follows each event's fold, in both modes (`AggregatePipeline` calls it on the
  /// folding thread): its conversation records, due window records, `--every` snapshots.
  @inline(__always)
  mutating func eventAdded() -> Flow {
    if !aggregator.records.isEmpty { writeRecords() }
    if aggregator.windowsDue { writeWindows(.due) }
    eventsUntilSnapshot -= 1
    if eventsUntilSnapshot == 0 {
      eventsUntilSnapshot = every ?? Int.max
      writeWindows(.tick)
      writeSnapshot(final: false)
    }
    return out.failure == nil ? .proceed : .stop
  }

  mutating func skipped(_ line: Line, blank: Bool) {
    aggregator.skipped(blank: blank)
  }

  mutating func foreign(_ line: Line) { aggregator.foreign() }
  mutating func batchStarted(_ line: Line) { aggregator.batchStarted() }
  mutating func batchEnded() { aggregator.batchEnded() }

  mutating func flush() { out.flush() }
  var outputFailure: IOError? { out.failure }

  /// Milliseconds until the next interval snapshot or owed state save is due (`-1`: none).
  mutating func idleTimeout() -> Int32 {
    Self.milliseconds(until: [interval.map { _ in nextDue }, state?.owed], now: monotonic())
  }

  /// Milliseconds from `now` until the earliest of `times` (rounded up), `-1` if none.
  static func milliseconds(until times: [Int64?], now: Int64) -> Int32 {
    guard let next = times.compactMap({ $0 }).min() else { return -1 }
    let left = next - now
    if left <= 0 { return 0 }
    return Int32(clamping: (left + 999_999) / 1_000_000)
  }

  mutating func timerFired() -> Flow {
    defer { saveIfOwed() }
    return tick()
  }

  mutating func chunkProcessed() -> Flow {
    defer { saveIfOwed() }
    return tick()
  }

  /// Makes a save that a snapshot skipped (docs/state.md), once it is due.
  mutating func saveIfOwed() {
    guard let due = state?.owed, monotonic() >= due else { return }
    saveState(force: false)
  }

  /// Writes an interval snapshot if one is due. (A signal that lands while a snapshot is
  /// being written is not lost: the reader's waits also poll `Signals.wakeDescriptor`.)
  private mutating func tick() -> Flow {
    guard let interval else { return .proceed }
    let now = monotonic()
    guard now >= nextDue else { return .proceed }
    intervalSnapshot()
    // Skip ticks missed while a large chunk was being processed.
    nextDue += ((now - nextDue) / interval + 1) * interval
    return out.failure == nil ? .proceed : .stop
  }

  /// The snapshot (and window records) of an `--interval` tick.
  mutating func intervalSnapshot() {
    writeWindows(.tick)
    writeSnapshot(final: false)
  }

  mutating func finish(interrupted: Bool) {
    if let fingerprint = stateToOutput {
      StateText.write(
        StateFile.encode(
          aggregator, seq: snapshotsWritten, windowSeq: windowRecordsWritten,
          fingerprint: fingerprint), to: out)
      out.flush()
      return
    }
    writeWindows(.final)
    writeSnapshot(final: true)
    // Conversation records are flushed with the next snapshot or window records; with
    // `--no-snapshots` and no window there is none.
    out.flush()
    saveState(force: true)
  }

  /// Saves the state (`--state FILE`): when `force`, or if the last save is a second old.
  mutating func saveState(force: Bool) {
    state?.save(
      aggregator, seq: snapshotsWritten, windowSeq: windowRecordsWritten, force: force)
  }

  /// Writes the window records due on this occasion and flushes them.
  mutating func writeWindows(_ emission: WindowSet.Emission) {
    guard stateToOutput == nil, let config = aggregator.configuration.window else { return }
    let records = aggregator.collectWindows(emission)
    guard !records.isEmpty else { return }
    let now = aggregator.configuration.wallClock()
    for r in records {
      windowRecordsWritten += 1
      SnapshotWriter.writeWindow(
        r, size: config.size, zoneName: config.zoneName, seq: windowRecordsWritten,
        generatedAt: now, desk: SnapshotWriter.DeskSettings(aggregator.configuration), to: out)
    }
    out.flush()
  }

  /// Writes one snapshot line and flushes it (nothing with `--no-snapshots`); saves the state
  /// too when one is due.
  mutating func writeSnapshot(final: Bool) {
    if stateToOutput != nil { return }
    defer { if !final { saveState(force: false) } }
    guard snapshots else { return }
    snapshotsWritten += 1
    SnapshotWriter.write(
      aggregator.snapshotMetrics(), seq: snapshotsWritten, final: final,
      generatedAt: aggregator.configuration.wallClock(),
      desk: SnapshotWriter.DeskSettings(aggregator.configuration), to: out)
    out.flush()
  }

  /// Writes the `wa.conversation` records of the last event (`--emit conversations`).
  private mutating func writeRecords() {
    for r in aggregator.records { SnapshotWriter.write(r, to: out) }
    aggregator.records.removeAll(keepingCapacity: true)
  }
}
