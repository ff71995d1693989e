/// Service-desk metrics (SPEC §5, version 2): conversations, their first-response clocks,
/// hand-offs, SLAs and what was observed of them.
///
/// A conversation is the `chatId` of an inbound message (or, for an inbound message without
/// one, the user's session: it ends after 24 h without an event of that user). A sent message
/// belongs to its `chatId`'s conversation, or without one to its user's latest conversation.
/// A `chat.resolved` closes the conversation: the next inbound message with that `chatId`
/// starts a new one (with its own first response and SLA).
extension Aggregator {
  static let sessionGap: Int64 = 86_400 * EventTime.nanosPerSecond

  /// Business time in `[a, b)` (nanoseconds) when `--business-hours` is given.
  @inline(__always)
  func business(_ a: Int64, _ b: Int64) -> Int64? {
    configuration.businessHours?.openNanos(from: a, to: b)
  }

  /// Time against an SLA target: business time with `--business-hours`, else calendar.
  @inline(__always)
  func slaElapsed(_ a: Int64, _ b: Int64) -> Int64 {
    business(a, b) ?? (b - a)
  }

  @inline(__always)
  static func seconds(_ nanos: Int64) -> Double {
    Double(nanos) / Double(EventTime.nanosPerSecond)
  }

  /// Adds one stopped clock to `extras`: its bucket, and its business time (`open`,
  /// nanoseconds) when configured. Static, for `count(at:)`'s closures, which may not use
  /// `self`: the business time is worked out before.
  @inline(__always)
  static func extras(_ x: inout ClockExtras, seconds: Double, open: Int64?) {
    x.buckets.add(seconds)
    if let open { x.business.add(Self.seconds(open)) }
  }

  /// The name of an agent known only by its hash (a conversation's assigned agent).
  @inline(__always)
  func agentName(_ hash: UInt64) -> String {
    hash == Self.unassignedHash ? AgentTable.unassigned : agentNames[hash] ?? AgentTable.unassigned
  }

  /// The agent a clock not ended by an agent goes to: the last assigned one, else
  /// `"unassigned"`.
  @inline(__always)
  static func assignedOrUnassigned(_ assigned: UInt64) -> UInt64 {
    assigned != 0 ? assigned : unassignedHash
  }

  /// Counts `update` at `t` without it making the current event count as in range or late
  /// (settling what the tables dropped is not the current event's doing).
  func countAside(at t: Int64, _ update: (inout AggregateMetrics) -> Void) {
    let (counted, late) = (eventCounted, eventLate)
    count(at: t, update)
    (eventCounted, eventLate) = (counted, late)
  }

  /// The slot of a conversation's entry, created when new; forgets (and settles) what the
  /// table evicts to make room.
  func conversationSlot(_ key: UInt64, at t: Int64) -> Int {
    let (slot, evicted) = conversations.touch(key, at: t)
    if evicted > 0 {
      metrics.input.evicted += evicted
      settleEvicted()
      // Settling never inserts, so `slot` stays valid.
    }
    let c = conversations.value(at: slot)
    if c.pointee.firstSeen == ConversationState.none || t < c.pointee.firstSeen {
      c.pointee.firstSeen = t
    }
    return slot
  }

  /// Conversations the tables dropped while their clocks ran: a first response or a
  /// resolution that never came within the state horizon is missed.
  func settleEvicted() {
    settle(dropped: conversations.drainRemoved())
  }

  /// Settles conversations forgotten with their clocks running (evicted, or left out when
  /// merged tables exceed `--max-state`).
  func settle(dropped: [ConversationState]) {
    for c in dropped where c.firstInbound != ConversationState.none {
      let agent = Self.assignedOrUnassigned(c.assignedAgent)
      let name = agentName(agent)
      if configuration.sla.firstResponse != nil && !c.flags.contains(.agentFrtDone) {
        // Attributed by the clock's start, like every response number.
        let start = c.agentFrtStart == ConversationState.none ? c.firstInbound : c.agentFrtStart
        countAside(at: start) { m in
          m.desk.sla.firstResponse.missed += 1
          m.agents.stats[m.agents.index(hash: agent) { name }].desk.sla.firstResponse.missed += 1
        }
      }
      if configuration.sla.resolution != nil {
        // No chat.resolved came: attributed by the conversation's start.
        countAside(at: c.firstSeen) { m in
          m.desk.sla.resolution.missed += 1
          m.agents.stats[m.agents.index(hash: agent) { name }].desk.sla.resolution.missed += 1
        }
      }
    }
  }

  // MARK: Events

  /// An inbound message at `t` (not a duplicate): its conversation's clocks start.
  /// `previousTouch` is when the user was last seen before this event (for sessions).
  func inboundConversation(_ v: ValidEvent, user: Int, previousTouch: Int64?, at t: Int64) {
    let key: UInt64
    let hasChat = v.isString(.chatId)
    if hasChat {
      key = chatKey(v)
    } else {
      let u = users.value(at: user)
      if u.pointee.sessionStart == UserState.none || previousTouch == nil
        || t - previousTouch! > Self.sessionGap
      {
        u.pointee.sessionStart = t
      }
      key = v.hash(.userId, seed: UInt64(bitPattern: u.pointee.sessionStart) ^ 0x5E55_1000)
    }
    users.value(at: user).pointee.conversation = key
    let c = conversations.value(at: conversationSlot(key, at: t))
    if hasChat { c.pointee.messages &+= 1 }
    if c.pointee.firstInbound == ConversationState.none {
      c.pointee.firstInbound = t
      count(at: t) { $0.desk.started += 1 }
    } else if t < c.pointee.firstInbound {
      c.pointee.firstInbound = t
    }
    if !c.pointee.flags.contains(.frtDone)
      && (c.pointee.frtStart == ConversationState.none || t < c.pointee.frtStart)
    {
      c.pointee.frtStart = t
    }
    if !c.pointee.flags.contains(.agentFrtDone)
      && (c.pointee.agentFrtStart == ConversationState.none || t < c.pointee.agentFrtStart)
    {
      c.pointee.agentFrtStart = t
    }
  }

  /// A sent message at `t` (not a duplicate), by the agent of id hash `agent` or automated:
  /// it may end its conversation's first-response clocks (each attributed by its start).
  func outboundConversation(_ v: ValidEvent, user: Int, agent: UInt64?, at t: Int64) {
    let slot: Int
    if v.isString(.chatId) {
      let key = chatKey(v)
      if let s = conversations.slot(of: key), isClosed(s) { return }
      slot = conversationSlot(key, at: t)
      conversations.value(at: slot).pointee.messages &+= 1
    } else {
      let key = users.value(at: user).pointee.conversation
      guard key != 0, let s = conversations.slot(of: key), !isClosed(s) else { return }
      slot = conversationSlot(key, at: t)
    }
    let c = conversations.value(at: slot)
    // Handling counts replies: a message before the conversation's first inbound one (a
    // template that opens it) answers nobody. Counted, a template then an agent's answer was
    // a hand-off from a bot that never spoke to the user.
    let first = c.pointee.firstInbound
    if first != ConversationState.none && t >= first {
      if agent != nil {
        if !c.pointee.flags.contains(.agentReplied) {
          c.pointee.flags.insert(.agentReplied)
          if c.pointee.flags.contains(.botReplied) { c.pointee.flags.insert(.handedOff) }
        }
      } else {
        c.pointee.flags.insert(.botReplied)
      }
    }
    let start = c.pointee.frtStart
    if start != ConversationState.none && t >= start {
      let seconds = Self.seconds(t - start)
      let open = business(start, t)
      c.pointee.firstResponse = t - start
      c.pointee.firstResponseBusiness = open ?? -1
      c.pointee.flags.insert(.frtDone)
      c.pointee.frtStart = ConversationState.none
      count(at: start) { m in
        m.desk.firstResponseTime.add(seconds)
        Self.extras(&m.desk.firstResponse, seconds: seconds, open: open)
      }
    }
    guard let agent else { return }
    let name = v.label(.agentId)
    let agentStart = c.pointee.agentFrtStart
    if agentStart != ConversationState.none && t >= agentStart {
      let seconds = Self.seconds(t - agentStart)
      let open = business(agentStart, t)
      c.pointee.flags.insert(.agentFrtDone)
      c.pointee.agentFrtStart = ConversationState.none
      var met: Bool? = nil
      if let target = configuration.sla.firstResponse {
        met = (open ?? (t - agentStart)) <= target
        c.pointee.firstResponseSLA = met! ? 1 : 2
      }
      count(at: agentStart) { m in
        m.desk.agentFirstResponseTime.add(seconds)
        Self.extras(&m.desk.agentFirstResponse, seconds: seconds, open: open)
        if let met {
          m.desk.sla.firstResponse.settle(met: met)
          m.agents.stats[m.agents.index(hash: agent) { name }].desk.sla.firstResponse.settle(
            met: met)
        }
      }
    }
    let assignedAt = c.pointee.assignedAt
    if assignedAt != ConversationState.none && t >= assignedAt
      && c.pointee.assignedAgent == agent
    {
      let seconds = Self.seconds(t - assignedAt)
      let open = business(assignedAt, t)
      c.pointee.assignedAt = ConversationState.none
      count(at: assignedAt) { m in
        m.desk.assignmentResponseTime.add(seconds)
        m.agents.stats[m.agents.index(hash: agent) { name }].desk.assignmentResponseTime.add(
          seconds)
        Self.extras(&m.desk.assignmentResponse, seconds: seconds, open: open)
      }
    }
  }

  /// A `chat.assigned` at `t` (not a duplicate): the conversation's agent, and a clock until
  /// that agent's first message in the chat.
  func assignedConversation(_ v: ValidEvent, at t: Int64) {
    let agent = v.labelHash(.agentId)
    if agentNames[agent] == nil && agentNames.count < AgentTable.limit {
      agentNames[agent] = v.label(.agentId)
    }
    let c = conversations.value(at: conversationSlot(chatKey(v), at: t))
    c.pointee.assignments &+= 1
    c.pointee.assignedAgent = agent
    c.pointee.assignedAt = t
  }

  /// A `chat.resolved` at `t` (not a duplicate), counted under the agent of id hash `agent`:
  /// settles the conversation's handling, observed numbers and SLAs (attributed by `t`,
  /// except a first-response SLA, by its clock's start), and closes it.
  func resolvedConversation(
    _ v: ValidEvent, agent: UInt64, count: Double, minutes: Double, at t: Int64
  ) {
    let inRange = t >= configuration.since && t < configuration.until
    let resolver = v.isString(.agentId) ? v.label(.agentId) : AgentTable.unassigned
    // A chat never seen, or resolved already with no event since (a resolution sent twice,
    // at two times): no conversation to observe, so no observed numbers and no disagreement,
    // which zeros would have made.
    guard let slot = conversations.slot(of: chatKey(v)), !isClosed(slot) else {
      self.count(at: t) { $0.desk.handling.noReply += 1 }
      if configuration.emitConversations && inRange {
        records.append(record(v, nil, handling: "noReply", count: count, minutes: minutes, at: t))
      }
      return
    }
    let c = conversations.value(at: slot)
    if t > c.pointee.touched { c.pointee.touched = t }
    let state = c.pointee
    let handling: String
    let handled: WritableKeyPath<HandlingCounts, Int>
    if state.flags.contains(.handedOff) {
      (handling, handled) = ("handedOff", \.handedOff)
    } else if state.flags.contains(.agentReplied) {
      (handling, handled) = ("agentOnly", \.agentOnly)
    } else if state.flags.contains(.botReplied) {
      (handling, handled) = ("botOnly", \.botOnly)
    } else {
      (handling, handled) = ("noReply", \.noReply)
    }
    let firstSeen = min(state.firstSeen, t)
    let observedMinutes = Double(t - firstSeen) / Double(60 * EventTime.nanosPerSecond)
    let observedCount = Double(state.messages)
    let disagree =
      Self.disagrees(count, observedCount, slack: 1)
      || Self.disagrees(minutes, observedMinutes, slack: 1)
    self.count(at: t) { m in
      m.desk.handling[keyPath: handled] += 1
      m.desk.handling.assignments += Int(state.assignments)
      if state.assignments > 1 { m.desk.handling.reassigned += 1 }
      m.desk.observedDurationMinutes.add(observedMinutes)
      m.desk.observedMessageCount.add(observedCount)
      if disagree { m.desk.disagree += 1 }
    }
    var firstSLA = state.firstResponseSLA
    var resolutionSLA: UInt8 = 0
    if state.firstInbound != ConversationState.none {
      if let target = configuration.sla.firstResponse, !state.flags.contains(.agentFrtDone),
        state.agentFrtStart != ConversationState.none
      {
        // Closed before an agent answered: met when closed within the target (Intercom's
        // rule), the clock going to the assigned agent.
        let met = slaElapsed(state.agentFrtStart, t) <= target
        let owner = Self.assignedOrUnassigned(state.assignedAgent)
        let ownerName = agentName(owner)
        self.count(at: state.agentFrtStart) { m in
          m.desk.sla.firstResponse.settle(met: met)
          m.agents.stats[m.agents.index(hash: owner) { ownerName }].desk.sla.firstResponse
            .settle(met: met)
        }
        firstSLA = met ? 1 : 2
      }
      if let target = configuration.sla.resolution {
        let met = slaElapsed(firstSeen, t) <= target
        self.count(at: t) { m in
          m.desk.sla.resolution.settle(met: met)
          m.agents.stats[m.agents.index(hash: agent) { resolver }].desk.sla.resolution.settle(
            met: met)
        }
        resolutionSLA = met ? 1 : 2
      }
    }
    if configuration.emitConversations && inRange {
      var r = record(v, state, handling: handling, count: count, minutes: minutes, at: t)
      r.observedMessageCount = Int(state.messages)
      r.observedDurationMinutes = observedMinutes
      r.firstResponseSLA = Self.slaName(firstSLA, configured: configuration.sla.firstResponse)
      r.resolutionSLA = Self.slaName(resolutionSLA, configured: configuration.sla.resolution)
      records.append(r)
    }
    // Closed: a later message with this chatId starts a new conversation.
    var fresh = ConversationState(touched: c.pointee.touched)
    fresh.firstSeen = ConversationState.none
    c.pointee = fresh
  }

  /// Whether the conversation at `slot` was resolved and no event has opened it again (its
  /// entry is cleared at the resolution, `firstSeen` included). A message sent to it then (a
  /// satisfaction survey, a closing notice) ends the resolved conversation: counted in the
  /// next one, it made that one a hand-off and stretched its observed duration back to the
  /// survey.
  @inline(__always)
  func isClosed(_ slot: Int) -> Bool {
    conversations.value(at: slot).pointee.firstSeen == ConversationState.none
  }

  /// Whether a producer's number and the observed one differ by more than 10% (of the larger)
  /// and by more than `slack`.
  static func disagrees(_ claimed: Double, _ observed: Double, slack: Double) -> Bool {
    let d = abs(claimed - observed)
    return d > slack && d > 0.1 * max(claimed, observed)
  }

  static func slaName(_ outcome: UInt8, configured: Int64?) -> String? {
    guard configured != nil else { return nil }
    switch outcome {
    case 1: return "met"
    case 2: return "missed"
    default: return nil
    }
  }

  private func record(
    _ v: ValidEvent, _ state: ConversationState?, handling: String, count: Double,
    minutes: Double, at t: Int64
  ) -> ConversationOutcome {
    let inbound = state.flatMap {
      $0.firstInbound == ConversationState.none ? nil : $0.firstInbound
    }
    return ConversationOutcome(
      chatId: v.string(.chatId), resolvedAt: t,
      agentId: v.isString(.agentId) ? v.label(.agentId) : nil,
      resolution: v.isString(.resolution) ? v.string(.resolution) : nil,
      firstInboundAt: inbound,
      firstResponse: state.flatMap { $0.firstResponse >= 0 ? $0.firstResponse : nil },
      firstResponseBusiness: state.flatMap {
        $0.firstResponseBusiness >= 0 ? $0.firstResponseBusiness : nil
      },
      messageCount: count, observedMessageCount: nil, durationMinutes: minutes,
      observedDurationMinutes: nil, handling: handling, firstResponseSLA: nil,
      resolutionSLA: nil)
  }

  // MARK: Snapshot

  /// The metrics as a snapshot shows them: with the clocks running now (`waiting`, and the
  /// SLA outcomes of running clocks: missed once past target by the stream clock, else
  /// pending), worked out from the state tables.
  func snapshotMetrics() -> AggregateMetrics {
    var m = metrics
    guard let now = latest ?? pending else { return m }
    let window = configuration.replyWindow
    let (since, until) = (configuration.since, configuration.until)
    users.forEach { u in
      let start = u.pointee.clockStart
      guard start != UserState.none, start >= since && start < until else { return }
      m.desk.waiting.now += 1
      if now - start > window { m.desk.waiting.overWindow += 1 }
    }
    let targets = configuration.sla
    guard !targets.isEmpty else { return m }
    conversations.forEach { c in
      let state = c.pointee
      guard state.firstInbound != ConversationState.none else { return }
      let hash = Self.assignedOrUnassigned(state.assignedAgent)
      let agent = m.agents.index(hash: hash) { agentName(hash) }
      if let target = targets.firstResponse, !state.flags.contains(.agentFrtDone),
        state.agentFrtStart != ConversationState.none,
        state.agentFrtStart >= since && state.agentFrtStart < until
      {
        if slaElapsed(state.agentFrtStart, max(now, state.agentFrtStart)) > target {
          m.desk.sla.firstResponse.missed += 1
          m.agents.stats[agent].desk.sla.firstResponse.missed += 1
        } else {
          m.desk.sla.firstResponse.pending += 1
          m.agents.stats[agent].desk.sla.firstResponse.pending += 1
        }
      }
      if let target = targets.resolution {
        let from = state.firstSeen == ConversationState.none ? now : state.firstSeen
        guard from >= since && from < until else { return }
        if slaElapsed(from, max(now, from)) > target {
          m.desk.sla.resolution.missed += 1
          m.agents.stats[agent].desk.sla.resolution.missed += 1
        } else {
          m.desk.sla.resolution.pending += 1
          m.agents.stats[agent].desk.sla.resolution.pending += 1
        }
      }
    }
    return m
  }
}
