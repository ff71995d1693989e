/// Counts per label (content type, error code, resolution, source), keyed by a 64-bit hash of
/// the label's bytes.
///
/// The label's text is decoded once, the first time its hash is seen, so counting an event
/// allocates nothing. The number of distinct labels is capped (`limit`): labels come from
/// the input, and a stream with a new `contentType` on every line must not grow the snapshot
/// without end; past the cap, new labels are counted under `"(other)"`. Mergeable by label.
struct LabelCounts: Sendable {
  /// Distinct labels kept before `"(other)"` takes the rest.
  static let defaultLimit = 1000
  static let overflowLabel = "(other)"

  let limit: Int
  private var index: [UInt64: Int] = [:]
  private(set) var names: [String] = []
  private(set) var counts: [Int] = []
  /// Labels used lately, by 4 bits of their hash, so that a few labels taking turns (text,
  /// image, text …) skip the dictionary: its lookup (hashing the hash, probing) cost more
  /// than the rest of counting an event's label.
  private var recentHashes = InlineArray<16, UInt64>(repeating: 0)
  private var recentIndices = InlineArray<16, Int32>(repeating: -1)

  init(limit: Int = LabelCounts.defaultLimit) { self.limit = limit }

  /// Adds `count` to the label with this hash; `name` is called only for a new label.
  @inline(__always)
  mutating func add(hash: UInt64, count: Int = 1, name: () -> String) {
    counts[slot(hash: hash, name: name)] += count
  }

  /// The index of the label with `hash`, created when new.
  @inline(__always)
  mutating func slot(hash: UInt64, name: () -> String) -> Int {
    let r = Int(truncatingIfNeeded: hash &>> 60)
    if recentHashes[r] == hash && recentIndices[r] >= 0 { return Int(recentIndices[r]) }
    let i = lookUp(hash: hash, name: name)
    recentHashes[r] = hash
    recentIndices[r] = Int32(truncatingIfNeeded: i)
    return i
  }

  /// `slot` past the recent labels: the dictionary, and a new label when not there.
  private mutating func lookUp(hash: UInt64, name: () -> String) -> Int {
    if let i = index[hash] { return i }
    if names.count >= limit {
      let overflow = Hash64.hash(Self.overflowLabel)
      if let i = index[overflow] { return i }
      return append(hash: overflow, name: Self.overflowLabel)
    }
    return append(hash: hash, name: name())
  }

  private mutating func append(hash: UInt64, name: String) -> Int {
    index[hash] = names.count
    names.append(name)
    counts.append(0)
    return names.count - 1
  }

  mutating func merge(_ other: LabelCounts) {
    for (i, name) in other.names.enumerated() {
      add(hash: Hash64.hash(name), count: other.counts[i]) { name }
    }
  }

  /// `(label, count)` pairs in byte order of the labels (the snapshot's order).
  var sorted: [(String, Int)] {
    zip(names, counts).sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
  }
}

extension LabelCounts {
  func encode(to e: inout StateEncoder) {
    e.u64(UInt64(names.count))
    for (name, count) in zip(names, counts) {
      e.string(name)
      e.int(count)
    }
  }

  /// Labels in their first-seen order, so the table goes on exactly as it was.
  init(from d: inout StateDecoder, limit: Int = LabelCounts.defaultLimit) throws(StateError) {
    self.init(limit: limit)
    // Past the cap, "(other)" is one more label.
    let n = try d.length("labels", itemBytes: 16, limit: limit + 1)
    names.reserveCapacity(n)
    counts.reserveCapacity(n)
    for _ in 0..<n {
      let name = try d.string("a label", maxBytes: 1 << 20)
      let count = try d.count("a label's count")
      let hash = Hash64.hash(name)
      guard index[hash] == nil else { throw .corrupt("label '\(name)' appears twice") }
      index[hash] = names.count
      names.append(name)
      counts.append(count)
    }
  }
}
