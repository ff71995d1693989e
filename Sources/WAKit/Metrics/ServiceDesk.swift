/// Service-desk numbers (SPEC §5, version 2): first response per conversation, latency
/// buckets, business-time distributions, SLAs, hand-offs, observed conversations. Every
/// part here is a mergeable partial, like the rest of `AggregateMetrics`.

/// Counts of response times by the first bucket they fit: `≤60s` … `>86400s`.
struct LatencyBuckets: Sendable, Equatable {
  static let bounds: [Double] = [60, 300, 900, 3600, 14_400, 86_400]
  static let keys = ["≤60s", "≤300s", "≤900s", "≤3600s", "≤14400s", "≤86400s", ">86400s"]

  var counts = [Int](repeating: 0, count: 7)

  @inline(__always)
  mutating func add(_ seconds: Double) {
    var i = 0
    while i < 6 && seconds > Self.bounds[i] { i += 1 }
    counts[i] += 1
  }

  mutating func merge(_ o: LatencyBuckets) {
    for i in 0..<7 { counts[i] += o.counts[i] }
  }
}

/// What each response clock gets beside its calendar distribution: `buckets`, and
/// `business` when `--business-hours` is given.
struct ClockExtras: Sendable {
  var buckets = LatencyBuckets()
  var business: Distribution

  init(exactLimit: Int = Distribution.defaultExactLimit) {
    business = Distribution(exactLimit: exactLimit)
  }

  mutating func merge(_ o: ClockExtras) {
    buckets.merge(o.buckets)
    business.merge(o.business)
  }
}

/// One SLA's outcome counts. `pending` (and the missed of running clocks) are worked out
/// when a snapshot is taken; the counts kept between events are settled ones.
struct SLATally: Sendable, Equatable {
  var met = 0
  var missed = 0
  var pending = 0

  var rate: Double? { met + missed == 0 ? nil : Double(met) / Double(met + missed) }

  mutating func merge(_ o: SLATally) { mergeCounts(o) }

  @inline(__always)
  mutating func settle(met isMet: Bool) { if isMet { met += 1 } else { missed += 1 } }
}

struct SLACounts: Sendable, Equatable {
  var firstResponse = SLATally()
  var resolution = SLATally()

  mutating func merge(_ o: SLACounts) {
    firstResponse.merge(o.firstResponse)
    resolution.merge(o.resolution)
  }
}

/// `--sla first-response=15m,resolution=24h`: targets in nanoseconds.
struct SLATargets: Sendable, Equatable {
  var firstResponse: Int64? = nil
  var resolution: Int64? = nil
  var isEmpty: Bool { firstResponse == nil && resolution == nil }
}

/// `handling`: how each resolved conversation was answered, and its assignments.
struct HandlingCounts: Sendable, Equatable {
  var botOnly = 0
  var handedOff = 0
  var agentOnly = 0
  var noReply = 0
  var assignments = 0
  var reassigned = 0

  mutating func merge(_ o: HandlingCounts) { mergeCounts(o) }
}

/// Users waiting for a reply when the snapshot is taken.
struct WaitingCounts: Sendable, Equatable {
  var now = 0
  var overWindow = 0

  mutating func merge(_ o: WaitingCounts) {
    now += o.now
    overWindow += o.overWindow
  }
}

/// The service-desk part of `AggregateMetrics`.
struct ServiceDeskMetrics: Sendable {
  /// Extras of version 1's `responseTime` and `agentResponseTime`.
  var response = ClockExtras()
  var agentResponse = ClockExtras()
  /// Per conversation: its first waiting episode only.
  var firstResponseTime = Distribution()
  var firstResponse = ClockExtras()
  var agentFirstResponseTime = Distribution()
  var agentFirstResponse = ClockExtras()
  /// From each `chat.assigned` to that agent's first message in the chat.
  var assignmentResponseTime = Distribution()
  var assignmentResponse = ClockExtras()
  var sla = SLACounts()
  var handling = HandlingCounts()
  /// Conversations that had an inbound message (each is in exactly one SLA outcome).
  var started = 0
  /// From `chat.resolved` of chats that were seen: minutes from the chat's first event, and
  /// distinct messages seen with its `chatId`.
  var observedDurationMinutes = Distribution()
  var observedMessageCount = Distribution()
  var disagree = 0
  /// Filled in when a snapshot is taken (see `Aggregator.snapshotMetrics`).
  var waiting = WaitingCounts()

  mutating func merge(_ o: ServiceDeskMetrics) {
    response.merge(o.response)
    agentResponse.merge(o.agentResponse)
    firstResponseTime.merge(o.firstResponseTime)
    firstResponse.merge(o.firstResponse)
    agentFirstResponseTime.merge(o.agentFirstResponseTime)
    agentFirstResponse.merge(o.agentFirstResponse)
    assignmentResponseTime.merge(o.assignmentResponseTime)
    assignmentResponse.merge(o.assignmentResponse)
    sla.merge(o.sla)
    handling.merge(o.handling)
    started += o.started
    observedDurationMinutes.merge(o.observedDurationMinutes)
    observedMessageCount.merge(o.observedMessageCount)
    disagree += o.disagree
    waiting.merge(o.waiting)
  }
}

/// An agent's service-desk numbers (`agents.X`).
struct AgentDeskStats: Sendable {
  var response = ClockExtras(exactLimit: 256)
  var assignmentResponseTime = Distribution(exactLimit: 256)
  var sla = SLACounts()

  mutating func merge(_ o: AgentDeskStats) {
    response.merge(o.response)
    assignmentResponseTime.merge(o.assignmentResponseTime)
    sla.merge(o.sla)
  }
}

/// Per-conversation state (keyed by `chatId`, or a user's 24 h session): the first-response
/// clocks, who answered, assignments, what was observed.
struct ConversationState: TimedState {
  static let none = Int64.min

  var touched: Int64
  var flags: ConversationFlags = []
  /// Distinct messages seen with this `chatId`.
  var messages: Int32 = 0
  /// `chat.assigned` events, and the id hash of the last one's agent, or 0.
  var assignments: Int32 = 0
  var assignedAgent: UInt64 = 0
  /// The conversation's first event, and its first inbound message.
  var firstSeen: Int64
  var firstInbound = ConversationState.none
  /// Running clocks: first response (any reply), first agent response, since assignment.
  var frtStart = ConversationState.none
  var agentFrtStart = ConversationState.none
  var assignedAt = ConversationState.none
  /// The first response, once known (nanoseconds; calendar and business), for the record.
  var firstResponse: Int64 = -1
  var firstResponseBusiness: Int64 = -1
  /// The first-response SLA outcome once settled: 0 none, 1 met, 2 missed.
  var firstResponseSLA: UInt8 = 0

  init(touched: Int64) {
    self.touched = touched
    firstSeen = touched
  }
}

struct ConversationFlags: OptionSet, Sendable, BitwiseCopyable {
  let rawValue: UInt16
  static let frtDone = ConversationFlags(rawValue: 1)
  static let agentFrtDone = ConversationFlags(rawValue: 2)
  static let botReplied = ConversationFlags(rawValue: 4)
  static let agentReplied = ConversationFlags(rawValue: 8)
  /// An automated reply came before the first agent reply.
  static let handedOff = ConversationFlags(rawValue: 16)
}

/// One `wa.conversation` record (`--emit conversations`), written at its `chat.resolved`.
struct ConversationOutcome: Sendable {
  var chatId: String
  var resolvedAt: Int64
  var agentId: String?
  var resolution: String?
  var firstInboundAt: Int64?
  var firstResponse: Int64?
  var firstResponseBusiness: Int64?
  var messageCount: Double
  var observedMessageCount: Int?
  var durationMinutes: Double
  var observedDurationMinutes: Double?
  var handling: String
  var firstResponseSLA: String?
  var resolutionSLA: String?
}

// MARK: State (SPEC §9): each part encodes and decodes itself; see StateCoding.swift.

extension LatencyBuckets {
  func encode(to e: inout StateEncoder) {
    for v in counts { e.int(v) }
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    for i in 0..<7 { counts[i] = try d.count("a latency bucket") }
  }
}

extension ClockExtras {
  func encode(to e: inout StateEncoder) {
    buckets.encode(to: &e)
    business.encode(to: &e)
  }

  init(from d: inout StateDecoder, exactLimit: Int = Distribution.defaultExactLimit)
    throws(StateError)
  {
    self.init(exactLimit: exactLimit)
    buckets = try LatencyBuckets(from: &d)
    business = try Distribution(from: &d, exactLimit: exactLimit)
  }
}

extension SLATally: CountFields {
  static let countFields: [CountField<SLATally>] = [
    .init(\.met, "sla.met"), .init(\.missed, "sla.missed"), .init(\.pending, "sla.pending"),
  ]

  func encode(to e: inout StateEncoder) { encodeCounts(to: &e) }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    try decodeCounts(from: &d)
  }
}

extension SLACounts {
  func encode(to e: inout StateEncoder) {
    firstResponse.encode(to: &e)
    resolution.encode(to: &e)
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    firstResponse = try SLATally(from: &d)
    resolution = try SLATally(from: &d)
  }
}

extension HandlingCounts: CountFields {
  static let countFields: [CountField<HandlingCounts>] = [
    .init(\.botOnly, "handling.botOnly"), .init(\.handedOff, "handling.handedOff"),
    .init(\.agentOnly, "handling.agentOnly"), .init(\.noReply, "handling.noReply"),
    .init(\.assignments, "handling.assignments"), .init(\.reassigned, "handling.reassigned"),
  ]

  func encode(to e: inout StateEncoder) { encodeCounts(to: &e) }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    try decodeCounts(from: &d)
  }
}

extension ServiceDeskMetrics {
  func encode(to e: inout StateEncoder) {
    response.encode(to: &e)
    agentResponse.encode(to: &e)
    firstResponseTime.encode(to: &e)
    firstResponse.encode(to: &e)
    agentFirstResponseTime.encode(to: &e)
    agentFirstResponse.encode(to: &e)
    assignmentResponseTime.encode(to: &e)
    assignmentResponse.encode(to: &e)
    sla.encode(to: &e)
    handling.encode(to: &e)
    e.int(started)
    observedDurationMinutes.encode(to: &e)
    observedMessageCount.encode(to: &e)
    e.int(disagree)
    e.int(waiting.now)
    e.int(waiting.overWindow)
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    response = try ClockExtras(from: &d)
    agentResponse = try ClockExtras(from: &d)
    firstResponseTime = try Distribution(from: &d)
    firstResponse = try ClockExtras(from: &d)
    agentFirstResponseTime = try Distribution(from: &d)
    agentFirstResponse = try ClockExtras(from: &d)
    assignmentResponseTime = try Distribution(from: &d)
    assignmentResponse = try ClockExtras(from: &d)
    sla = try SLACounts(from: &d)
    handling = try HandlingCounts(from: &d)
    started = try d.count("conversations started")
    observedDurationMinutes = try Distribution(from: &d)
    observedMessageCount = try Distribution(from: &d)
    disagree = try d.count("conversations.disagree")
    waiting.now = try d.count("waiting.now")
    waiting.overWindow = try d.count("waiting.overWindow")
  }
}

extension AgentDeskStats {
  func encode(to e: inout StateEncoder) {
    response.encode(to: &e)
    assignmentResponseTime.encode(to: &e)
    sla.encode(to: &e)
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    response = try ClockExtras(from: &d, exactLimit: 256)
    assignmentResponseTime = try Distribution(from: &d, exactLimit: 256)
    sla = try SLACounts(from: &d)
  }
}

extension ConversationState: StateEntry {
  func encode(to e: inout StateEncoder) {
    e.i64(touched)
    e.u32(UInt32(flags.rawValue))
    e.u32(UInt32(bitPattern: messages))
    e.u32(UInt32(bitPattern: assignments))
    e.u64(assignedAgent)
    for t in [firstSeen, firstInbound, frtStart, agentFrtStart, assignedAt] { e.i64(t) }
    e.i64(firstResponse)
    e.i64(firstResponseBusiness)
    e.u8(firstResponseSLA)
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init(touched: try d.time("a conversation's touched time"))
    let raw = try d.u32()
    guard raw < 32 else { throw .corrupt("a conversation's flags are \(raw)") }
    flags = ConversationFlags(rawValue: UInt16(raw))
    messages = Int32(bitPattern: try d.u32())
    assignments = Int32(bitPattern: try d.u32())
    assignedAgent = try d.u64()
    firstSeen = try d.timeOrNone("a conversation's first event")
    firstInbound = try d.timeOrNone("a conversation's first inbound message")
    frtStart = try d.timeOrNone("a conversation's first-response clock")
    agentFrtStart = try d.timeOrNone("a conversation's agent clock")
    assignedAt = try d.timeOrNone("a conversation's assignment time")
    firstResponse = try d.i64()
    firstResponseBusiness = try d.i64()
    for v in [firstResponse, firstResponseBusiness]
    where v < -1 || v.magnitude > UInt64(EventTime.limit) {
      throw .corrupt("a conversation's first response is \(v)")
    }
    firstResponseSLA = try d.u8()
    guard firstResponseSLA <= 2 else {
      throw .corrupt("a conversation's SLA outcome is \(firstResponseSLA)")
    }
  }
}
