/// How the aggregator's input was accounted for (`input` in the snapshot).
///
/// `lines − batches + batchItems = blank + rejected + foreign + events` always (without
/// batches and foreign lines: `lines = blank + rejected + events`); `duplicates` and `late`
/// are events (counted in `events` too); `evicted` counts state entries dropped to keep
/// memory bounded.
struct InputCounts: Sendable, Equatable {
  var lines = 0
  var events = 0
  var blank = 0
  var rejected = 0
  /// Lines and batch elements that are not WhatsApp track events, under `--foreign skip`.
  var foreign = 0
  /// Batch lines, and the elements they held (each counted again as an event, a rejected
  /// or a foreign item).
  var batches = 0
  var batchItems = 0
  /// Events seen before (same key, SPEC §5), counted once and otherwise ignored.
  var duplicates = 0
  /// Events whose own time is more than `--state-horizon` behind the latest event time: they
  /// are counted like any other, but the state they would meet may already be gone.
  var late = 0
  /// Per-message, per-user and per-resolution entries evicted (horizon or size cap).
  var evicted = 0
  /// Events none of whose numbers fell in `[--since, --until)` (counted nowhere else).
  var outOfRange = 0

  init() {}

  mutating func merge(_ o: InputCounts) { mergeCounts(o) }
}

/// Distinct messages (`messages` in the snapshot).
struct MessageCounts: Sendable {
  var received = 0
  var sent = 0
  var sentByAgent = 0
  var sentAutomated = 0
  var sentTemplate = 0
  var delivered = 0
  var read = 0
  var failed = 0
  var failedByCode = LabelCounts()
  var receivedByContentType = LabelCounts()
  var sentByContentType = LabelCounts()

  init() {}

  mutating func merge(_ o: MessageCounts) {
    mergeCounts(o)
    failedByCode.merge(o.failedByCode)
    receivedByContentType.merge(o.receivedByContentType)
    sentByContentType.merge(o.sentByContentType)
  }
}

/// Sent messages by the highest stage they reached (`funnel`): each count includes the
/// messages that went further, so sent ≥ delivered ≥ read ≥ replied.
struct FunnelCounts: Sendable, Equatable {
  var sent = 0
  var delivered = 0
  var read = 0
  var replied = 0
  var failed = 0

  init() {}

  /// Moves one message from the stages its old flags give to those its new flags give. A
  /// message without `.sent` counts nowhere: its statuses are held until it arrives.
  @inline(__always)
  mutating func move(from old: MessageFlags, to new: MessageFlags) {
    let a = old.funnelStages
    let b = new.funnelStages
    sent += b.sent - a.sent
    delivered += b.delivered - a.delivered
    read += b.read - a.read
    replied += b.replied - a.replied
    failed += b.failed - a.failed
  }

  mutating func merge(_ o: FunnelCounts) { mergeCounts(o) }

  /// `delivered / sent`, nil when nothing was sent.
  var deliveryRate: Double? { ratio(delivered) }
  /// `read / sent`: the dashboard's Read Rate.
  var readRate: Double? { ratio(read) }
  var replyRate: Double? { ratio(replied) }

  private func ratio(_ n: Int) -> Double? { sent == 0 ? nil : Double(n) / Double(sent) }
}

/// Distinct received and sent messages by local day of week × hour (`heatmap`), from which
/// `volumeByHour` is the sum over the days.
struct HourlyVolume: Sendable, Equatable {
  /// 7 × 24 cells, Monday 00:00 first.
  var received = [Int](repeating: 0, count: 168)
  var sent = [Int](repeating: 0, count: 168)

  init() {}

  mutating func merge(_ o: HourlyVolume) {
    for i in 0..<168 {
      received[i] += o.received[i]
      sent[i] += o.sent[i]
    }
  }

  /// 24 counts, one per local hour, over every day of the week.
  static func byHour(_ cells: [Int]) -> [Int] {
    (0..<24).map { h in (0..<7).reduce(0) { $0 + cells[$1 * 24 + h] } }
  }
}

/// `conversations`: from `chat.resolved`.
struct ConversationStats: Sendable {
  var resolved = 0
  var byResolution = LabelCounts()
  var messageCount = Distribution()
  var durationMinutes = Distribution()

  init() {}

  mutating func merge(_ o: ConversationStats) {
    resolved += o.resolved
    byResolution.merge(o.byResolution)
    messageCount.merge(o.messageCount)
    durationMinutes.merge(o.durationMinutes)
  }
}

/// `contacts`: from `contact.created`.
struct ContactStats: Sendable {
  var created = 0
  var bySource = LabelCounts()

  init() {}

  mutating func merge(_ o: ContactStats) {
    created += o.created
    bySource.merge(o.bySource)
  }
}

/// Every number of a snapshot, as a mergeable partial.
///
/// Counts add, distributions merge their samples or sketches, distinct counts merge their
/// HyperLogLogs, event-time bounds take the min and max. Two aggregators fed disjoint parts
/// of a stream (partitioned by `userId`, so each message's events meet in one) merge into
/// the metrics of the whole stream: the basis for windows and shard merging later.
struct AggregateMetrics: Sendable {
  var input = InputCounts()
  var messages = MessageCounts()
  var funnel = FunnelCounts()
  var responseTime = Distribution()
  var agentResponseTime = Distribution()
  var volume = HourlyVolume()
  var countries = CountryTable()
  var agents = AgentTable()
  var conversations = ConversationStats()
  var contacts = ContactStats()
  /// Per `templateId` and per `campaignId` funnels (version 2).
  var templates = LabelFunnelTable()
  var campaigns = LabelFunnelTable()
  var pricing = PricingStats()
  var cost = CostStats()
  /// Distinct users (persons: a phone number and its BSUID count once, once linked).
  var users = HyperLogLog()
  /// Version 2's service-desk numbers.
  var desk = ServiceDeskMetrics()
  /// Of those, the persons first seen under a BSUID (`users.byIdentity.bsuid`; the rest are
  /// `phone`). One sketch more, fed only by BSUID users: phone-only streams pay nothing.
  var bsuidUsers = HyperLogLog()
  /// Earliest and latest event time taken from an event's own `timestamp` or `receivedAt`.
  var firstEventTime: Int64? = nil
  var lastEventTime: Int64? = nil

  init() {}

  mutating func merge(_ o: AggregateMetrics) {
    input.merge(o.input)
    messages.merge(o.messages)
    funnel.merge(o.funnel)
    responseTime.merge(o.responseTime)
    agentResponseTime.merge(o.agentResponseTime)
    volume.merge(o.volume)
    countries.merge(o.countries)
    agents.merge(o.agents)
    conversations.merge(o.conversations)
    contacts.merge(o.contacts)
    templates.merge(o.templates)
    campaigns.merge(o.campaigns)
    pricing.merge(o.pricing)
    cost.merge(o.cost)
    users.merge(o.users)
    desk.merge(o.desk)
    bsuidUsers.merge(o.bsuidUsers)
    if let t = o.firstEventTime { firstEventTime = min(firstEventTime ?? t, t) }
    if let t = o.lastEventTime { lastEventTime = max(lastEventTime ?? t, t) }
  }
}

// MARK: State (SPEC §9): each part encodes and decodes itself; see StateCoding.swift.

extension InputCounts: CountFields {
  static let countFields: [CountField<InputCounts>] = [
    .init(\.lines, "input.lines"), .init(\.events, "input.events"),
    .init(\.blank, "input.blank"), .init(\.rejected, "input.rejected"),
    .init(\.duplicates, "input.duplicates"), .init(\.late, "input.late"),
    .init(\.evicted, "input.evicted"), .init(\.outOfRange, "input.outOfRange"),
    .init(\.foreign, "input.foreign", since: 5), .init(\.batches, "input.batches", since: 5),
    .init(\.batchItems, "input.batchItems", since: 5),
  ]

  func encode(to e: inout StateEncoder) { encodeCounts(to: &e) }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    try decodeCounts(from: &d)
  }
}

extension MessageCounts: CountFields {
  static let countFields: [CountField<MessageCounts>] = [
    .init(\.received, "messages.received"), .init(\.sent, "messages.sent"),
    .init(\.sentByAgent, "messages.sentByAgent"),
    .init(\.sentAutomated, "messages.sentAutomated"),
    .init(\.sentTemplate, "messages.sentTemplate"), .init(\.delivered, "messages.delivered"),
    .init(\.read, "messages.read"), .init(\.failed, "messages.failed"),
  ]

  func encode(to e: inout StateEncoder) {
    encodeCounts(to: &e)
    failedByCode.encode(to: &e)
    receivedByContentType.encode(to: &e)
    sentByContentType.encode(to: &e)
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    try decodeCounts(from: &d)
    failedByCode = try LabelCounts(from: &d)
    receivedByContentType = try LabelCounts(from: &d)
    sentByContentType = try LabelCounts(from: &d)
  }
}

extension FunnelCounts: CountFields {
  static let countFields: [CountField<FunnelCounts>] = [
    .init(\.sent, "funnel.sent"), .init(\.delivered, "funnel.delivered"),
    .init(\.read, "funnel.read"), .init(\.replied, "funnel.replied"),
    .init(\.failed, "funnel.failed"),
  ]

  func encode(to e: inout StateEncoder) { encodeCounts(to: &e) }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    try decodeCounts(from: &d)
  }
}

extension HourlyVolume {
  func encode(to e: inout StateEncoder) {
    for v in received { e.int(v) }
    for v in sent { e.int(v) }
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    for i in 0..<168 { received[i] = try d.count("volume.received") }
    for i in 0..<168 { sent[i] = try d.count("volume.sent") }
  }
}

extension ConversationStats {
  func encode(to e: inout StateEncoder) {
    e.int(resolved)
    byResolution.encode(to: &e)
    messageCount.encode(to: &e)
    durationMinutes.encode(to: &e)
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    resolved = try d.count("conversations.resolved")
    byResolution = try LabelCounts(from: &d)
    messageCount = try Distribution(from: &d)
    durationMinutes = try Distribution(from: &d)
  }
}

extension ContactStats {
  func encode(to e: inout StateEncoder) {
    e.int(created)
    bySource.encode(to: &e)
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    created = try d.count("contacts.created")
    bySource = try LabelCounts(from: &d)
  }
}

extension AggregateMetrics {
  /// One section per part. A new metric adds its line here and in `init(sections:)`.
  func encodeSections(to e: inout StateEncoder) {
    e.section("INPT") { input.encode(to: &$0) }
    e.section("MSGS") { messages.encode(to: &$0) }
    e.section("FUNL") { funnel.encode(to: &$0) }
    e.section("RESP") { responseTime.encode(to: &$0) }
    e.section("ARSP") { agentResponseTime.encode(to: &$0) }
    e.section("VOLU") { volume.encode(to: &$0) }
    e.section("CTRY") { countries.encode(to: &$0) }
    e.section("AGNT") { agents.encode(to: &$0) }
    e.section("CONV") { conversations.encode(to: &$0) }
    e.section("CONT") { contacts.encode(to: &$0) }
    e.section("TMPL") { templates.encode(to: &$0) }
    e.section("CAMP") { campaigns.encode(to: &$0) }
    e.section("PRIC") { pricing.encode(to: &$0) }
    e.section("COST") { cost.encode(to: &$0) }
    e.section("USRS") {
      users.encode(to: &$0)
      bsuidUsers.encode(to: &$0)
    }
    e.section("DESK") { desk.encode(to: &$0) }
    e.section("ETIM") {
      $0.optionalTime(firstEventTime)
      $0.optionalTime(lastEventTime)
    }
  }

  init(sections s: inout StateSections) throws(StateError) {
    self.init()
    input = try s.section("INPT") { d throws(StateError) in try InputCounts(from: &d) }
    messages = try s.section("MSGS") { d throws(StateError) in try MessageCounts(from: &d) }
    funnel = try s.section("FUNL") { d throws(StateError) in try FunnelCounts(from: &d) }
    responseTime = try s.section("RESP") { d throws(StateError) in try Distribution(from: &d) }
    agentResponseTime = try s.section("ARSP") { d throws(StateError) in
      try Distribution(from: &d)
    }
    volume = try s.section("VOLU") { d throws(StateError) in try HourlyVolume(from: &d) }
    countries = try s.section("CTRY") { d throws(StateError) in try CountryTable(from: &d) }
    agents = try s.section("AGNT") { d throws(StateError) in try AgentTable(from: &d) }
    conversations = try s.section("CONV") { d throws(StateError) in
      try ConversationStats(from: &d)
    }
    contacts = try s.section("CONT") { d throws(StateError) in try ContactStats(from: &d) }
    templates = try s.section("TMPL") { d throws(StateError) in try LabelFunnelTable(from: &d) }
    campaigns = try s.section("CAMP") { d throws(StateError) in try LabelFunnelTable(from: &d) }
    pricing = try s.section("PRIC") { d throws(StateError) in try PricingStats(from: &d) }
    cost = try s.section("COST") { d throws(StateError) in try CostStats(from: &d) }
    (users, bsuidUsers) = try s.section("USRS") { d throws(StateError) in
      (try HyperLogLog(from: &d), try HyperLogLog(from: &d))
    }
    desk = try s.section("DESK") { d throws(StateError) in try ServiceDeskMetrics(from: &d) }
    (firstEventTime, lastEventTime) = try s.section("ETIM") { d throws(StateError) in
      (try d.optionalTime("eventTime.first"), try d.optionalTime("eventTime.last"))
    }
  }
}
