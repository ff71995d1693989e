// Metrics: wa-aggregate's side of the pipeline (SPEC §5). `Aggregator` folds valid events
// into `AggregateMetrics` (mergeable partials: counts, distributions, HyperLogLogs) with the
// help of bounded per-message and per-user state (`StateTable`); `SnapshotWriter` turns the
// metrics into one JSON line; `AggregateSink` plugs both into `FilterRunner` and decides when
// to write (every N events, every interval, at the end, on a signal).

/// The settings of an aggregation (wa-aggregate's flags, validated).
struct AggregatorConfiguration {
  /// Hours and days of week are those of this zone (`--tz`).
  var zone: ZoneRule = .utc
  /// Per-message and per-user state older than this (event time) is evicted
  /// (`--state-horizon`, nanoseconds).
  var stateHorizon: Int64 = 7 * 86_400 * EventTime.nanosPerSecond
  /// The most entries each state table keeps (`--max-state`).
  var maxState = 1_000_000
  /// How long after a message an inbound one still counts as its reply (`--reply-window`).
  var replyWindow: Int64 = 86_400 * EventTime.nanosPerSecond
  /// The wall clock, for events with no time of their own before any event had one.
  var wallClock: () -> Int64 = EventTime.wallClock
  /// `--business-hours` and `--holidays`: response clocks also in open time.
  var businessHours: BusinessHours? = nil
  /// `--sla`: first-response and resolution targets.
  var sla = SLATargets()
  /// `--emit conversations`: a `wa.conversation` record per `chat.resolved`.
  var emitConversations = false
  /// `--window`: also keep the metrics per calendar window (nil: cumulative only).
  var window: WindowConfiguration? = nil
  /// `--since` / `--until` (nanoseconds): numbers count only when their attribution time is
  /// in `[since, until)`.
  var since: Int64 = .min
  var until: Int64 = .max
  /// `--rate-card`: prices billable messages into `cost`.
  var rateCard: RateCard? = nil

  init() {}
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
///
/// A class, not a struct: its state tables are classes and its metrics values, so a copy of
/// a struct would have shared the tables but not the metrics, and a non-mutating helper
/// that captured `self` copied every metric per event (a 27% cost once). One identity cannot
/// drift apart. Its stored properties skip the dynamic exclusivity checks: only the folding
/// thread touches them, always through these methods, and the checks cost 12.6% of
/// wa-aggregate's instructions (callgrind, 20k generated events, release: 101.8 M as a
/// struct, 114.7 M as a checked class, 101.9 M unchecked).
final class Aggregator {
  let configuration: AggregatorConfiguration
  @exclusivity(unchecked) var metrics = AggregateMetrics()
  /// The calendar windows (`--window`), each with its own `AggregateMetrics`. Not an
  /// Optional: mutating through one risks a copy of the whole set per update.
  @exclusivity(unchecked) var windows: WindowSet
  /// `--window` was given.
  let windowed: Bool
  /// What the current event did, for `input.late` and `input.outOfRange` (see `add`).
  @exclusivity(unchecked) var eventCounted = false
  @exclusivity(unchecked) var eventLate = false
  let messages: StateTable<MessageState>
  let users: StateTable<UserState>
  let resolutions: StateTable<ResolutionState>
  /// Per conversation (chatId, or a user's session): see `Aggregator+Desk`.
  let conversations: StateTable<ConversationState>
  /// `wa.conversation` records not yet written (`--emit conversations`).
  @exclusivity(unchecked) var records: [ConversationOutcome] = []
  /// The names of assigned agents, by hash: a conversation keeps only its agent's hash, and
  /// a window's agent table may first meet that agent through it. Bounded like the agents.
  @exclusivity(unchecked) var agentNames: [UInt64: String] = [:]
  /// Identifiers of linked persons other than their root (see `Aggregator+Identity`).
  let aliases: StateTable<AliasState>
  /// Entries the state tables dropped in this run because they were full (`--max-state`),
  /// before `--state-horizon` would have: counted in `input.evicted` with the rest.
  var evictedForRoom: Int {
    messages.evictedForRoom + users.evictedForRoom + resolutions.evictedForRoom
      + conversations.evictedForRoom + aliases.evictedForRoom
  }
  /// The person of the event being added (`identify`).
  @exclusivity(unchecked) var who = Person(key: 0, isBSUID: false)
  /// The current event's ids, hashed once at the start of `add` (`hashAndPrefetch`).
  @exclusivity(unchecked) var keys = EventKeys()
  @exclusivity(unchecked) var clock: LocalClock
  /// The numbers of the templates and campaigns that messages' entries hold.
  @exclusivity(unchecked) var templateIDs = LabelRegistry()
  @exclusivity(unchecked) var campaignIDs = LabelRegistry()
  /// The stream's clock: the latest event time taken from an event's own fields that the
  /// stream has vouched for (see `eventTime`). Eviction and `late` go by it.
  @exclusivity(unchecked) var latest: Int64? = nil
  /// An own time that would move the clock by more than one horizon (or the stream's first
  /// own time), held until the next timed event agrees with it.
  @exclusivity(unchecked) var pending: Int64? = nil

  static let unspecifiedHash = Hash64.hash("unspecified")
  static let unassignedHash = Hash64.hash(AgentTable.unassigned)

  init(_ configuration: AggregatorConfiguration = AggregatorConfiguration()) {
    self.configuration = configuration
    // Tables start at StateTable's smallest size and grow by doubling: 1,024 entries each
    // cost ~50 page faults at start-up (a third of wa-aggregate's), while growing from 16
    // to 1,024 moves ~1,000 entries once.
    messages = StateTable(limit: configuration.maxState)
    users = StateTable(limit: configuration.maxState)
    resolutions = StateTable(limit: configuration.maxState)
    conversations = StateTable(limit: configuration.maxState)
    conversations.keepsRemoved = true
    aliases = StateTable(limit: configuration.maxState)
    clock = LocalClock(zone: configuration.zone)
    windowed = configuration.window != nil
    metrics.cost.currency = configuration.rateCard?.currency
    windows = WindowSet(
      configuration.window ?? WindowConfiguration(size: .day, zoneName: ""),
      zone: configuration.zone, horizon: configuration.stateHorizon)
    windows.currency = configuration.rateCard?.currency
  }

  /// Whether the lines handed in are the elements of a batch line (counted as its items,
  /// not as lines: the batch line itself was counted by `batchStarted`).
  @exclusivity(unchecked) var inBatch = false

  /// A line that is not an event.
  func skipped(blank: Bool) {
    countLine()
    if blank { metrics.input.blank += 1 } else { metrics.input.rejected += 1 }
  }

  /// A foreign line or element, skipped (`--foreign skip`).
  func foreign() {
    countLine()
    metrics.input.foreign += 1
  }

  /// A batch line: its elements follow, until `batchEnded`.
  func batchStarted() {
    metrics.input.lines += 1
    metrics.input.batches += 1
    inBatch = true
  }

  func batchEnded() { inBatch = false }

  @inline(__always)
  func countLine() {
    if inBatch { metrics.input.batchItems += 1 } else { metrics.input.lines += 1 }
  }

  /// One valid event, as the validator left it; returns the time it was counted at.
  @discardableResult
  @inline(__always)
  func add(_ validator: EventValidator) -> Int64 { add(ValidEvent(validator, scratch: scratch)) }

  /// Where the fold decodes escaped strings (see `ValidEvent`).
  let scratch = DecodeScratch()

  /// One valid event: the live validator's (one thread) or a batch record's (two threads,
  /// `AggregatePipeline`). Returns the time it was counted at.
  @discardableResult
  func add(_ v: ValidEvent) -> Int64 {
    countLine()
    metrics.input.events += 1
    hashAndPrefetch(v)
    eventCounted = false
    eventLate = false
    let t = eventTime(v.event)
    identify(v, at: t)
    countInWindow(at: t) { $0.input.events += 1 }
    switch v.event.kind {
    case .received: received(v, at: t)
    case .sent: sent(v, at: t)
    case .delivered, .read, .failed: status(v, at: t)
    case .resolved: resolved(v, at: t)
    case .contactCreated: contactCreated(v, at: t)
    case .assigned: assigned(v, at: t)
    case .campaignSent: campaignSent(v, at: t)
    }
    if eventLate { metrics.input.late += 1 }
    if !eventCounted { metrics.input.outOfRange += 1 }
    return t
  }

  // MARK: Attribution

  /// Counts one update of the metrics, attributed to time `t`: in the cumulative metrics and
  /// in the window of `t`, when `t` is in `[--since, --until)`.
  ///
  /// THE RULE FOR NEW METRICS: every number goes through `count(at:)`, and its only decision
  /// is which time it is attributed by (SPEC §5 "Attribution"): the event's own time for
  /// volume-like numbers (messages, volume, countries, contacts, users, pricing); the SENT
  /// message's time (`MessageState.sentAt`) for the funnel and everything that follows a
  /// message's fate (rates, replies, failures, templates, campaigns); the clock's start for
  /// response times and waiting; the `chat.resolved` time for conversations and resolutions.
  /// Write the update as a closure over `AggregateMetrics` that uses no state of `self`
  /// (compute hashes and labels' inputs before it): it runs once for the cumulative partial
  /// and once for the window's, whose label tables have their own indices. Then the new
  /// metric lands in windows, `--since`/`--until` and window records for free.
  @inline(__always)
  func count(at t: Int64, _ update: (inout AggregateMetrics) -> Void) {
    guard t >= configuration.since && t < configuration.until else { return }
    eventCounted = true
    update(&metrics)
    if windowed { countInWindowOnly(at: t, update) }
  }

  /// An update at `t` that changes no number: the event counts as counted when `t` is in
  /// `[--since, --until)`, as `count` would have it, but no window is touched (a window
  /// marked changed is written again at the next tick).
  @inline(__always)
  func countsNothing(at t: Int64) {
    if t >= configuration.since && t < configuration.until { eventCounted = true }
  }

  /// Counts an update in the window of `t` only (a window's `input`: events, duplicates).
  @inline(__always)
  func countInWindow(at t: Int64, _ update: (inout AggregateMetrics) -> Void) {
    guard windowed, t >= configuration.since && t < configuration.until else { return }
    countInWindowOnly(at: t, update)
  }

  private func countInWindowOnly(
    at t: Int64, _ update: (inout AggregateMetrics) -> Void
  ) {
    let now = latest
    if !windows.apply(at: t, clock: now, update) { eventLate = true }
  }

  /// The window records due on this occasion (see `WindowSet.collect`).
  func collectWindows(_ emission: WindowSet.Emission) -> [WindowRecord] {
    let now = latest
    return windowed ? windows.collect(emission, clock: now) : []
  }

  /// The stream clock has passed the point where some window record is due (a window
  /// completed, or one is to be forgotten): the sink should collect them.
  @inline(__always)
  var windowsDue: Bool {
    windowed && (latest ?? .min) > windows.nextDue
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
  func eventTime(_ e: EventView) -> Int64 {
    guard let own = e.timestamp ?? e.receivedAt else {
      return latest ?? pending ?? configuration.wallClock()
    }
    let t = EventTime.nanos(own)
    metrics.firstEventTime = min(metrics.firstEventTime ?? t, t)
    metrics.lastEventTime = max(metrics.lastEventTime ?? t, t)
    let horizon = configuration.stateHorizon
    if let now = latest, t - now <= horizon {
      pending = nil
      if t < now - horizon { eventLate = true }
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
  private func advance(to t: Int64) {
    latest = t
    let cutoff = t - configuration.stateHorizon
    metrics.input.evicted +=
      messages.evict(olderThan: cutoff, now: t) + users.evict(olderThan: cutoff, now: t)
      + resolutions.evict(olderThan: cutoff, now: t) + aliases.evict(olderThan: cutoff, now: t)
    let conversationsEvicted = conversations.evict(olderThan: cutoff, now: t)
    if conversationsEvicted > 0 {
      metrics.input.evicted += conversationsEvicted
      settleEvicted()
    }
  }

  // MARK: Events

  func received(_ v: ValidEvent, at t: Int64) {
    let slot = messageSlot(messageKey(v), at: t)
    guard mark(slot, .received) else { return duplicate(at: t) }
    let (user, country) = (who, countryCode(v))
    let cell = clock.cell(t)
    let labelKey = Self.labelKey(v, .contentType)
    count(at: t) { m in
      let c = Self.countUser(&m, user, country: country)
      m.messages.received += 1
      Self.countLabel(v, .contentType, key: labelKey, in: &m.messages.receivedByContentType)
      m.volume.received[cell] += 1
      m.countries.stats[c].received += 1
    }
    // Sessions (an inbound message without chatId) need the user's previous event time.
    let previousTouch =
      v.isString(.chatId)
      ? nil : users.slot(of: user.key).map { users.value(at: $0).pointee.touched }
    let userSlot = userSlot(user.key, at: t)
    matchReplies(user: userSlot, inboundAt: t)
    let u = users.value(at: userSlot)
    u.pointee.lastInbound = max(u.pointee.lastInbound, t)
    if u.pointee.clockStart == UserState.none || t < u.pointee.clockStart {
      u.pointee.clockStart = t
    }
    if u.pointee.agentClockStart == UserState.none || t < u.pointee.agentClockStart {
      u.pointee.agentClockStart = t
    }
    inboundConversation(v, user: userSlot, previousTouch: previousTouch, at: t)
    if v.isString(.replyTo) {
      // Held like a status when the quoted message has not arrived yet.
      let quoted = messageSlot(v.hash(.replyTo), at: t)
      raise(quoted, Self.isClick(v) ? [.replied, .clicked] : .replied)
    }
  }

  func sent(_ v: ValidEvent, at t: Int64) {
    let key = messageKey(v)
    let slot = messageSlot(key, at: t)
    guard !messages.value(at: slot).pointee.flags.contains(.sent) else { return duplicate(at: t) }
    let entry = messages.value(at: slot)
    // A price held from a status that came first (`priced`), and when that status came.
    let heldPrice = entry.pointee.flags.contains(.priced) ? Int(entry.pointee.nextPending) : 0
    let pricedAt = entry.pointee.sentAt
    entry.pointee.nextPending = 0
    entry.pointee.sentAt = t
    if v.isString(.templateId) {
      entry.pointee.template = templateIDs.number(hash: v.labelHash(.templateId)) {
        v.label(.templateId)
      }
    }
    if v.isString(.campaignId) {
      entry.pointee.campaign = campaignIDs.number(hash: v.labelHash(.campaignId)) {
        v.label(.campaignId)
      }
    }
    let heldUnpriced = entry.pointee.flags.contains(.unpriced)
    if (heldPrice > 0 || heldUnpriced) && entry.pointee.template != 0 {
      // What a status that came first left for its template (a price, or none in the rate
      // card: only one status is priced), counted at that status's time, where the total and
      // the splits already counted it.
      let template = templateIDs.label(entry.pointee.template)
      count(at: pricedAt) { m in
        if heldUnpriced {
          m.cost.unpricedByTemplate.add(hash: template.hash) { template.name }
        } else if m.cost.total < StateDecoder.maxCount {  // full: the splits stopped
          m.cost.byTemplate.add(hash: template.hash, count: heldPrice) { template.name }
        }
      }
    }
    let heldFailure = entry.pointee.flags.contains(.failed)
    raise(slot, .sent)
    if heldFailure { countLabelFailure(slot, nil) }
    let (user, country) = (who, countryCode(v))
    let cell = clock.cell(t)
    let template = v.isString(.templateId)
    let agent: UInt64? =
      v.isString(.agentId) && !v.isTrue(.isAutomated) ? v.labelHash(.agentId) : nil
    let labelKey = Self.labelKey(v, .contentType)
    count(at: t) { m in
      let c = Self.countUser(&m, user, country: country)
      m.messages.sent += 1
      Self.countLabel(v, .contentType, key: labelKey, in: &m.messages.sentByContentType)
      m.volume.sent[cell] += 1
      m.countries.stats[c].sent += 1
      if template { m.messages.sentTemplate += 1 }
      if let agent {
        m.messages.sentByAgent += 1
        m.agents.stats[m.agents.index(hash: agent) { v.label(.agentId) }].messagesSent += 1
      } else {
        m.messages.sentAutomated += 1
      }
    }
    if v[.pricing].kind == .object { priced(v, slot, at: t) }
    let userSlot = userSlot(user.key, at: t)
    queueForReply(slot, key: key, user: userSlot, sentAt: t)
    stopClocks(user: userSlot, at: t, agent: agent, v)
    outboundConversation(v, user: userSlot, agent: agent, at: t)
  }

  func status(_ v: ValidEvent, at t: Int64) {
    let slot = messageSlot(messageKey(v), at: t)
    guard let flag = MessageFlags.of(v.event.kind), mark(slot, flag) else {
      return duplicate(at: t)
    }
    let (user, country) = (who, countryCode(v))
    let kind = v.event.kind
    count(at: t) { m in
      _ = Self.countUser(&m, user, country: country)
      switch kind {
      case .delivered: m.messages.delivered += 1
      case .read: m.messages.read += 1
      default:
        m.messages.failed += 1
        Self.countErrorCode(v, in: &m.messages.failedByCode)
      }
    }
    if kind != .failed && v[.pricing].kind == .object { priced(v, slot, at: t) }
    if kind == .failed && messages.value(at: slot).pointee.flags.contains(.sent) {
      countLabelFailure(slot, v)
    }
  }

  func resolved(_ v: ValidEvent, at t: Int64) {
    let key = resolutionKey(v, at: t)
    guard resolutions.slot(of: key) == nil else { return duplicate(at: t) }
    metrics.input.evicted += resolutions.insert(key, ResolutionState(touched: t)).evicted
    let (user, country) = (who, countryCode(v))
    let count = v.double(.messageCount)
    let minutes = v.double(.durationMinutes)
    let agent = v.isString(.agentId) ? v.labelHash(.agentId) : Self.unassignedHash
    let labelKey = Self.labelKey(v, .resolution)
    self.count(at: t) { m in
      _ = Self.countUser(&m, user, country: country)
      m.conversations.resolved += 1
      Self.countLabel(v, .resolution, key: labelKey, in: &m.conversations.byResolution)
      m.conversations.messageCount.add(count)
      m.conversations.durationMinutes.add(minutes)
      let a = m.agents.index(hash: agent) {
        v.isString(.agentId) ? v.label(.agentId) : AgentTable.unassigned
      }
      m.agents.stats[a].chatsResolved += 1
      m.agents.stats[a].durationMinutesSum += minutes
      m.agents.stats[a].messageCountSum += count
    }
    resolvedConversation(v, agent: agent, count: count, minutes: minutes, at: t)
  }

  /// The duplicate key of a `chat.resolved` (SPEC §5, version 2): `chatId` and its own
  /// time; without one, `chatId`, `messageCount`, `durationMinutes` and `resolution`, so that
  /// a replayed untimed resolution (which gets a later time from the stream clock) is still
  /// recognised.
  func resolutionKey(_ v: ValidEvent, at t: Int64) -> UInt64 {
    if v.event.timestamp != nil || v.event.receivedAt != nil {
      return v.hash(.chatId, seed: UInt64(bitPattern: t))
    }
    var seed = Hash64.mix(
      v.double(.messageCount).bitPattern ^ 0x756E_7469_6D65_6400, 0x9E37_79B9_7F4A_7C15)
    seed = Hash64.mix(seed ^ v.double(.durationMinutes).bitPattern, 0xC2B2_AE3D_27D4_EB4F)
    let resolution = v.isString(.resolution) ? v.hash(.resolution) : Self.unspecifiedHash
    return v.hash(.chatId, seed: Hash64.mix(seed ^ resolution, 0x1656_67B1_9E37_79F9))
  }

  func contactCreated(_ v: ValidEvent, at t: Int64) {
    let (user, country) = (who, countryCode(v))
    let entry = users.value(at: userSlot(user.key, at: t))
    guard !entry.pointee.contactCreated else { return duplicate(at: t) }
    entry.pointee.contactCreated = true
    let labelKey = Self.labelKey(v, .source)
    count(at: t) { m in
      let c = Self.countUser(&m, user, country: country)
      m.contacts.created += 1
      Self.countLabel(v, .source, key: labelKey, in: &m.contacts.bySource)
      m.countries.stats[c].contacts += 1
    }
  }

  /// `chat.assigned` (version 2): counted as an event of its user, once per key
  /// (`chatId`+`agentId`+its own time, or without one `chatId`+`agentId`: SPEC §5). Its
  /// metrics (assignments, response from assignment) belong to the service-desk work.
  func assigned(_ v: ValidEvent, at t: Int64) {
    let own = (v.event.timestamp ?? v.event.receivedAt).map(EventTime.nanos) ?? 0
    let key = v.hash(
      .agentId, seed: v.hash(.chatId, seed: UInt64(bitPattern: own)) ^ Self.assignedSeed)
    guard once(key, at: t) else { return duplicate(at: t) }
    let (user, country) = (who, countryCode(v))
    count(at: t) { m in _ = Self.countUser(&m, user, country: country) }
    assignedConversation(v, at: t)
  }

  /// `campaign.sent` (version 2): once per `campaignId`; it counts toward no user, country or
  /// message number (SPEC §5), only its campaign's `audience`, `name` and `templateId`.
  func campaignSent(_ v: ValidEvent, at t: Int64) {
    guard once(v.hash(.campaignId, seed: Self.campaignSeed), at: t) else {
      return duplicate(at: t)
    }
    let id = v.labelHash(.campaignId)
    let audience =
      v[.recipientCount].kind == .number ? LabelFunnel.audience(v.double(.recipientCount)) : 0
    count(at: t) { m in
      let c = m.campaigns.index(hash: id) { v.label(.campaignId) }
      m.campaigns.stats[c].addAudience(audience)
      if m.campaigns.stats[c].name == nil && v.isString(.campaignName) {
        m.campaigns.stats[c].name = v.label(.campaignName)
      }
      if m.campaigns.stats[c].templateId == nil && v.isString(.templateId) {
        m.campaigns.stats[c].templateId = v.label(.templateId)
      }
    }
  }

  /// A message's first `pricing` object (SPEC §5 version 2), counted at the event's own time:
  /// billable or free (`billable`; without it, free when `type` starts with `free`), by
  /// category and country, and priced with `--rate-card` when billable.
  func priced(_ v: ValidEvent, _ slot: Int, at t: Int64) {
    let entry = messages.value(at: slot)
    guard !entry.pointee.flags.contains(.priced) else { return }
    entry.pointee.flags.insert(.priced)
    let billable: Bool
    if v[.pricingBillable].kind == .bool {
      billable = v.isTrue(.pricingBillable)
    } else {
      billable = !(v.isString(.pricingType) && v.raw(v[.pricingType]).starts(with: "free".utf8))
    }
    let country = countryCode(v)
    let hasCategory = v.isString(.pricingCategory)
    let category = hasCategory ? v.labelHash(.pricingCategory) : Self.unspecifiedHash
    let categoryName = { hasCategory ? v.label(.pricingCategory) : "unspecified" }
    let costed = configuration.rateCard != nil && billable
    let price = costed ? configuration.rateCard?.price(category: category, country: country) : nil
    let tn = entry.pointee.template
    let template = tn == 0 ? nil : templateIDs.label(tn)
    if costed && price != 0 && !entry.pointee.flags.contains(.sent) {
      // A status before its `message.sent`: the template is not known yet. The price (or
      // `.unpriced`, none in the rate card) and this time wait in the fields a sent message
      // uses (its reply-list link and sent time), and `sent` adds them to the template's.
      if let price {
        entry.pointee.nextPending = UInt64(price)
      } else {
        entry.pointee.flags.insert(.unpriced)
      }
      entry.pointee.sentAt = t
    }
    count(at: t) { m in
      let c = m.countries.index(country)
      if billable {
        m.pricing.billable += 1
        m.countries.stats[c].billable += 1
        m.pricing.billableByCategory.add(hash: category, name: categoryName)
      } else {
        m.pricing.free += 1
        m.pricing.freeByCategory.add(hash: category, name: categoryName)
      }
      guard costed else { return }
      guard let price else {
        // A template with an unpriced message has no known cost (`unpricedByTemplate`).
        m.cost.unpriced += 1
        if let template {
          m.cost.unpricedByTemplate.add(hash: template.hash) { template.name }
        }
        return
      }
      guard m.cost.add(price) else { return }
      m.cost.byCategory.add(hash: category, count: price, name: categoryName)
      // Keyed by the hash of the code's name, as every label map is: a loaded state rebuilds
      // the keys from the names (`LabelCounts(from:)`), and the region's raw value here made a
      // resumed run count each country under a second entry of the same name.
      let code = m.countries.codes[c].string
      m.cost.byCountry.add(hash: Hash64.hash(code), count: price) { code }
      if let template {
        m.cost.byTemplate.add(hash: template.hash, count: price) { template.name }
      }
    }
  }

  /// An inbound message that is a tap on a button (`contentType` `button` or `interactive`).
  static func isClick(_ v: ValidEvent) -> Bool {
    guard v.isString(.contentType) else { return false }
    let b = v.raw(v[.contentType])
    return b.elementsEqual("button".utf8) || b.elementsEqual("interactive".utf8)
  }

  /// Seeds that keep the keys of assignments and campaigns apart from those of resolutions,
  /// which share their table.
  static let assignedSeed: UInt64 = 0x9E37_79B9_7F4A_7C15
  static let campaignSeed: UInt64 = 0xC2B2_AE3D_27D4_EB4F

  /// Records a duplicate key of an event that is not a message; false when it was seen.
  func once(_ key: UInt64, at t: Int64) -> Bool {
    guard resolutions.slot(of: key) == nil else { return false }
    metrics.input.evicted += resolutions.insert(key, ResolutionState(touched: t)).evicted
    return true
  }

  /// A duplicate: counted in the snapshot whatever its time (it is input accounting), and in
  /// the window of its own time.
  func duplicate(at t: Int64) {
    metrics.input.duplicates += 1
    eventCounted = true
    countInWindow(at: t) { $0.input.duplicates += 1 }
  }
}
