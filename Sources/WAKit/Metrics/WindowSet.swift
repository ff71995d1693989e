/// The settings of `--window` (SPEC §5 "Windows and date ranges").
struct WindowConfiguration: Sendable {
  var size: WindowSize
  /// `--tz` as the user wrote it: the records' `window.tz`.
  var zoneName: String
  /// A window is complete once the stream clock passes `end + grace` (`--grace`, nanoseconds).
  var grace: Int64 = 5 * 60 * EventTime.nanosPerSecond
  /// The most windows held at once; parts of events that would open another count in none
  /// (the event is counted `late`). 10,000 hours is 13 months.
  var maxOpen = 10_000
}

/// One window: the same mergeable partial as the cumulative snapshot, over `[start, end)`.
///
/// Everything a window needs to be written again, resumed or serialised is in this struct
/// (bounds, metrics, how often it was written, whether it changed since).
struct WindowState: Sendable {
  /// Nanoseconds since the epoch, half-open.
  var start: Int64
  var end: Int64
  var metrics = AggregateMetrics()
  /// Records written so far; the next one is `revision + 1`.
  var revision = 0
  /// Changed since its last record.
  var dirty = true
  /// Its first `complete: true` record was written.
  var announcedComplete = false

  init(start: Int64, end: Int64) {
    self.start = start
    self.end = end
  }
}

/// A window record to write: the window as it is now, and whether it is complete.
struct WindowRecord {
  var window: WindowState
  var complete: Bool
}

/// The open windows of a stream, by start: where each attributed number goes, and which
/// records are due.
///
/// Lookup is by the window bounds of the attribution time: the last window used is checked
/// first (nearly every number of a stream in time order lands in the current window), then
/// a binary search of the few held windows. A window is held until the stream clock passes
/// `end + horizon`; then it is written a last time (if it changed) and forgotten, and any
/// number attributed to it later is `late`.
struct WindowSet: Sendable {
  let configuration: WindowConfiguration
  let zone: ZoneRule
  let horizon: Int64
  /// The rate card's currency (`--rate-card`), given to each new window's `cost` so that its
  /// record has a `cost` section as the snapshot does.
  var currency: String? = nil
  /// The held windows are `held[head...]`, sorted by `start`; windows never overlap.
  /// Indices into `held` are absolute. Forgetting a window moves `head` on, and the slots
  /// before it are given back only once they are many (`compact`): each window holds ~27 kB
  /// inline, and removing the first of the ~670 held windows of `--window 15m` every
  /// quarter-hour moved all the others, 11% of a run's time.
  private var held: [WindowState] = []
  private var head = 0
  /// The held windows, oldest first.
  var open: ArraySlice<WindowState> { held[head...] }
  /// The window last used: `held[cached]` covers `[cachedStart, cachedEnd)`.
  private var cachedStart: Int64 = 1
  private var cachedEnd: Int64 = 0
  private var cached = 0
  /// The earliest stream-clock time at which some record becomes due (a window completes or
  /// is forgotten); the aggregator compares its clock with this once per clock move.
  private(set) var nextDue: Int64 = .max
  /// Every held window before this index has had its complete record written (`collect`
  /// starts there on `.due`); a window opened before it lowers it. Never below `head`.
  private var announcedPrefix = 0

  init(_ configuration: WindowConfiguration, zone: ZoneRule, horizon: Int64) {
    self.configuration = configuration
    self.zone = zone
    self.horizon = horizon
  }

  /// The index in `held` of the window containing `t`, created when new; nil when that
  /// window is already forgotten (more than a horizon behind `clock`) or cannot be held.
  @inline(__always)
  mutating func index(at t: Int64, clock: Int64?) -> Int? {
    // The cache is skipped once a record is due: the cached window may be past the horizon.
    if t >= cachedStart && t < cachedEnd && (clock ?? .min) <= nextDue { return cached }
    return lookUp(t, clock: clock)
  }

  private mutating func lookUp(_ t: Int64, clock: Int64?) -> Int? {
    // An open window containing t: the last one starting at or before it (they tile; t + 1
    // cannot overflow, event times being clamped far inside Int64, see `EventTime`).
    let lo = firstIndex(startingAtOrAfter: t + 1)
    if lo > head && t < held[lo - 1].end {
      let (start, end) = (held[lo - 1].start, held[lo - 1].end)
      if let clock, end < clock - horizon { return nil }
      cachedStart = start
      cachedEnd = end
      cached = lo - 1
      return lo - 1
    }
    return openWindow(containing: t, clock: clock)
  }

  /// The index of the first held window starting at or after `start` (`held.count` if
  /// none): binary search, the windows being sorted by start.
  private func firstIndex(startingAtOrAfter start: Int64) -> Int {
    var lo = head
    var hi = held.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if held[mid].start < start { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  /// Opens the window containing `t` (the calendar's bounds, from the zone's rules).
  private mutating func openWindow(containing t: Int64, clock: Int64?) -> Int? {
    // A time more than a horizon ahead of the clock is one the clock does not trust yet (see
    // `Aggregator.eventTime`): its window would never complete nor be forgotten, and wrong
    // clocks in distinct hours (2090, 2091, …) took every one of the `maxOpen` places for
    // good, so that every later number of the stream went into no window.
    if let clock, t > clock + horizon { return nil }
    let bounds = zone.window(configuration.size, containing: EventTime.seconds(t))
    let start = bounds.start * EventTime.nanosPerSecond
    let end = bounds.end * EventTime.nanosPerSecond
    if let clock, end < clock - horizon { return nil }
    let lo = firstIndex(startingAtOrAfter: start)
    if lo == held.count || held[lo].start != start {
      guard held.count - head < configuration.maxOpen else { return nil }
      var w = WindowState(start: start, end: end)
      w.metrics.cost.currency = currency
      held.insert(w, at: lo)
      announcedPrefix = min(announcedPrefix, lo)
      nextDue = min(nextDue, end + configuration.grace)
    }
    cachedStart = start
    cachedEnd = end
    cached = lo
    return lo
  }

  /// Applies one attributed update to the window of `t`; false when it went to no window.
  @inline(__always)
  mutating func apply(
    at t: Int64, clock: Int64?, _ update: (inout AggregateMetrics) -> Void
  ) -> Bool {
    guard let i = index(at: t, clock: clock) else { return false }
    held[i].dirty = true
    update(&held[i].metrics)
    return true
  }

  enum Emission {
    /// Windows that just completed, and forgotten windows that changed since written.
    case due
    /// `--interval` / `--every`: also every other window changed since written.
    case tick
    /// End of input or a signal: every window changed since written.
    case final
  }

  /// The records to write now, by start; marks them written, forgets windows past the
  /// horizon. `clock` is the stream clock (nil before any event brought a time).
  ///
  /// A window is written when it has just completed (`clock` past `end + grace`, the first
  /// time), when it is forgotten (past `end + horizon`) with changes not yet written, and,
  /// on a tick or at the end, whenever it changed. Windows tile, so their ends are in order
  /// of start: the forgotten ones are a prefix, the complete ones a longer prefix. On `.due`
  /// (the common case: once per window of stream time) only the forgotten prefix and the
  /// complete windows from `announcedPrefix` on are visited, and windows are changed in
  /// place: visiting and copying every held window each time made a stream with thousands
  /// of windows held (`--window 1h` with a long `--state-horizon`) quadratic.
  mutating func collect(_ emission: Emission, clock: Int64?) -> [WindowRecord] {
    var records: [WindowRecord] = []
    var forgotten = head
    if let clock {
      while forgotten < held.count && clock > held[forgotten].end + horizon { forgotten += 1 }
    }
    for i in head..<forgotten {
      visit(i, emission, complete: isComplete(i, clock), forgotten: true, into: &records)
      // Its label tables and sketches go now; the slot itself at the next compaction.
      held[i] = WindowState(start: held[i].start, end: held[i].end)
    }
    head = forgotten
    announcedPrefix = max(head, announcedPrefix)
    compact()
    // Before `announcedPrefix` every window is announced: on `.due` none is written there.
    var i = emission == .due ? announcedPrefix : head
    while i < held.count {
      let complete = isComplete(i, clock)
      if !complete && emission == .due { break }
      visit(i, emission, complete: complete, forgotten: false, into: &records)
      if complete { announcedPrefix = i + 1 }
      i += 1
    }
    // Announced windows are due again at `end + horizon` (the first has the earliest end);
    // the others at `end + grace` (those from `announcedPrefix` on, usually one or two).
    nextDue = announcedPrefix > head ? held[head].end + horizon : .max
    for w in held[announcedPrefix...] {
      nextDue = min(nextDue, w.announcedComplete ? w.end + horizon : w.end + configuration.grace)
    }
    cachedStart = 1
    cachedEnd = 0
    return records
  }

  /// Gives back the slots of forgotten windows once they are an eighth of the held ones (at
  /// least 8): each held window is then moved about eight times in its life, and at most an
  /// eighth more slots than windows are kept. Indices move: the caller resets the cache.
  private mutating func compact() {
    guard head >= max(8, (held.count - head) / 8) else { return }
    held.removeFirst(head)
    announcedPrefix -= head
    head = 0
  }

  /// Whether `held[i]` is complete: the stream clock has passed its end and the grace.
  private func isComplete(_ i: Int, _ clock: Int64?) -> Bool {
    clock.map { $0 > held[i].end + configuration.grace } ?? false
  }

  /// Writes `held[i]` into `records` when it is due (see `collect`).
  private mutating func visit(
    _ i: Int, _ emission: Emission, complete: Bool, forgotten: Bool,
    into records: inout [WindowRecord]
  ) {
    let write =
      (complete && !held[i].announcedComplete)
      || (held[i].dirty && (emission != .due || forgotten))
    guard write else { return }
    held[i].revision += 1
    held[i].dirty = false
    if complete { held[i].announcedComplete = true }
    records.append(WindowRecord(window: held[i], complete: complete))
  }
}

// MARK: State (SPEC §9): the open windows, each with its own metrics' sections.

extension WindowSet {
  func encode(to e: inout StateEncoder) {
    e.u64(UInt64(open.count))
    for w in open {
      e.i64(w.start)
      e.i64(w.end)
      e.int(w.revision)
      e.bool(w.dirty)
      e.bool(w.announcedComplete)
      // A window's metrics are a whole set of sections, nested in one length-prefixed blob.
      var inner = StateEncoder()
      w.metrics.encodeSections(to: &inner)
      e.u64(UInt64(inner.bytes.count))
      e.bytes.append(contentsOf: inner.bytes)
    }
    e.i64(nextDue)
  }

  /// Replaces the open windows with the saved ones (sorted, not overlapping, at most
  /// `maxOpen`).
  mutating func decode(from d: inout StateDecoder) throws(StateError) {
    let n = try d.length("windows", itemBytes: 42, limit: configuration.maxOpen)
    var windows: [WindowState] = []
    windows.reserveCapacity(n)
    for _ in 0..<n {
      let start = try d.time("a window's start")
      let end = try d.time("a window's end")
      guard start < end, windows.last.map({ $0.end <= start }) ?? true else {
        throw .corrupt("windows overlap or are out of order")
      }
      var w = WindowState(start: start, end: end)
      w.revision = try d.count("a window's revision")
      w.dirty = try d.bool()
      w.announcedComplete = try d.bool()
      let length = try d.length("a window's metrics", itemBytes: 1, limit: d.remaining)
      var inner = StateDecoder(try d.take(length, "a window's metrics"), version: d.version)
      var sections = try StateSections(&inner)
      w.metrics = try AggregateMetrics(sections: &sections)
      try sections.finish()
      windows.append(w)
    }
    let due = try d.i64()
    guard due == .max || due.magnitude <= UInt64(EventTime.limit) * 2 else {
      throw .corrupt("the windows' next due time is \(due)")
    }
    held = windows
    head = 0
    nextDue = due
    announcedPrefix = 0
    cachedStart = 1
    cachedEnd = 0
    cached = 0
  }

  /// Marks every open window changed, so that the next tick or the end writes them all
  /// again: a run resumed from a state file then writes the latest record of every open
  /// window itself, also of one that no replayed line touches (such as a window at the wall
  /// clock, where untimed events before the stream's first time are counted).
  mutating func reannounce() {
    for i in held.indices[head...] { held[i].dirty = true }
  }

  /// Forgets the oldest windows beyond `maxOpen`. Shards over different spans can hold more
  /// windows between them than one run may, and a state file holding more is refused on load.
  mutating func keepAtMostMaxOpen() {
    let excess = held.count - head - configuration.maxOpen
    guard excess > 0 else { return }
    held.removeFirst(head + excess)
    announcedPrefix = max(0, announcedPrefix - head - excess)
    head = 0
    cachedStart = 1
    cachedEnd = 0
  }

  /// Adds a shard's windows: the same window's metrics merge, others are added. Each of the
  /// shard's windows is found by binary search, and the new ones are put in place in one pass
  /// at the end: inserted one at a time, each moved every later window (a few kB each), and a
  /// shard of 5,760 windows merged before the one of the 5,760 before them took 15.3 s instead
  /// of 2.7 s.
  mutating func merge(_ other: WindowSet) {
    var added: [WindowState] = []
    for w in other.open {
      let lo = firstIndex(startingAtOrAfter: w.start)
      guard lo < held.count, held[lo].start == w.start else {
        added.append(w)
        continue
      }
      held[lo].metrics.merge(w.metrics)
      held[lo].revision = max(held[lo].revision, w.revision)
      held[lo].dirty = held[lo].dirty || w.dirty
      held[lo].announcedComplete = held[lo].announcedComplete && w.announcedComplete
    }
    if !added.isEmpty {
      // Both sorted by start, no start in both (windows of one calendar tile).
      var merged: [WindowState] = []
      merged.reserveCapacity(held.count - head + added.count)
      var j = 0
      for w in open {
        while j < added.count && added[j].start < w.start {
          merged.append(added[j])
          j += 1
        }
        merged.append(w)
      }
      merged.append(contentsOf: added[j...])
      held = merged
      head = 0
    }
    nextDue = min(nextDue, other.nextDue)
    announcedPrefix = head
    cachedStart = 1
    cachedEnd = 0
  }
}
