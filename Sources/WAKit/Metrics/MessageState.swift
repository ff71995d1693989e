/// What the aggregator knows about one `messageId`.
///
/// The event bits say which `message.*` events were seen (the duplicate key of SPEC §5 is
/// event + messageId); `.replied` is the stage a reply gives; `.pending` marks a sent message
/// waiting in its user's reply list. A status that arrives before its `message.sent` simply
/// sets its bit: the message counts in the funnel only once `.sent` is set, and then at the
/// highest stage its bits give, so the held statuses apply at that moment.
struct MessageFlags: OptionSet, Sendable, BitwiseCopyable {
  let rawValue: UInt16
  init(rawValue: UInt16) { self.rawValue = rawValue }

  static let received = MessageFlags(rawValue: 1)
  static let sent = MessageFlags(rawValue: 2)
  static let delivered = MessageFlags(rawValue: 4)
  static let read = MessageFlags(rawValue: 8)
  static let failed = MessageFlags(rawValue: 16)
  static let replied = MessageFlags(rawValue: 32)
  static let pending = MessageFlags(rawValue: 64)
  /// An inbound `button`/`interactive` message named it in `replyTo` (set with `.replied`).
  static let clicked = MessageFlags(rawValue: 128)
  /// Its first `pricing` object was counted (SPEC §5: once per message).
  static let priced = MessageFlags(rawValue: 256)
  /// With `.priced` and before `.sent`: its price was unknown to the rate card, so the
  /// `message.sent` counts it in its template's `unpricedByTemplate` (state format 6).
  static let unpriced = MessageFlags(rawValue: 512)

  /// 1 when a sent message was clicked (a template's `clicked` stage).
  @inline(__always)
  var clickedStage: Int {
    rawValue & (Self.sent.rawValue | Self.clicked.rawValue)
      == (Self.sent.rawValue | Self.clicked.rawValue) ? 1 : 0
  }

  /// The funnel stages a message with these flags counts in (0 or 1 each). Read implies
  /// delivered and replied implies read, whatever arrived.
  @inline(__always)
  var funnelStages: (sent: Int, delivered: Int, read: Int, replied: Int, failed: Int) {
    guard contains(.sent) else { return (0, 0, 0, 0, 0) }
    let r = rawValue
    let replied = r & Self.replied.rawValue != 0 ? 1 : 0
    let read = r & (Self.read.rawValue | Self.replied.rawValue) != 0 ? 1 : 0
    let delivered =
      r & (Self.delivered.rawValue | Self.read.rawValue | Self.replied.rawValue) != 0 ? 1 : 0
    return (1, delivered, read, replied, r & Self.failed.rawValue != 0 ? 1 : 0)
  }

  /// The flag of a `message.*` event kind (nil for the others).
  static func of(_ kind: EventKind) -> MessageFlags? {
    switch kind {
    case .received: return .received
    case .sent: return .sent
    case .delivered: return .delivered
    case .read: return .read
    case .failed: return .failed
    case .resolved, .contactCreated, .assigned, .campaignSent: return nil
    }
  }
}

/// The per-message entry (40 bytes with its key). `flags` comes right after `touched`: a
/// lookup reads the key, `touched` and the flags, and those share a cache line more often
/// when they are close together.
struct MessageState: TimedState {
  var touched: Int64
  var flags: MessageFlags = []
  /// Its `templateId` and `campaignId` as numbers of the aggregator's `LabelRegistry` (0:
  /// none); they fill the padding after `flags`, so the entry does not grow.
  var template: UInt16 = 0
  var campaign: UInt16 = 0
  /// Event time of its `message.sent` (meaningful once `.sent` is set). Before that, with
  /// `.priced`: the time of the status that carried its first `pricing`.
  var sentAt: Int64 = 0
  /// The key of the next (older) message in its user's reply list; 0 ends the list. Before
  /// `.sent`, with `.priced`: the price (micro-units) its template's cost takes once the
  /// `message.sent` names the template; 0 for none.
  var nextPending: UInt64 = 0

  init(touched: Int64) { self.touched = touched }
}

/// The per-user entry (72 bytes): reply matching, the two response clocks, and the
/// `contact.created` duplicate key.
struct UserState: TimedState {
  static let none = Int64.min

  var touched: Int64
  /// The latest event time of the user's inbound messages.
  var lastInbound = UserState.none
  /// When the first unanswered inbound message arrived (any reply stops this clock).
  var clockStart = UserState.none
  /// The same, stopped only by an agent's message.
  var agentClockStart = UserState.none
  /// The newest sent message not yet matched by an inbound one; its entry links the rest.
  var pendingHead: UInt64 = 0
  var contactCreated = false
  /// How many messages that list holds (at most `Aggregator.maxPending`). In the padding
  /// after `contactCreated`, so the entry does not grow; not saved: counted again on load.
  var pendingCount: UInt32 = 0
  /// The key of the user's latest conversation (0: none yet), and when their current 24 h
  /// session began (for inbound messages without a chatId).
  var conversation: UInt64 = 0
  var sessionStart = UserState.none

  init(touched: Int64) { self.touched = touched }
}

/// The duplicate key of a `chat.resolved` (chatId + event time).
struct ResolutionState: TimedState {
  var touched: Int64
  init(touched: Int64) { self.touched = touched }
}

extension MessageState: StateEntry {
  func encode(to e: inout StateEncoder) {
    e.i64(touched)
    e.u32(UInt32(flags.rawValue))
    e.u32(UInt32(template) | UInt32(campaign) << 16)
    e.i64(sentAt)
    e.u64(nextPending)
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init(touched: try d.time("a message's touched time"))
    let raw = try d.u32()
    guard raw < (d.version >= 6 ? 1024 : 512) else {
      throw .corrupt("a message's flags are \(raw)")
    }
    flags = MessageFlags(rawValue: UInt16(raw))
    // Checked against the registries once they are loaded (`Aggregator.decodeSections`).
    let labels = try d.u32()
    template = UInt16(truncatingIfNeeded: labels)
    campaign = UInt16(truncatingIfNeeded: labels >> 16)
    sentAt = try d.time("a message's sent time")
    nextPending = try d.u64()
  }
}

extension UserState: StateEntry {
  func encode(to e: inout StateEncoder) {
    e.i64(touched)
    e.i64(lastInbound)
    e.i64(clockStart)
    e.i64(agentClockStart)
    e.u64(pendingHead)
    e.bool(contactCreated)
    e.u64(conversation)
    e.i64(sessionStart)
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init(touched: try d.time("a user's touched time"))
    lastInbound = try d.timeOrNone("a user's last inbound time")
    clockStart = try d.timeOrNone("a user's clock")
    agentClockStart = try d.timeOrNone("a user's agent clock")
    pendingHead = try d.u64()
    contactCreated = try d.bool()
    conversation = try d.u64()
    sessionStart = try d.timeOrNone("a user's session start")
  }
}

extension ResolutionState: StateEntry {
  func encode(to e: inout StateEncoder) { e.i64(touched) }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init(touched: try d.time("a resolution's time"))
  }
}
