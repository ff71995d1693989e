/// One template's or campaign's messages through the funnel (`templates.X`, `campaigns.X`,
/// SPEC §5 version 2), counted at the sent message's time like the overall funnel.
struct LabelFunnel: Sendable {
  var funnel = FunnelCounts()
  /// Its messages that got an inbound `button` or `interactive` message naming them in
  /// `replyTo` (a tap on a template's button): a subset of `replied`.
  var clicked = 0
  /// Its failures by Meta error code; a failure that arrived before its `message.sent`
  /// counts as `"unspecified"` (its code was not kept), so the codes still add up to `failed`.
  var failedByCode = LabelCounts(limit: 100)
  /// Campaigns only: the sum of `recipientCount` of its `campaign.sent` events.
  var audience = 0
  /// Campaigns only: the first `campaignName` and `templateId` seen.
  var name: String? = nil
  var templateId: String? = nil

  /// A `recipientCount` as an audience: at most `StateDecoder.maxCount`, the most a state
  /// file holds. Valid JSON has no bound (`1e19`, a 30-digit integer): converted as it was,
  /// one past Int.max trapped, and one past 2^56 was saved into a state the next start
  /// refused as corrupt.
  static func audience(_ recipients: Double) -> Int {
    recipients < Double(StateDecoder.maxCount) ? Int(max(recipients, 0)) : StateDecoder.maxCount
  }

  /// Adds to `audience`, which stays at most `StateDecoder.maxCount` (campaigns under
  /// `"(other)"`, windows and shards add theirs up).
  mutating func addAudience(_ n: Int) {
    audience = n < StateDecoder.maxCount - audience ? audience + n : StateDecoder.maxCount
  }

  @inline(__always)
  mutating func move(from old: MessageFlags, to new: MessageFlags) {
    funnel.move(from: old, to: new)
    clicked += new.clickedStage - old.clickedStage
  }

  mutating func merge(_ o: LabelFunnel) {
    funnel.merge(o.funnel)
    clicked += o.clicked
    failedByCode.merge(o.failedByCode)
    addAudience(o.audience)
    if name == nil { name = o.name }
    if templateId == nil { templateId = o.templateId }
  }
}

/// Per-template (or per-campaign) funnels keyed by the 64-bit hash of the id, capped like any
/// label from the input: past `limit` new ids share the row `"(other)"`.
struct LabelFunnelTable: Sendable {
  static let limit = LabelCounts.defaultLimit

  private var ids = LabelCounts(limit: LabelFunnelTable.limit)
  var stats: [LabelFunnel] = []

  var isEmpty: Bool { stats.isEmpty }

  /// The index in `stats` of the id with this hash; `name` is called only when new.
  @inline(__always)
  mutating func index(hash: UInt64, name: () -> String) -> Int {
    let i = ids.slot(hash: hash, name: name)
    while stats.count <= i { stats.append(LabelFunnel()) }
    return i
  }

  mutating func merge(_ other: LabelFunnelTable) {
    for (i, name) in other.ids.names.enumerated() {
      let mine = index(hash: Hash64.hash(name)) { name }
      stats[mine].merge(other.stats[i])
    }
  }

  /// `(id, stats)` in byte order of the ids.
  var sorted: [(String, LabelFunnel)] {
    zip(ids.names, stats).sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
  }
}

/// The aggregator's own numbering of the templates and campaigns its messages name, so that a
/// message's entry holds a 16-bit number instead of a string. Number 0 is "none"; the ids are
/// capped like the metrics' tables (`"(other)"` past the cap), so the numbers stay small.
struct LabelRegistry: Sendable {
  private var labels = LabelCounts(limit: LabelFunnelTable.limit)
  private(set) var hashes: [UInt64] = []

  /// The number (from 1) of the id with this hash, registered when new.
  @inline(__always)
  mutating func number(hash: UInt64, name: () -> String) -> UInt16 {
    let i = labels.slot(hash: hash, name: name)
    if i == hashes.count { hashes.append(Hash64.hash(labels.names[i])) }
    return UInt16(truncatingIfNeeded: i + 1)
  }

  /// The hash and id of a number given by `number`.
  @inline(__always)
  func label(_ n: UInt16) -> (hash: UInt64, name: String) {
    let i = Int(n) - 1
    return (hashes[i], labels.names[i])
  }

  /// How many numbers are given (the largest valid number).
  var count: Int { hashes.count }
}

extension LabelRegistry {
  func encode(to e: inout StateEncoder) { labels.encode(to: &e) }

  init(from d: inout StateDecoder) throws(StateError) {
    labels = try LabelCounts(from: &d, limit: LabelFunnelTable.limit)
    hashes = labels.names.map { Hash64.hash($0) }
  }
}

extension LabelFunnel {
  func encode(to e: inout StateEncoder) {
    funnel.encode(to: &e)
    e.int(clicked)
    failedByCode.encode(to: &e)
    e.int(audience)
    e.optionalString(name)
    e.optionalString(templateId)
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    funnel = try FunnelCounts(from: &d)
    clicked = try d.count("a funnel's clicked")
    failedByCode = try LabelCounts(from: &d, limit: 100)
    audience = try d.count("a campaign's audience")
    name = try d.optionalString("a campaign's name")
    templateId = try d.optionalString("a campaign's templateId")
  }
}

extension LabelFunnelTable {
  /// The ids in first-seen order, then one funnel per id.
  func encode(to e: inout StateEncoder) {
    ids.encode(to: &e)
    for s in stats { s.encode(to: &e) }
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    ids = try LabelCounts(from: &d, limit: Self.limit)
    stats.reserveCapacity(ids.names.count)
    for _ in ids.names { stats.append(try LabelFunnel(from: &d)) }
  }
}
