/// The aggregator's part of a state file: the metrics, the stream clock, the five state
/// tables (messages, users, resolutions, identity aliases, conversations) and the names of
/// assigned agents, a section each. A new metric adds its section in `AggregateMetrics`; a
/// new per-key table or other aggregator state adds one here (and to `merge`).
extension Aggregator {
  func encodeSections(to e: inout StateEncoder) {
    metrics.encodeSections(to: &e)
    e.section("CLCK") {
      $0.optionalTime(latest)
      $0.optionalTime(pending)
    }
    e.section("TIDS") { templateIDs.encode(to: &$0) }
    e.section("CIDS") { campaignIDs.encode(to: &$0) }
    e.section("TMSG") { messages.encode(to: &$0) }
    e.section("TUSR") { users.encode(to: &$0) }
    e.section("TRES") { resolutions.encode(to: &$0) }
    e.section("TALS") { aliases.encode(to: &$0) }
    e.section("WNDW") { windows.encode(to: &$0) }
    e.section("TCNV") { conversations.encode(to: &$0) }
    e.section("ANAM") { Self.encode(agentNames: agentNames, to: &$0) }
  }

  /// By hash, so that equal states give equal bytes.
  static func encode(agentNames: [UInt64: String], to e: inout StateEncoder) {
    e.u64(UInt64(agentNames.count))
    for (hash, name) in agentNames.sorted(by: { $0.key < $1.key }) {
      e.u64(hash)
      e.string(name)
    }
  }

  static func decodeAgentNames(from d: inout StateDecoder) throws(StateError) -> [UInt64: String] {
    let n = try d.length("agent names", itemBytes: 16, limit: AgentTable.limit)
    var names: [UInt64: String] = [:]
    names.reserveCapacity(n)
    for _ in 0..<n {
      let hash = try d.u64()
      let name = try d.string("an agent's name", maxBytes: 1 << 16)
      guard names.updateValue(name, forKey: hash) == nil else {
        throw .corrupt("agent name \(hash) appears twice")
      }
    }
    return names
  }

  /// Replaces everything this aggregator holds with the sections' contents.
  func decodeSections(_ s: inout StateSections) throws(StateError) {
    metrics = try AggregateMetrics(sections: &s)
    (latest, pending) = try s.section("CLCK") { d throws(StateError) in
      (try d.optionalTime("the stream clock"), try d.optionalTime("the held time"))
    }
    let (messages, users, resolutions, aliases) = (
      self.messages, self.users, self.resolutions, self.aliases
    )
    templateIDs = try s.section("TIDS") { d throws(StateError) in try LabelRegistry(from: &d) }
    campaignIDs = try s.section("CIDS") { d throws(StateError) in try LabelRegistry(from: &d) }
    try s.section("TMSG") { d throws(StateError) in try messages.decode(from: &d) }
    // A message's numbers must name registered ids: `LabelRegistry.label` would trap.
    for item in messages.items
    where Int(item.value.template) > templateIDs.count
      || Int(item.value.campaign) > campaignIDs.count
    {
      throw .corrupt("message \(item.key) names template/campaign number that is not registered")
    }
    try s.section("TUSR") { d throws(StateError) in try users.decode(from: &d) }
    try s.section("TRES") { d throws(StateError) in try resolutions.decode(from: &d) }
    try s.section("TALS") { d throws(StateError) in try aliases.decode(from: &d) }
    var windows = self.windows
    try s.section("WNDW") { d throws(StateError) in try windows.decode(from: &d) }
    self.windows = windows
    let conversations = self.conversations
    try s.section("TCNV") { d throws(StateError) in try conversations.decode(from: &d) }
    agentNames = try s.section("ANAM") { d throws(StateError) in
      try Self.decodeAgentNames(from: &d)
    }
    recountPending()
  }

  /// Adds a shard's state (SPEC §9): metrics merge as partials; the stream clock is the
  /// later of the two; the tables are united in order of queue time (shards split by
  /// `userId` share no keys; if they do, the later-queued entry wins), keeping the newest
  /// `--max-state` entries.
  func merge(_ other: Aggregator) {
    var waiting = MergedEntries()
    merge(other, into: &waiting)
    unite(&waiting)
  }

  /// `merge` with the shard's table entries left in `waiting`, united by `unite(_:)` once
  /// every shard is in (or when a table's worth is waiting). Uniting sorts the tables and
  /// walks every user's reply list: done after each shard, merging N shards cost N times the
  /// size of their union (1,000 shards of a 200,000-event stream: 12 s, against 0.2 s for
  /// 10 shards of the same stream).
  func merge(_ other: Aggregator, into waiting: inout MergedEntries) {
    metrics.merge(other.metrics)
    windows.merge(other.windows)
    if let t = other.latest { latest = max(latest ?? t, t) }
    if latest != nil {
      pending = nil
    } else if let t = other.pending {
      pending = max(pending ?? t, t)
    }
    // The other's messages carry its own template/campaign numbers: renumber them in ours.
    let templates = Self.renumber(other.templateIDs, into: &templateIDs)
    let campaigns = Self.renumber(other.campaignIDs, into: &campaignIDs)
    let first = waiting.messages.count
    waiting.messages += other.messages.items
    for i in first..<waiting.messages.count {
      waiting.messages[i].value.template = templates[Int(waiting.messages[i].value.template)]
      waiting.messages[i].value.campaign = campaigns[Int(waiting.messages[i].value.campaign)]
    }
    waiting.users += other.users.items
    waiting.resolutions += other.resolutions.items
    waiting.aliases += other.aliases.items
    waiting.conversations += other.conversations.items
    for (hash, name) in other.agentNames where agentNames.count < AgentTable.limit {
      if agentNames[hash] == nil { agentNames[hash] = name }
    }
    // Memory stays within about twice the tables' cap, and each entry is sorted a few times.
    if waiting.largest > configuration.maxState { unite(&waiting) }
  }

  /// Unites the waiting entries with the tables, and empties `waiting`.
  func unite(_ waiting: inout MergedEntries) {
    metrics.input.evicted += Self.unite(messages, waiting.messages).count
    metrics.input.evicted += Self.unite(users, waiting.users).count
    metrics.input.evicted += Self.unite(resolutions, waiting.resolutions).count
    metrics.input.evicted += Self.unite(aliases, waiting.aliases).count
    // Conversations that do not fit are settled as if evicted (their running SLAs missed).
    let dropped = Self.unite(conversations, waiting.conversations)
    metrics.input.evicted += dropped.count
    settle(dropped: dropped)
    recountPending()
    waiting = MergedEntries()
  }

  /// For every number of `other` (index; 0 stays 0), the number of the same id in `mine`.
  private static func renumber(_ other: LabelRegistry, into mine: inout LabelRegistry) -> [UInt16] {
    var map: [UInt16] = [0]
    for n in 0..<other.count {
      let label = other.label(UInt16(n + 1))
      map.append(mine.number(hash: label.hash) { label.name })
    }
    return map
  }

  /// Puts the entries of both tables into `a`; returns those that did not fit.
  private static func unite<V: StateEntry>(
    _ a: StateTable<V>, _ b: [(key: UInt64, queuedAt: Int64, value: V)]
  ) -> [V] {
    guard !b.isEmpty else { return [] }
    var all = a.items + b
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
    let lost = united.prefix(dropped).map(\.value)
    if dropped > 0 { united.removeFirst(dropped) }
    // Cannot fail: the keys are distinct and within the limit.
    try? a.restore(united)
    return lost
  }
}

/// Shards' table entries merged but not yet united with the tables (see
/// `Aggregator.merge(_:into:)`), each with its queue time, in the shards' order.
struct MergedEntries {
  var messages: [(key: UInt64, queuedAt: Int64, value: MessageState)] = []
  var users: [(key: UInt64, queuedAt: Int64, value: UserState)] = []
  var resolutions: [(key: UInt64, queuedAt: Int64, value: ResolutionState)] = []
  var aliases: [(key: UInt64, queuedAt: Int64, value: AliasState)] = []
  var conversations: [(key: UInt64, queuedAt: Int64, value: ConversationState)] = []

  var largest: Int {
    max(messages.count, users.count, resolutions.count, aliases.count, conversations.count)
  }
}
