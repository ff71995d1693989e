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
  /// The most messages one user's list keeps waiting for a reply. The list is walked by
  /// every inbound message of its user, and the messages sent after that message stay on
  /// it: without a bound, a user with thousands waiting whose inbound messages arrive later
  /// with older times made each walk as long as the list (50,000 sends then 50,000 older
  /// replies took 91 s). Past the bound the list is cut to its newest half: the messages cut
  /// off stop waiting (a later inbound message no longer marks them replied).
  static let maxPending = 1_000

  /// The slot of the message `key` names on a reply list, or nil where the list ends: at 0,
  /// and at an evicted entry or one no longer waiting (everything after it is older). A list
  /// can be circular only when a damaged state file holds one, or when a message evicted
  /// from a list's middle is sent again under its id and queued at the head; the walks are
  /// bounded for that.
  @inline(__always)
  func waitingSlot(_ key: UInt64) -> Int? {
    guard key != 0, let slot = messages.slot(of: key),
      messages.value(at: slot).pointee.flags.contains(.pending)
    else { return nil }
    return slot
  }

  /// Matches an inbound message at `t` against the user's waiting messages.
  func matchReplies(user: Int, inboundAt t: Int64) {
    let u = users.value(at: user)
    var previous: UnsafeMutablePointer<MessageState>? = nil
    var key = u.pointee.pendingHead
    var kept: UInt32 = 0
    var steps = 0
    while key != 0 {
      // The bound is reached only by a circular list (see `waitingSlot`).
      steps += 1
      guard steps <= Self.maxPending + 1, let slot = waitingSlot(key) else {
        if let previous { previous.pointee.nextPending = 0 } else { u.pointee.pendingHead = 0 }
        break
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
        kept += 1
      }
      key = next
    }
    u.pointee.pendingCount = kept
  }

  /// Keeps the newest `keep` messages of a user's list and cuts the rest off (they stop
  /// waiting); sets the list's count. Walks the kept ones and the cut ones once each.
  func trimPending(_ u: UnsafeMutablePointer<UserState>, keep: Int) {
    var key = u.pointee.pendingHead
    var last: UnsafeMutablePointer<MessageState>? = nil
    var kept = 0
    while kept < keep, let slot = waitingSlot(key) {
      let m = messages.value(at: slot)
      last = m
      kept += 1
      key = m.pointee.nextPending
    }
    if let last { last.pointee.nextPending = 0 } else { u.pointee.pendingHead = 0 }
    u.pointee.pendingCount = UInt32(kept)
    // Each cut message stops waiting; clearing the mark first ends even a circular list.
    while let slot = waitingSlot(key) {
      let m = messages.value(at: slot)
      m.pointee.flags.remove(.pending)
      key = m.pointee.nextPending
      m.pointee.nextPending = 0
    }
  }

  /// Counts every user's list again, cutting any longer than `maxPending` (after loading
  /// or merging state: the count is not saved, and a damaged file may hold any list).
  func recountPending() {
    users.forEach { trimPending($0, keep: Self.maxPending) }
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
    u.pointee.pendingCount &+= 1
    guard u.pointee.pendingCount > Self.maxPending else { return }
    // The count may include messages evicted since they were queued (the list ends at the
    // first such), and a state file does not keep it: a loaded state counts its lists anew.
    // So the list is counted before it is cut: an uninterrupted run cut it early, where a
    // resumed one did not, and their reply counts differed (docs/state.md's promise).
    trimPending(u, keep: Self.maxPending + 1)
    if u.pointee.pendingCount > Self.maxPending { trimPending(u, keep: Self.maxPending / 2) }
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
