// Metrics: wa-aggregate's side of the pipeline (SPEC §5). `Aggregator` folds valid events
// into `AggregateMetrics` (mergeable partials: counts, distributions, HyperLogLogs) with the
// help of bounded per-message and per-user state (`StateTable`); `SnapshotWriter` turns the
// metrics into one JSON line; `AggregateSink` plugs both into `FilterRunner` and decides when
// to write (every N events, every interval, at the end, on a signal).

/// The settings of an aggregation (wa-aggregate's flags, validated).
public struct AggregatorConfiguration {
  /// Hours and days of week are those of this zone (`--tz`).
  public var zone: ZoneRule = .utc
  /// Per-message and per-user state older than this (event time) is evicted
  /// (`--state-horizon`, nanoseconds).
  public var stateHorizon: Int64 = 7 * 86_400 * EventTime.nanosPerSecond
  /// The most entries each state table keeps (`--max-state`).
  public var maxState = 1_000_000
  /// How long after a message an inbound one still counts as its reply (`--reply-window`).
  public var replyWindow: Int64 = 86_400 * EventTime.nanosPerSecond
  /// The wall clock, for events with no time of their own before any event had one.
  public var wallClock: () -> Int64 = EventTime.wallClock
  /// `--business-hours` and `--holidays`: response clocks also in open time.
  var businessHours: BusinessHours? = nil
  /// `--sla`: first-response and resolution targets.
  var sla = SLATargets()
  /// `--emit conversations`: a `wa.conversation` record per `chat.resolved`.
  var emitConversations = false

  public init() {}
}

/// Folds valid events into the dashboard's metrics.
///
/// Per event: work out its time (SPEC §5: `timestamp`, else `receivedAt`, else the latest
/// event time so far, else the wall clock), drop it as a duplicate if its key was seen, then
/// update the counts and the state that the funnel, the reply matching and the response
/// clocks need. Identifiers are never turned into `String`s on this path: they are hashed
/// from the line's bytes (`Hash64`), and labels are decoded once, when first seen.
///
/// Keys are 64-bit hashes, so two different identifiers could share one. With n keys live
/// at once the chance of any such collision is about n² / 2⁶⁵: 3·10⁻⁸ for a million.
public struct Aggregator {
  public let configuration: AggregatorConfiguration
  public internal(set) var metrics = AggregateMetrics()
  let messages: StateTable<MessageState>
  let users: StateTable<UserState>
  let resolutions: StateTable<ResolutionState>
  /// Per conversation (chatId, or a user's session): see `Aggregator+Desk`.
  let conversations: StateTable<ConversationState>
  /// `wa.conversation` records not yet written (`--emit conversations`).
  var records: [ConversationOutcome] = []
  var clock: LocalClock
  /// The stream's clock: the latest event time taken from an event's own fields that the
  /// stream has vouched for (see `eventTime`). Eviction and `late` go by it.
  var latest: Int64? = nil
  /// An own time that would move the clock by more than one horizon (or the stream's first
  /// own time), held until the next timed event agrees with it.
  var pending: Int64? = nil

  static let unspecifiedHash = Hash64.hash("unspecified")
  static let unassignedHash = Hash64.hash(AgentTable.unassigned)

  public init(_ configuration: AggregatorConfiguration = AggregatorConfiguration()) {
    self.configuration = configuration
    // Small at first, growing by doubling: a large initial table costs page faults at
    // start-up (a short run pays for them) and saves little on a long one.
    let initial = min(configuration.maxState, 1 << 10)
    messages = StateTable(limit: configuration.maxState, initialCapacity: initial)
    users = StateTable(limit: configuration.maxState, initialCapacity: initial)
    resolutions = StateTable(limit: configuration.maxState, initialCapacity: 256)
    conversations = StateTable(limit: configuration.maxState, initialCapacity: initial)
    conversations.keepsRemoved = true
    clock = LocalClock(zone: configuration.zone)
  }

  /// Entries currently held (messages, users, resolutions).
  public var stateCount: Int {
    messages.count + users.count + resolutions.count + conversations.count
  }

  /// A line that is not an event.
  public mutating func skipped(blank: Bool) {
    metrics.input.lines += 1
    if blank { metrics.input.blank += 1 } else { metrics.input.rejected += 1 }
  }

  /// One valid event, as the validator left it; returns the time it was counted at.
  @discardableResult
  public mutating func add(_ validator: EventValidator) -> Int64 {
    metrics.input.lines += 1
    metrics.input.events += 1
    let v = EventFields(validator)
    let t = eventTime(v.event)
    switch v.event.kind {
    case .received: received(v, at: t)
    case .sent: sent(v, at: t)
    case .delivered, .read, .failed: status(v, at: t)
    case .resolved: resolved(v, at: t)
    case .contactCreated: contactCreated(v, at: t)
    case .assigned: assigned(v, at: t)
    case .campaignSent: campaignSent(v, at: t)
    }
    return t
  }

  // MARK: Time

  /// An event's time (SPEC §5), and the stream's clock moved by it.
  ///
  /// One event with a wrong clock (a device in 2090) must not wipe the state: moving the
  /// stream's clock evicts everything more than a horizon older, and would make every later
  /// event `late`. So a time more than one horizon ahead of the clock (or the stream's first
  /// time) is held as `pending`, and the clock jumps only when the next timed event agrees
  /// with it, within one horizon either way; an event in step with the clock drops it. A real
  /// gap in the stream (a log replayed after an outage) moves the clock one event later.
  mutating func eventTime(_ e: EventView) -> Int64 {
    guard let own = e.timestamp ?? e.receivedAt else {
      return latest ?? pending ?? configuration.wallClock()
    }
    let t = EventTime.nanos(own)
    metrics.firstEventTime = min(metrics.firstEventTime ?? t, t)
    metrics.lastEventTime = max(metrics.lastEventTime ?? t, t)
    let horizon = configuration.stateHorizon
    if let now = latest, t - now <= horizon {
      pending = nil
      if t < now - horizon { metrics.input.late += 1 }
      if t > now { advance(to: t) }
    } else if let held = pending, abs(t - held) <= horizon {
      pending = nil
      advance(to: max(held, t))
    } else {
      pending = t
    }
    return t
  }

  /// Moves the stream's clock forward to `t` and evicts what it leaves behind.
  private mutating func advance(to t: Int64) {
    latest = t
    let cutoff = t - configuration.stateHorizon
    metrics.input.evicted +=
      messages.evict(olderThan: cutoff, now: t) + users.evict(olderThan: cutoff, now: t)
      + resolutions.evict(olderThan: cutoff, now: t)
    let conversationsEvicted = conversations.evict(olderThan: cutoff, now: t)
    if conversationsEvicted > 0 {
      metrics.input.evicted += conversationsEvicted
      settleEvicted()
    }
  }

  // MARK: Events

  mutating func received(_ v: EventFields, at t: Int64) {
    let slot = messageSlot(v.hash(.messageId), at: t)
    guard mark(slot, .received) else { return duplicate() }
    let country = countUser(v)
    metrics.messages.received += 1
    countLabel(v, .contentType, in: &metrics.messages.receivedByContentType)
    metrics.volume.received[clock.cell(t)] += 1
    metrics.countries.stats[country].received += 1
    let userKey = v.hash(.userId)
    // Sessions (an inbound message without chatId) need the user's previous event time.
    let previousTouch =
      v.isString(.chatId)
      ? nil : users.slot(of: userKey).map { users.value(at: $0).pointee.touched }
    let user = userSlot(userKey, at: t)
    matchReplies(user: user, inboundAt: t)
    let u = users.value(at: user)
    u.pointee.lastInbound = max(u.pointee.lastInbound, t)
    if u.pointee.clockStart == UserState.none || t < u.pointee.clockStart {
      u.pointee.clockStart = t
    }
    if u.pointee.agentClockStart == UserState.none || t < u.pointee.agentClockStart {
      u.pointee.agentClockStart = t
    }
    inboundConversation(v, user: user, previousTouch: previousTouch, at: t)
    if v.isString(.replyTo) {
      // Held like a status when the quoted message has not arrived yet.
      let quoted = messageSlot(v.hash(.replyTo), at: t)
      raise(quoted, .replied)
    }
  }

  mutating func sent(_ v: EventFields, at t: Int64) {
    let key = v.hash(.messageId)
    let slot = messageSlot(key, at: t)
    guard !messages.value(at: slot).pointee.flags.contains(.sent) else { return duplicate() }
    messages.value(at: slot).pointee.sentAt = t
    raise(slot, .sent)
    let country = countUser(v)
    metrics.messages.sent += 1
    countLabel(v, .contentType, in: &metrics.messages.sentByContentType)
    metrics.volume.sent[clock.cell(t)] += 1
    metrics.countries.stats[country].sent += 1
    if v.isString(.templateId) { metrics.messages.sentTemplate += 1 }
    var agent: Int? = nil
    if v.isString(.agentId) && !v.isTrue(.isAutomated) {
      metrics.messages.sentByAgent += 1
      let a = agentIndex(v)
      metrics.agents.stats[a].messagesSent += 1
      agent = a
    } else {
      metrics.messages.sentAutomated += 1
    }
    let user = userSlot(v.hash(.userId), at: t)
    queueForReply(slot, key: key, user: user, sentAt: t)
    stopClocks(user: user, at: t, agent: agent)
    outboundConversation(v, user: user, agent: agent, at: t)
  }

  mutating func status(_ v: EventFields, at t: Int64) {
    let slot = messageSlot(v.hash(.messageId), at: t)
    guard let flag = MessageFlags.of(v.event.kind), mark(slot, flag) else {
      return duplicate()
    }
    _ = countUser(v)
    switch v.event.kind {
    case .delivered: metrics.messages.delivered += 1
    case .read: metrics.messages.read += 1
    default:
      metrics.messages.failed += 1
      countErrorCode(v)
    }
  }

  mutating func resolved(_ v: EventFields, at t: Int64) {
    let key = v.hash(.chatId, seed: UInt64(bitPattern: t))
    guard resolutions.slot(of: key) == nil else { return duplicate() }
    metrics.input.evicted += resolutions.insert(key, ResolutionState(touched: t)).evicted
    _ = countUser(v)
    let count = v.double(.messageCount)
    let minutes = v.double(.durationMinutes)
    metrics.conversations.resolved += 1
    countLabel(v, .resolution, in: &metrics.conversations.byResolution)
    metrics.conversations.messageCount.add(count)
    metrics.conversations.durationMinutes.add(minutes)
    let a =
      v.isString(.agentId)
      ? agentIndex(v)
      : metrics.agents.index(hash: Self.unassignedHash) { AgentTable.unassigned }
    metrics.agents.stats[a].chatsResolved += 1
    metrics.agents.stats[a].durationMinutesSum += minutes
    metrics.agents.stats[a].messageCountSum += count
    resolvedConversation(v, agent: a, count: count, minutes: minutes, at: t)
  }

  mutating func contactCreated(_ v: EventFields, at t: Int64) {
    let user = users.value(at: userSlot(v.hash(.userId), at: t))
    guard !user.pointee.contactCreated else { return duplicate() }
    user.pointee.contactCreated = true
    let country = countUser(v)
    metrics.contacts.created += 1
    countLabel(v, .source, in: &metrics.contacts.bySource)
    metrics.countries.stats[country].contacts += 1
  }

  /// `chat.assigned` (version 2): counted as an event of its user, once per key
  /// (`chatId`+`agentId`+its own time, or without one `chatId`+`agentId`: SPEC §5). Its
  /// metrics (assignments, response from assignment) belong to the service-desk work.
  mutating func assigned(_ v: EventFields, at t: Int64) {
    let own = (v.event.timestamp ?? v.event.receivedAt).map(EventTime.nanos) ?? 0
    let key = v.hash(
      .agentId, seed: v.hash(.chatId, seed: UInt64(bitPattern: own)) ^ Self.assignedSeed)
    guard once(key, at: t) else { return duplicate() }
    _ = countUser(v)
    assignedConversation(v, at: t)
  }

  /// `campaign.sent` (version 2): once per `campaignId`; it counts toward no user, country or
  /// message number (SPEC §5). Its metrics belong to the campaign work.
  mutating func campaignSent(_ v: EventFields, at t: Int64) {
    guard once(v.hash(.campaignId, seed: Self.campaignSeed), at: t) else { return duplicate() }
  }

  /// Seeds that keep the keys of assignments and campaigns apart from those of resolutions,
  /// which share their table.
  static let assignedSeed: UInt64 = 0x9E37_79B9_7F4A_7C15
  static let campaignSeed: UInt64 = 0xC2B2_AE3D_27D4_EB4F

  /// Records a duplicate key of an event that is not a message; false when it was seen.
  mutating func once(_ key: UInt64, at t: Int64) -> Bool {
    guard resolutions.slot(of: key) == nil else { return false }
    metrics.input.evicted += resolutions.insert(key, ResolutionState(touched: t)).evicted
    return true
  }

  mutating func duplicate() { metrics.input.duplicates += 1 }
}
