/// The aggregator's part of a state file: the metrics, the stream clock and the three
/// state tables, a section each. A new metric adds its section in `AggregateMetrics`; a new
/// per-key table or other aggregator state adds one here (and to `merge`).
extension Aggregator {
  func encodeSections(to e: inout StateEncoder) {
    metrics.encodeSections(to: &e)
    e.section("CLCK") {
      $0.optionalTime(latest)
      $0.optionalTime(pending)
    }
    e.section("TMSG") { messages.encode(to: &$0) }
    e.section("TUSR") { users.encode(to: &$0) }
    e.section("TRES") { resolutions.encode(to: &$0) }
    e.section("WNDW") { windows.encode(to: &$0) }
  }

  /// Replaces everything this aggregator holds with the sections' contents.
  mutating func decodeSections(_ s: inout StateSections) throws(StateError) {
    metrics = try AggregateMetrics(sections: &s)
    (latest, pending) = try s.section("CLCK") { d throws(StateError) in
      (try d.optionalTime("the stream clock"), try d.optionalTime("the held time"))
    }
    let (messages, users, resolutions) = (self.messages, self.users, self.resolutions)
    try s.section("TMSG") { d throws(StateError) in try messages.decode(from: &d) }
    try s.section("TUSR") { d throws(StateError) in try users.decode(from: &d) }
    try s.section("TRES") { d throws(StateError) in try resolutions.decode(from: &d) }
    var windows = self.windows
    try s.section("WNDW") { d throws(StateError) in try windows.decode(from: &d) }
    self.windows = windows
  }

  /// Adds a shard's state (SPEC §9): metrics merge as partials; the stream clock is the
  /// later of the two; the tables are united in order of queue time (shards split by
  /// `userId` share no keys; if they do, the later-queued entry wins), keeping the newest
  /// `--max-state` entries.
  mutating func merge(_ other: Aggregator) {
    metrics.merge(other.metrics)
    windows.merge(other.windows)
    if let t = other.latest { latest = max(latest ?? t, t) }
    if latest != nil {
      pending = nil
    } else if let t = other.pending {
      pending = max(pending ?? t, t)
    }
    metrics.input.evicted += Self.unite(messages, other.messages)
    metrics.input.evicted += Self.unite(users, other.users)
    metrics.input.evicted += Self.unite(resolutions, other.resolutions)
  }

  /// Puts the entries of both tables into `a`; returns how many did not fit.
  private static func unite<V: StateEntry>(_ a: StateTable<V>, _ b: StateTable<V>) -> Int {
    guard b.count > 0 else { return 0 }
    var all = a.items + b.items
    // Stable: equal times keep a's entries first.
    all = all.enumerated().sorted {
      ($0.element.queuedAt, $0.offset) < ($1.element.queuedAt, $1.offset)
    }.map(\.element)
    var seen: [UInt64: Int] = [:]
    var united: [(key: UInt64, queuedAt: Int64, value: V)] = []
    for item in all {
      if let i = seen[item.key] {
        united[i].value =
          item.value.touched >= united[i].value.touched ? item.value : united[i].value
        continue
      }
      seen[item.key] = united.count
      united.append(item)
    }
    let dropped = max(0, united.count - a.limit)
    if dropped > 0 { united.removeFirst(dropped) }
    // Cannot fail: the keys are distinct and within the limit.
    try? a.restore(united)
    return dropped
  }
}
