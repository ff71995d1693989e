import CStage1

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A value kept per key that knows when it was last touched (event time, nanoseconds).
protocol TimedState: BitwiseCopyable {
  var touched: Int64 { get set }
  /// A fresh entry, first touched at `touched`.
  init(touched: Int64)
}

/// A `TimedState` that a state file can hold (SPEC §9): each encodes its own fields.
protocol StateEntry: TimedState {
  func encode(to e: inout StateEncoder)
  init(from d: inout StateDecoder) throws(StateError)
}

/// Per-key state with bounded memory: the aggregator's per-message, per-user and
/// per-resolution tables.
///
/// Keys are 64-bit hashes of identifiers (0 is reserved for "empty" and remapped to 1). The
/// table is open addressing with linear probing and backward-shift deletion (no tombstones),
/// the home slot chosen by multiply-shift so that any capacity works. It grows by doubling
/// up to `limit / 0.8` slots and never further. Values are plain data kept in one buffer, so
/// a lookup or an insert allocates nothing (growth aside).
///
/// Eviction is oldest-first by insertion, with a second chance: a FIFO ring holds every key
/// with the time it was queued. `evict(olderThan:now:)` pops keys from the front while their
/// queued time is older than the cutoff; an entry touched since it was queued is queued
/// again at the back instead of being evicted. When the table is full, inserting evicts the
/// front entry the same way, whatever its age. Each call reports how many entries went.
///
/// `Value` is constrained only by `BitwiseCopyable` (a marker protocol, with no runtime
/// conformance check) and everything that needs `TimedState` sits in a constrained extension.
/// Why: the compiler creates `StateTable<MessageState>` from its mangled name, and the
/// runtime then verifies every requirement of the type's own generic signature; a
/// `Value: TimedState` requirement cost one `swift_conformsToProtocol` per table type, each
/// scanning all of the binary's ~15,700 conformance records: 62% of wa-aggregate's start-up
/// instructions (callgrind, 1.41 M). Requirements of extensions are never checked at runtime.
final class StateTable<Value: BitwiseCopyable> {
  let limit: Int
  /// The data lives behind a pointer: mutating a class's stored properties costs a runtime
  /// exclusivity check on every access, and this is the aggregator's hottest path.
  private let table: UnsafeMutablePointer<OpenTable<Value>>

  init(limit: Int, initialCapacity: Int = 16) {
    self.limit = max(1, limit)
    table = .allocate(capacity: 1)
    table.initialize(to: OpenTable(limit: self.limit, initialCapacity: initialCapacity))
  }

  deinit {
    table.deinitialize(count: 1)
    table.deallocate()
  }

  var count: Int { table.pointee.count }

  /// Entries evicted since start-up because the table was full (`limit`, `--max-state`),
  /// before the horizon would have: the cap, not the horizon, bounded the state.
  var evictedForRoom: Int { table.pointee.evictedForRoom }

  /// Whether evicted values are kept for `drainRemoved` (for tables whose entries hold
  /// running clocks that must be settled when forgotten).
  var keepsRemoved: Bool {
    get { table.pointee.keepsRemoved }
    set { table.pointee.keepsRemoved = newValue }
  }

  /// The values evicted since the last call (only with `keepsRemoved`).
  func drainRemoved() -> [Value] {
    let removed = table.pointee.removed
    table.pointee.removed = []
    return removed
  }

  /// Calls `body` with every value held, in slot order.
  func forEach(_ body: (UnsafeMutablePointer<Value>) -> Void) {
    for slot in 0..<table.pointee.capacity where table.pointee.key(at: slot) != 0 {
      body(table.pointee.value(at: slot))
    }
  }

  @inline(__always)
  static func normalized(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

  /// The slot holding `key`, or nil. Slots stay valid until the next insert or eviction.
  @inline(__always)
  func slot(of key: UInt64) -> Int? { table.pointee.slot(of: Self.normalized(key)) }

  /// The value in `slot`, for reading and updating in place.
  @inline(__always)
  func value(at slot: Int) -> UnsafeMutablePointer<Value> { table.pointee.value(at: slot) }

  /// Starts loading the entry where a lookup of `key` begins, and returns at once. A fold
  /// that knows its next keys (the current event's, or a batch's a few events ahead) calls
  /// this first, so that the tables' cache misses overlap instead of following one another.
  /// A hint only: it changes nothing, and any key is fine.
  @inline(__always)
  func prefetch(_ key: UInt64) { table.pointee.prefetch(Self.normalized(key)) }

}

extension StateTable where Value: TimedState {
  /// Inserts a key that is not in the table; returns its slot and how many entries were
  /// evicted to make room (0 or 1).
  @inline(__always)
  func insert(_ key: UInt64, _ value: Value) -> (slot: Int, evicted: Int) {
    table.pointee.insert(Self.normalized(key), value)
  }

  /// The slot of `key`'s entry, a fresh one when it is new: an existing entry's `touched`
  /// moves forward to `t` (never back). Returns the slot and how many entries were evicted
  /// to make room (0 or 1).
  @inline(__always)
  func touch(_ key: UInt64, at t: Int64) -> (slot: Int, evicted: Int) {
    if let slot = slot(of: key) {
      let entry = value(at: slot)
      if t > entry.pointee.touched { entry.pointee.touched = t }
      return (slot, 0)
    }
    return insert(key, Value(touched: t))
  }

  /// Evicts entries not touched since `cutoff`, oldest-first; returns how many. `now` is the
  /// stream's latest time: an entry queued after it (timed by the wall clock before the
  /// stream had a time of its own) moves to the back so that it does not hold up the rest.
  @inline(__always)
  func evict(olderThan cutoff: Int64, now: Int64) -> Int {
    guard let front = table.pointee.ring.front, front.queuedAt < cutoff || front.queuedAt > now
    else { return 0 }
    return table.pointee.evict(olderThan: cutoff, now: now)
  }
}

/// The open-addressing table and its eviction queue (see `StateTable`). Keys passed in are
/// already normalized (never 0).
///
/// Each key sits next to its value in one buffer of entries: a lookup that finds its key
/// has the value's first bytes (`touched`, the flags) in the same cache line. With keys and
/// values in two buffers every hit cost two cache misses once the table outgrew the caches;
/// profiles of a month-long stream showed those two loads as the aggregator's top cost.
///
/// Not copyable: it owns its entries and its ring, and a copy would free them a second time.
/// Unconstrained like `StateTable`, for the same reason.
struct OpenTable<Value: BitwiseCopyable>: ~Copyable {
  /// One slot: key 0 marks it empty (the value is then uninitialized).
  struct Entry {
    var key: UInt64
    var value: Value
  }

  let limit: Int
  let maxCapacity: Int
  var count = 0
  var capacity: Int
  var entries: UnsafeMutablePointer<Entry>
  var ring: FIFORing
  var keepsRemoved = false
  var removed: [Value] = []
  /// Entries evicted because the table was full (`--max-state`), not by the horizon.
  var evictedForRoom = 0

  init(limit: Int, initialCapacity: Int) {
    self.limit = limit
    maxCapacity = limit + limit / 4 + 1
    capacity = min(max(16, initialCapacity), maxCapacity)
    entries = Self.allocateEmpty(capacity)
    ring = FIFORing(capacity: min(capacity, limit))
  }

  /// A buffer of `capacity` entries, all empty (only the keys are written). From
  /// `reallocated`, not `allocate`, so that `grow` can extend it in place.
  private static func allocateEmpty(_ capacity: Int) -> UnsafeMutablePointer<Entry> {
    let entries: UnsafeMutablePointer<Entry> = reallocated(nil, count: capacity)
    clearKeys(entries, from: 0, to: capacity)
    return entries
  }

  private static func clearKeys(_ entries: UnsafeMutablePointer<Entry>, from: Int, to: Int) {
    let raw = UnsafeMutableRawPointer(entries)
    let stride = MemoryLayout<Entry>.stride
    for i in from..<to {
      raw.storeBytes(of: 0 as UInt64, toByteOffset: i * stride + keyOffset, as: UInt64.self)
    }
  }

  static var keyOffset: Int { MemoryLayout<Entry>.offset(of: \Entry.key)! }
  static var valueOffset: Int { MemoryLayout<Entry>.offset(of: \Entry.value)! }

  deinit { free(entries) }

  @inline(__always)
  func key(at slot: Int) -> UInt64 {
    UnsafeRawPointer(entries + slot).load(fromByteOffset: Self.keyOffset, as: UInt64.self)
  }

  @inline(__always)
  private func setKey(_ key: UInt64, at slot: Int) {
    UnsafeMutableRawPointer(entries + slot).storeBytes(
      of: key, toByteOffset: Self.keyOffset, as: UInt64.self)
  }

  /// The value in `slot` (initialized only while the slot holds a key).
  @inline(__always)
  func value(at slot: Int) -> UnsafeMutablePointer<Value> {
    (UnsafeMutableRawPointer(entries + slot) + Self.valueOffset)
      .assumingMemoryBound(to: Value.self)
  }

  /// The home slot: the key scrambled by one multiplication (so that keys which are not
  /// uniform hashes, such as small integers, still spread), then scaled to the capacity.
  @inline(__always)
  private func home(_ key: UInt64) -> Int {
    let mixed = key &* 0x9E37_79B9_7F4A_7C15
    return Int(truncatingIfNeeded: mixed.multipliedFullWidth(by: UInt64(capacity)).high)
  }

  @inline(__always)
  private func next(_ i: Int) -> Int {
    let j = i &+ 1
    return j == capacity ? 0 : j
  }

  /// See `StateTable.prefetch`. Both ends of the home entry: at 40, 72 or 104 bytes an entry
  /// often crosses into a second cache line, which holds the rest of its value.
  @inline(__always)
  func prefetch(_ key: UInt64) {
    let entry = UnsafeRawPointer(entries + home(key))
    wa_prefetch(entry)
    wa_prefetch(entry + (MemoryLayout<Entry>.stride - 1))
  }

  @inline(__always)
  func slot(of key: UInt64) -> Int? {
    var i = home(key)
    while true {
      let k = self.key(at: i)
      if k == key { return i }
      if k == 0 { return nil }
      i = next(i)
    }
  }

  private mutating func remove(at slot: Int) {
    if keepsRemoved { removed.append(value(at: slot).pointee) }
    var hole = slot
    var j = slot
    setKey(0, at: hole)
    while true {
      j = next(j)
      let k = key(at: j)
      if k == 0 { break }
      let h = home(k)
      // The entry at j may move into the hole unless its home lies cyclically in (hole, j].
      let stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j)
      if stays { continue }
      entries[hole] = entries[j]
      setKey(0, at: j)
      hole = j
    }
    count -= 1
  }

  /// Doubles the slot array (up to `maxCapacity`) in place: `realloc` extends it (for a large
  /// array glibc moves its pages with `mremap`, copying nothing), then every entry moves to its
  /// place under the new capacity within the same buffer. Allocating a new array and copying
  /// into it kept both alive at once: at the default `--max-state` the conversations table's
  /// last growth held 109 MB more than the table itself, a fifth of wa-aggregate's peak when
  /// every table is full (`scripts/bench/state-memory`).
  ///
  /// The entries of the old slots are "pending" (a bit each) until placed. For each pending
  /// slot in turn: probe from its entry's new home for the first slot that is empty or
  /// pending; if that is the slot itself, the entry stays; if empty, the entry moves there;
  /// if another pending slot, the two swap and the entry brought back is placed next. A
  /// placed entry never moves again and only pending slots are ever emptied, so every slot
  /// between a placed entry's home and its place stays full: lookups and backward-shift
  /// deletion find a valid linear-probing table.
  private mutating func grow() {
    let oldCapacity = capacity
    let newCapacity = min(capacity * 2, maxCapacity)
    entries = reallocated(entries, count: newCapacity)
    Self.clearKeys(entries, from: oldCapacity, to: newCapacity)
    capacity = newCapacity
    let words = (oldCapacity + 63) / 64
    let pending = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
    defer { pending.deallocate() }
    pending.initialize(repeating: 0, count: words)
    for s in 0..<oldCapacity where key(at: s) != 0 { pending[s >> 6] |= 1 << (s & 63) }
    // Slots in increasing order, a word of bits at a time. A swap only ever clears the bit of
    // a slot after `s` (every slot before it is placed), so each word is read afresh.
    for word in 0..<words {
      while pending[word] != 0 {
        let s = word << 6 | pending[word].trailingZeroBitCount
        var i = home(key(at: s))
        while true {
          if key(at: i) == 0 { break }
          if i < oldCapacity && pending[i >> 6] & (1 << (i & 63)) != 0 { break }
          i = next(i)
        }
        if i == s {
          pending[word] &= ~(1 << (s & 63))
        } else if key(at: i) == 0 {
          entries[i] = entries[s]
          setKey(0, at: s)
          pending[word] &= ~(1 << (s & 63))
        } else {
          // Placed at `i`; the entry that was there is placed next, from `s`.
          let placed = entries[s]
          entries[s] = entries[i]
          entries[i] = placed
          pending[i >> 6] &= ~(1 << (i & 63))
        }
      }
    }
  }
}

extension OpenTable where Value: TimedState {
  mutating func insert(_ key: UInt64, _ value: Value) -> (slot: Int, evicted: Int) {
    var evicted = 0
    if count >= limit {
      evictOldest()
      evicted = 1
      evictedForRoom += 1
    }
    if (count + 1) * 5 > capacity * 4 && capacity < maxCapacity { grow() }
    var i = home(key)
    while self.key(at: i) != 0 { i = next(i) }
    setKey(key, at: i)
    self.value(at: i).initialize(to: value)
    count += 1
    ring.push(key, value.touched)
    return (i, evicted)
  }

  mutating func evict(olderThan cutoff: Int64, now: Int64) -> Int {
    var evicted = 0
    while let front = ring.front, front.queuedAt < cutoff || front.queuedAt > now {
      _ = ring.pop()
      prefetchQueued()
      guard let slot = slot(of: front.key) else { continue }
      let touched = value(at: slot).pointee.touched
      if touched >= cutoff {
        ring.push(front.key, min(touched, now))
      } else {
        remove(at: slot)
        evicted += 1
      }
    }
    return evicted
  }

  /// Eviction looks its keys up in queue order, one random entry each: the key a few places
  /// behind the front is fetched now, so that its miss overlaps the work in between (this
  /// pass's, or the next events' when a pass evicts one or two).
  @inline(__always)
  private func prefetchQueued() {
    if let key = ring.key(at: Self.evictionLookahead) { prefetch(key) }
  }

  static var evictionLookahead: Int { 4 }

  /// Makes room in a full table: removes the entry queued first, unless it was touched since
  /// it was queued; then it is queued again (once: its queued time is now its last touch).
  private mutating func evictOldest() {
    while let front = ring.pop() {
      prefetchQueued()
      guard let slot = slot(of: front.key) else { continue }
      let touched = value(at: slot).pointee.touched
      if touched > front.queuedAt {
        ring.push(front.key, touched)
        continue
      }
      remove(at: slot)
      return
    }
  }
}

extension StateTable where Value: StateEntry {
  /// The entries in eviction order, each with the time it was queued: a loaded table evicts
  /// exactly what the saved one would have.
  func encode(to e: inout StateEncoder) {
    let t = table
    e.u64(UInt64(t.pointee.count))
    t.pointee.ring.forEach { key, queuedAt in
      // Every entry has exactly one place in the ring (see `OpenTable.insert`).
      guard let slot = t.pointee.slot(of: key) else { return }
      e.u64(key)
      e.i64(queuedAt)
      t.pointee.value(at: slot).pointee.encode(to: &e)
    }
  }

  /// Replaces the contents with a saved table's; the caller's `limit` bounds it.
  func decode(from d: inout StateDecoder) throws(StateError) {
    let n = try d.length("state entries", itemBytes: 24, limit: limit)
    var items: [(key: UInt64, queuedAt: Int64, value: Value)] = []
    items.reserveCapacity(n)
    for _ in 0..<n {
      let key = try d.u64()
      guard key != 0 else { throw .corrupt("a state entry has key 0") }
      let queuedAt = try d.time("an entry's queue time")
      items.append((key, queuedAt, try Value(from: &d)))
    }
    try restore(items)
  }

}

extension StateTable {
  /// Fills the table with `items` (eviction order); refuses a key given twice.
  func restore(_ items: [(key: UInt64, queuedAt: Int64, value: Value)]) throws(StateError) {
    var fresh = OpenTable<Value>(limit: limit, initialCapacity: items.count * 5 / 4 + 16)
    fresh.keepsRemoved = table.pointee.keepsRemoved
    for item in items {
      guard fresh.restoreEntry(item.key, item.queuedAt, item.value) else {
        throw .corrupt("state key \(item.key) appears twice")
      }
    }
    table.pointee = fresh
  }

  /// Every entry with its queue time, in eviction order (for merging tables).
  var items: [(key: UInt64, queuedAt: Int64, value: Value)] {
    let t = table
    var out: [(key: UInt64, queuedAt: Int64, value: Value)] = []
    out.reserveCapacity(t.pointee.count)
    t.pointee.ring.forEach { key, queuedAt in
      if let slot = t.pointee.slot(of: key) {
        out.append((key, queuedAt, t.pointee.value(at: slot).pointee))
      }
    }
    return out
  }
}

extension OpenTable {
  /// Adds a loaded entry at the back of the ring; false when its key is already there.
  mutating func restoreEntry(_ key: UInt64, _ queuedAt: Int64, _ value: Value) -> Bool {
    guard count < limit, slot(of: key) == nil else { return false }
    if (count + 1) * 5 > capacity * 4 && capacity < maxCapacity { grow() }
    var i = home(key)
    while self.key(at: i) != 0 { i = next(i) }
    setKey(key, at: i)
    self.value(at: i).initialize(to: value)
    count += 1
    ring.push(key, queuedAt)
    return true
  }
}
