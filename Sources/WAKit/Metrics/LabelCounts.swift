/// Counts per label (content type, error code, resolution, source), keyed by a 64-bit hash of
/// the label's bytes.
///
/// The label's text is decoded once, the first time its hash is seen, so counting an event
/// allocates nothing. The number of distinct labels is capped (`limit`): labels come from
/// the input, and a stream with a new `contentType` on every line must not grow the snapshot
/// without end; past the cap, new labels are counted under `"(other)"`. Mergeable by label.
public struct LabelCounts: Sendable {
  /// Distinct labels kept before `"(other)"` takes the rest.
  public static let defaultLimit = 1000
  public static let overflowLabel = "(other)"

  public let limit: Int
  private var index: [UInt64: Int] = [:]
  public private(set) var names: [String] = []
  public private(set) var counts: [Int] = []
  /// The most recent label, so a run of events with the same label skips the dictionary.
  private var lastHash: UInt64 = 0
  private var lastIndex = -1

  public init(limit: Int = LabelCounts.defaultLimit) { self.limit = limit }

  /// Adds `count` to the label with this hash; `name` is called only for a new label.
  @inline(__always)
  public mutating func add(hash: UInt64, count: Int = 1, name: () -> String) {
    if hash == lastHash && lastIndex >= 0 {
      counts[lastIndex] += count
      return
    }
    let i = slot(hash: hash, name: name)
    counts[i] += count
    lastHash = hash
    lastIndex = i
  }

  /// The index of the label with `hash`, created when new.
  public mutating func slot(hash: UInt64, name: () -> String) -> Int {
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

  public mutating func merge(_ other: LabelCounts) {
    for (i, name) in other.names.enumerated() {
      add(hash: Hash64.hash(name), count: other.counts[i]) { name }
    }
  }

  /// `(label, count)` pairs in byte order of the labels (the snapshot's order).
  public var sorted: [(String, Int)] {
    zip(names, counts).sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
  }
}
