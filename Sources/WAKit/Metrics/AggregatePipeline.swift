import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

// wa-aggregate on two cores (`--threads 2`): the reading and validating thread (A, the
// caller's) fills batches of records; the folding thread (B) folds them into the aggregator
// and writes every output, in the order A produced them. See docs/benchmarks.md, "wa-aggregate
// on two cores".

/// One line's outcome, in input order: a valid event (its bytes in the batch's byte buffer,
/// its field table in the batch's table at the same index), or one of the things the
/// one-thread run tells the sink between events.
struct BatchRecord {
  enum Tag: UInt8 {
    case event, blank, rejected, foreign, batchStarted, batchEnded
    /// An `--interval` snapshot is due here.
    case tick
    /// The input went idle here: write out what is buffered (and make a state save that a
    /// snapshot skipped, if it is due: `StateSaver`).
    case flush
  }
  var tag: Tag
  var start: Int32
  var count: Int32
  var event: EventView
}

/// A batch of records with its own copy of the events' bytes and field tables, allocated
/// once and reused for the whole run (no allocation per event or per batch, but when one
/// line is longer than the byte buffer).
final class EventBatch {
  /// The most records a batch holds, and the bytes after which it is handed over: about a
  /// megabyte of lines, which stays in the second thread's caches while it folds them.
  static let capacity = 4096
  static let byteBudget = 1 << 20

  let records: UnsafeMutablePointer<BatchRecord>
  /// `capacity` field tables of `EventField.count` slots.
  let fields: UnsafeMutablePointer<ValueRef>
  @exclusivity(unchecked) var bytes: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) var byteCapacity: Int
  @exclusivity(unchecked) var count = 0
  @exclusivity(unchecked) var used = 0

  init() {
    records = .allocate(capacity: Self.capacity)
    fields = .allocate(capacity: Self.capacity * EventField.count)
    byteCapacity = Self.byteBudget + (64 << 10)
    bytes = .allocate(capacity: byteCapacity)
  }

  deinit {
    records.deallocate()
    fields.deallocate()
    bytes.deallocate()
  }

  var isFull: Bool { count == Self.capacity || used >= Self.byteBudget }

  /// Room for `n` more bytes in an empty batch (a line longer than the buffer).
  func grow(to n: Int) {
    bytes.deallocate()
    byteCapacity = n
    bytes = .allocate(capacity: n)
  }
}

/// The single-producer single-consumer ring of batches between the two threads.
///
/// `head` counts the batches published by A, `tail` those B has finished with; batch `i` is
/// slot `i % slots.count`, owned by A while `i >= head`... until published, by B from then
/// until `tail` passes it. The indices are the only synchronisation on the way of a batch
/// (release on publish, acquire on take). A thread finding the ring full (A) or empty (B)
/// sleeps on a condition variable rather than spinning; the other side takes the mutex only
/// when it sees that someone sleeps, so neither the hot path nor a batch hand-over locks
/// while both threads keep up.
final class BatchRing: @unchecked Sendable {
  let slots: [EventBatch]
  let head = Atomic<Int>(0)
  let tail = Atomic<Int>(0)
  /// A has published its last batch.
  let ended = Atomic<Bool>(false)
  /// B's output failed (a closed pipe, a full disk): A stops reading.
  let failed = Atomic<Bool>(false)
  /// Which side sleeps (one flag each: with one shared flag, the side waking up could clear
  /// it while the other has just gone to sleep, and both would sleep for ever).
  let producerSleeping = Atomic<Bool>(false)
  let consumerSleeping = Atomic<Bool>(false)
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private let condition: UnsafeMutablePointer<pthread_cond_t>

  init(slots n: Int = 4) {
    slots = (0..<n).map { _ in EventBatch() }
    mutex = .allocate(capacity: 1)
    condition = .allocate(capacity: 1)
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(condition, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    pthread_cond_destroy(condition)
    mutex.deallocate()
    condition.deallocate()
  }

  /// Sleeps until `ready()` holds. The sleeper announces itself before its last check and
  /// the waker looks after its own store (both sequentially consistent), so one of them
  /// always sees the other: no lost wake-up.
  func wait(_ sleeping: borrowing Atomic<Bool>, until ready: () -> Bool) {
    if ready() { return }
    pthread_mutex_lock(mutex)
    sleeping.store(true, ordering: .sequentiallyConsistent)
    while !ready() { pthread_cond_wait(condition, mutex) }
    sleeping.store(false, ordering: .sequentiallyConsistent)
    pthread_mutex_unlock(mutex)
  }

  /// Wakes the other thread if it sleeps (after an index or flag store).
  func wake(_ sleeping: borrowing Atomic<Bool>) {
    guard sleeping.load(ordering: .sequentiallyConsistent) else { return }
    pthread_mutex_lock(mutex)
    pthread_cond_broadcast(condition)
    pthread_mutex_unlock(mutex)
  }
}

/// Thread B's side: the one-thread sink (aggregator and outputs), fed from the ring.
final class AggregateFolder {
  @exclusivity(unchecked) var sink: AggregateSink
  let ring: BatchRing
  /// The output failed after an event or a tick: what follows is not folded, as the
  /// one-thread run stops reading there.
  @exclusivity(unchecked) var stopped = false

  init(sink: AggregateSink, ring: BatchRing) {
    self.sink = sink
    self.ring = ring
  }

  /// B's loop: every published batch in order, until A has ended and all are folded.
  func run() {
    let n = ring.slots.count
    var next = 0
    while true {
      ring.wait(ring.consumerSleeping) {
        ring.head.load(ordering: .sequentiallyConsistent) > next
          || ring.ended.load(ordering: .sequentiallyConsistent)
      }
      // `ended` is stored after the last publish: re-read head to drain what is left.
      guard ring.head.load(ordering: .acquiring) > next else { return }
      fold(ring.slots[next % n])
      next += 1
      ring.tail.store(next, ordering: .sequentiallyConsistent)
      ring.wake(ring.producerSleeping)
    }
  }

  /// The records of one batch, as the one-thread run's sink calls would have made them.
  func fold(_ batch: EventBatch) {
    guard !stopped else { return }
    let width = EventField.count
    let scratch = sink.aggregator.scratch
    for i in 0..<batch.count {
      let r = batch.records[i]
      switch r.tag {
      case .event:
        let line = UnsafeRawBufferPointer(start: batch.bytes + Int(r.start), count: Int(r.count))
        sink.aggregator.add(
          ValidEvent(
            fields: UnsafePointer(batch.fields + i * width), line: line, event: r.event,
            scratch: scratch))
        if sink.eventAdded() == .stop { return stop() }
      case .blank: sink.aggregator.skipped(blank: true)
      case .rejected: sink.aggregator.skipped(blank: false)
      case .foreign: sink.aggregator.foreign()
      case .batchStarted: sink.aggregator.batchStarted()
      case .batchEnded: sink.aggregator.batchEnded()
      case .tick:
        sink.intervalSnapshot()
        if sink.outputFailure != nil { return stop() }
      case .flush:
        sink.flush()
        sink.saveIfOwed()
      }
    }
  }

  private func stop() {
    stopped = true
    ring.failed.store(true, ordering: .releasing)
  }
}

/// Thread A's side: `--threads 2`'s sink for `FilterRunner`. It copies each valid event into
/// the current batch and hands full batches to B; it keeps the `--interval` schedule itself
/// (B never reads the clock), posting a tick record when a snapshot is due.
///
/// B is started with the first batch handed over: a run shorter than one batch (and never
/// idle) folds its one batch on A at the end, through the same `AggregateFolder.fold`.
final class AggregatePipeline {
  let ring: BatchRing
  let folder: AggregateFolder
  /// The batch A is filling: slot `head % slots`.
  @exclusivity(unchecked) private var current: EventBatch
  @exclusivity(unchecked) private var thread: pthread_t? = nil
  /// Records were added since the last flush record.
  @exclusivity(unchecked) private var unflushed = false
  let interval: Int64?
  let monotonic: () -> Int64
  @exclusivity(unchecked) private var nextDue: Int64 = 0
  /// The run's state saver (B saves; A only reads when a skipped save is owed, to end its
  /// idle wait then and hand B a flush record), and the owed time A last posted for.
  let saver: StateSaver?
  @exclusivity(unchecked) private var owedPosted: Int64 = 0

  init(sink: AggregateSink, monotonic: @escaping () -> Int64 = EventTime.monotonic) {
    ring = BatchRing()
    folder = AggregateFolder(sink: sink, ring: ring)
    current = ring.slots[0]
    interval = sink.interval
    saver = sink.state
    self.monotonic = monotonic
    if let interval { nextDue = monotonic() + interval }
  }

  /// A valid event: its bytes, field table and view copied into the batch.
  @inline(__always)
  func event(_ validator: EventValidator) -> Flow {
    let line = validator.line
    var batch = current
    if batch.used + line.count > batch.byteCapacity {
      if batch.count > 0, publish() == .stop { return .stop }
      batch = current
      if line.count > batch.byteCapacity { batch.grow(to: line.count) }
    }
    let i = batch.count
    if let base = line.baseAddress {
      (batch.bytes + batch.used).initialize(
        from: base.assumingMemoryBound(to: UInt8.self), count: line.count)
    }
    (batch.fields + i * EventField.count).initialize(
      from: validator.scanner.fields, count: EventField.count)
    (batch.records + i).initialize(
      to: BatchRecord(
        tag: .event, start: Int32(batch.used), count: Int32(line.count),
        event: validator.event))
    batch.used += line.count
    batch.count = i + 1
    unflushed = true
    return batch.isFull ? publish() : .proceed
  }

  /// Any other record (no bytes).
  func record(_ tag: BatchRecord.Tag) -> Flow {
    let batch = current
    (batch.records + batch.count).initialize(
      to: BatchRecord(tag: tag, start: 0, count: 0, event: EventView()))
    batch.count += 1
    unflushed = tag != .flush
    return batch.isFull ? publish() : .proceed
  }

  /// Hands the current batch to B (starting B the first time) and waits for a free slot.
  @discardableResult
  func publish() -> Flow {
    if thread == nil && !fallback { start() }
    if fallback {
      folder.fold(current)
      current.count = 0
      current.used = 0
      return folder.stopped ? .stop : .proceed
    }
    let n = ring.slots.count
    let published = ring.head.load(ordering: .relaxed) + 1
    catchUpDelay = Self.catchUpCheck
    ring.head.store(published, ordering: .sequentiallyConsistent)
    ring.wake(ring.consumerSleeping)
    ring.wait(ring.producerSleeping) {
      published - ring.tail.load(ordering: .sequentiallyConsistent) < n
    }
    current = ring.slots[published % n]
    current.count = 0
    current.used = 0
    return ring.failed.load(ordering: .acquiring) ? .stop : .proceed
  }

  /// Starts B with the stop signals blocked, so that they reach A, whose reads and
  /// waits notice them, as in the one-thread run.
  private func start() {
    var block = sigset_t()
    var previous = sigset_t()
    sigemptyset(&block)
    for sig in Signals.stopSignals { sigaddset(&block, sig) }
    pthread_sigmask(SIG_BLOCK, &block, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    var id = pthread_t()
    let context = Unmanaged.passRetained(folder).toOpaque()
    let status = pthread_create(
      &id, nil,
      { context in
        let folder = Unmanaged<AggregateFolder>.fromOpaque(context!).takeRetainedValue()
        folder.run()
        return nil
      }, context)
    if status == 0 {
      thread = id
    } else {
      // No second thread to be had: fold on this one, batch by batch.
      Unmanaged<AggregateFolder>.fromOpaque(context).release()
      fallback = true
    }
  }

  /// pthread_create failed: `publish` folds on A.
  @exclusivity(unchecked) private var fallback = false

  /// Input is idle: B writes out what it has (as the one-thread run flushes before it waits).
  func flush() {
    guard unflushed else { return }
    _ = record(.flush)
    if current.count > 0 { publish() }
  }

  /// How long the reader may wait for input before `timerFired`.
  func idleTimeout() -> Int32 {
    // B's output has failed already (a closed pipe): end now. B may have caught up with all
    // it was handed, so the look-again below would not come, and with `--interval 1h` the
    // run slept an hour after its reader went away (a race: B finishing the flushed batch
    // before A got here).
    if ring.failed.load(ordering: .sequentiallyConsistent) { return 0 }
    let now = monotonic()
    var times = [interval.map { _ in nextDue }, owedSave]
    // B may still be folding what was just handed over, and its output fail there (a closed
    // pipe: the run must end at once, as with one thread) or skip a state save: look again
    // shortly, until it has caught up (only while B is behind, backing off to once a second
    // for a B stuck on a reader that stopped reading).
    if ring.tail.load(ordering: .sequentiallyConsistent)
      < ring.head.load(ordering: .sequentiallyConsistent)
    {
      times.append(now + catchUpDelay)
      catchUpDelay = min(catchUpDelay * 2, EventTime.nanosPerSecond)
    }
    return AggregateSink.milliseconds(until: times, now: now)
  }

  /// How long A waits before it looks again whether B, still folding, has failed or come to
  /// owe a state save: 20 ms after a hand-over, doubling up to a second.
  static let catchUpCheck: Int64 = 20_000_000
  @exclusivity(unchecked) private var catchUpDelay = AggregatePipeline.catchUpCheck

  /// A state save B skipped and A has not yet posted a flush record for.
  private var owedSave: Int64? {
    guard let due = saver?.owed, due != owedPosted else { return nil }
    return due
  }

  /// The input is idle and a save B skipped is due: a flush record makes B save.
  func postOwedSave() {
    guard let due = owedSave, monotonic() >= due else { return }
    owedPosted = due
    _ = record(.flush)
    if current.count > 0 { publish() }
  }

  /// Posts a tick when an interval snapshot is due, at once (the snapshot is on time).
  func tick() -> Flow {
    if ring.failed.load(ordering: .relaxed) { return .stop }
    guard let interval else { return .proceed }
    let now = monotonic()
    guard now >= nextDue else { return .proceed }
    _ = record(.tick)
    let flow = current.count > 0 ? publish() : .proceed
    nextDue += ((now - nextDue) / interval + 1) * interval
    return flow
  }

  /// The run is over: B folds what is left, then the one-thread sink's `finish` (final
  /// window records and snapshot, the state saved) runs once B has stopped.
  func finish(interrupted: Bool) {
    if let thread {
      if current.count > 0 { publish() }
      ring.ended.store(true, ordering: .sequentiallyConsistent)
      ring.wake(ring.consumerSleeping)
      pthread_join(thread, nil)
      self.thread = nil
    } else {
      folder.fold(current)
      current.count = 0
      current.used = 0
    }
    folder.sink.finish(interrupted: interrupted)
  }
}

/// `--threads 2`'s `EventSink`: every call becomes a record of the pipeline's batch.
struct ThreadedAggregateSink: EventSink {
  let pipeline: AggregatePipeline

  @inline(__always)
  mutating func accept(_ line: Line, _ validator: EventValidator) -> Flow {
    pipeline.event(validator)
  }

  mutating func skipped(_ line: Line, blank: Bool) {
    _ = pipeline.record(blank ? .blank : .rejected)
  }

  mutating func foreign(_ line: Line) { _ = pipeline.record(.foreign) }
  mutating func batchStarted(_ line: Line) { _ = pipeline.record(.batchStarted) }
  mutating func batchEnded() { _ = pipeline.record(.batchEnded) }
  mutating func flush() { pipeline.flush() }
  var outputFailure: IOError? { pipeline.folder.sink.outputFailure }
  mutating func idleTimeout() -> Int32 { pipeline.idleTimeout() }
  mutating func timerFired() -> Flow {
    defer { pipeline.postOwedSave() }
    return pipeline.tick()
  }

  mutating func chunkProcessed() -> Flow { pipeline.tick() }
  mutating func finish(interrupted: Bool) { pipeline.finish(interrupted: interrupted) }
}
