/// One agent's numbers in the snapshot's `agents` map.
struct AgentStats: Sendable {
  /// Its messages counted in `sentByAgent` (with its `agentId`, not automated).
  var messagesSent = 0
  /// Its `chat.resolved` events.
  var chatsResolved = 0
  var durationMinutesSum = 0.0
  var messageCountSum = 0.0
  /// Its share of `agentResponseTime`: the clocks its messages stopped. Exact for its first
  /// 256 samples (then a DDSketch), so that many agents cannot cost much memory.
  var responseTime = Distribution(exactLimit: 256)
  /// Business time, buckets, assignment response time and SLA counts.
  var desk = AgentDeskStats()

  init() {}

  var avgDurationMinutes: Double? {
    chatsResolved == 0 ? nil : durationMinutesSum / Double(chatsResolved)
  }
  var avgMessageCount: Double? {
    chatsResolved == 0 ? nil : messageCountSum / Double(chatsResolved)
  }

  mutating func merge(_ other: AgentStats) {
    messagesSent += other.messagesSent
    chatsResolved += other.chatsResolved
    durationMinutesSum += other.durationMinutesSum
    messageCountSum += other.messageCountSum
    responseTime.merge(other.responseTime)
    desk.merge(other.desk)
  }
}

/// Per-agent numbers, keyed by the 64-bit hash of the `agentId` bytes.
///
/// The id's text is decoded once, when the agent first appears. `chat.resolved` without an
/// `agentId` counts under `"unassigned"` (an agent whose id is literally `unassigned` shares
/// that row). The number of agents is capped like any label from the input; past the cap
/// new ids share the row `"(other)"`. With at most 10,000 rows of a few KB each (the sketch
/// of a busy agent's response times is the largest part), agents stay within ~100 MB even on
/// hostile input, and within kilobytes on real traffic.
struct AgentTable: Sendable {
  static let unassigned = "unassigned"
  static let limit = 10_000

  private var ids = LabelCounts(limit: AgentTable.limit)
  var stats: [AgentStats] = []

  init() {}

  /// The index in `stats` of the agent with this id hash; `name` is called only when new.
  /// (`LabelCounts.slot` keeps the recent agents in its own cache.)
  @inline(__always)
  mutating func index(hash: UInt64, name: () -> String) -> Int {
    let i = ids.slot(hash: hash, name: name)
    while stats.count <= i { stats.append(AgentStats()) }
    return i
  }

  mutating func merge(_ other: AgentTable) {
    for (i, name) in other.ids.names.enumerated() {
      let mine = index(hash: Hash64.hash(name)) { name }
      stats[mine].merge(other.stats[i])
    }
  }

  /// `(id, stats)` in byte order of the ids.
  var sorted: [(String, AgentStats)] {
    zip(ids.names, stats).sorted {
      $0.0.utf8.lexicographicallyPrecedes($1.0.utf8)
    }
  }
}

extension AgentStats {
  func encode(to e: inout StateEncoder) {
    e.int(messagesSent)
    e.int(chatsResolved)
    e.double(durationMinutesSum)
    e.double(messageCountSum)
    responseTime.encode(to: &e)
    desk.encode(to: &e)
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    messagesSent = try d.count("agent messagesSent")
    chatsResolved = try d.count("agent chatsResolved")
    durationMinutesSum = Double(bitPattern: try d.u64())
    messageCountSum = Double(bitPattern: try d.u64())
    responseTime = try Distribution(from: &d, exactLimit: 256)
    desk = try AgentDeskStats(from: &d)
  }
}

extension AgentTable {
  func encode(to e: inout StateEncoder) {
    ids.encode(to: &e)
    for s in stats { s.encode(to: &e) }
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    ids = try LabelCounts(from: &d, limit: AgentTable.limit)
    let n = ids.names.count
    guard n * 41 <= d.remaining else { throw .corrupt("agents run past their section") }
    stats.reserveCapacity(n)
    for _ in 0..<n { stats.append(try AgentStats(from: &d)) }
  }
}
