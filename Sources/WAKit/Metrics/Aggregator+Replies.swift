/// The funnel's reply stage and the response clocks (SPEC §5).
///
/// A message is *replied* when an inbound message from its user has an event time in
/// `[sentAt, sentAt + window]`. Each user keeps a list of the sent messages no inbound
/// message has matched yet (linked through the message entries, newest first, so it costs no
/// memory of its own): an inbound message at time T takes every listed message sent at or
/// before T off the list, marking it replied when T is within its window; messages sent
/// after T (an out-of-order stream) stay for the next one. A `message.sent` that arrives
/// after its user's latest inbound message is matched against that one at once.
extension Aggregator {
  /// Matches an inbound message at `t` against the user's waiting messages.
  func matchReplies(user: Int, inboundAt t: Int64) {
    let u = users.value(at: user)
    var previous: UnsafeMutablePointer<MessageState>? = nil
    var key = u.pointee.pendingHead
    while key != 0 {
      // An evicted (or since re-created) entry ends the list: everything after it is older.
      guard let slot = messages.slot(of: key),
        messages.value(at: slot).pointee.flags.contains(.pending)
      else {
        if let previous { previous.pointee.nextPending = 0 } else { u.pointee.pendingHead = 0 }
        return
      }
      let m = messages.value(at: slot)
      let next = m.pointee.nextPending
      if m.pointee.sentAt <= t {
        if t - m.pointee.sentAt <= configuration.replyWindow { raise(slot, .replied) }
        m.pointee.flags.remove(.pending)
        m.pointee.nextPending = 0
        if let previous {
          previous.pointee.nextPending = next
        } else {
          u.pointee.pendingHead = next
        }
      } else {
        previous = m
      }
      key = next
    }
  }

  /// A new sent message: replied at once if the user's latest inbound message is within its
  /// window, otherwise put on the user's list to wait for one.
  func queueForReply(_ slot: Int, key: UInt64, user: Int, sentAt t: Int64) {
    let u = users.value(at: user)
    let inbound = u.pointee.lastInbound
    if inbound != UserState.none && inbound >= t && inbound - t <= configuration.replyWindow {
      raise(slot, .replied)
      return
    }
    let m = messages.value(at: slot)
    if m.pointee.flags.contains(.replied) { return }
    m.pointee.flags.insert(.pending)
    m.pointee.nextPending = u.pointee.pendingHead
    u.pointee.pendingHead = StateTable<MessageState>.normalized(key)
  }

  /// A sent message at `t` stops the user's response clock, and the agent clock too when an
  /// agent (id hash `agent`) wrote it; each stopped clock records its time in seconds,
  /// attributed to the clock's start.
  func stopClocks(user: Int, at t: Int64, agent: UInt64?, _ v: ValidEvent) {
    let u = users.value(at: user)
    let start = u.pointee.clockStart
    if start != UserState.none && t >= start {
      let seconds = Double(t - start) / Double(EventTime.nanosPerSecond)
      let open = business(start, t)
      u.pointee.clockStart = UserState.none
      count(at: start) { m in
        m.responseTime.add(seconds)
        Self.extras(&m.desk.response, seconds: seconds, open: open)
      }
    }
    guard let agent else { return }
    let agentStart = u.pointee.agentClockStart
    if agentStart != UserState.none && t >= agentStart {
      let seconds = Double(t - agentStart) / Double(EventTime.nanosPerSecond)
      let open = business(agentStart, t)
      u.pointee.agentClockStart = UserState.none
      count(at: agentStart) { m in
        m.agentResponseTime.add(seconds)
        Self.extras(&m.desk.agentResponse, seconds: seconds, open: open)
        let a = m.agents.index(hash: agent) { v.label(.agentId) }
        m.agents.stats[a].responseTime.add(seconds)
        if let open { m.agents.stats[a].desk.response.business.add(Self.seconds(open)) }
        m.agents.stats[a].desk.response.buckets.add(seconds)
      }
    }
  }
}
