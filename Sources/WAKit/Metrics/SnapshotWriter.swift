/// Writes a snapshot (SPEC §5, shape version 2) as one JSON line.
///
/// ```
/// {"kind":"wa.snapshot","version":2,"seq":3,"final":false,
///  "generatedAt":"2026-11-25T10:00:00.000Z","eventTime":{"first":…,"last":…},
///  "input":{"lines":…,"events":…,"blank":…,"rejected":…,"foreign":…,"batches":…,
///           "batchItems":…,"duplicates":…,"late":…,"evicted":…},"messages":{…},"funnel":{…},"rates":{…},"responseTime":{…},
///  "agentResponseTime":{…},"volumeByHour":{…},"heatmap":{…},"countries":{…},
///  "agents":{…},"conversations":{…},"contacts":{…},"users":{"unique":0}}
/// ```
///
/// Version 2 keeps every field of version 1 and adds to it (SPEC §5 "Version 2 of the
/// snapshot"). Fields come in the order of the spec; map keys (countries, agents, error codes, content
/// types, resolutions, sources) in byte order. Times are RFC 3339 in UTC with milliseconds;
/// `eventTime.first`/`last` are `null` before any event brought its own time. Rates,
/// means, quantiles and maxima are `null` when there is nothing to compute them from.
/// Numbers follow `JSONLineWriter`: integers plain, others rounded to 3 decimals.
enum SnapshotWriter {
  /// Writes the snapshot line (with its `\n`); the caller flushes.
  static func write(
    _ m: AggregateMetrics, seq: Int, final: Bool, generatedAt: Int64, to out: OutputBuffer
  ) {
    write(m, seq: seq, final: final, generatedAt: generatedAt, desk: DeskSettings(), to: out)
  }

  /// What the service-desk sections show: `business` members with business hours, `sla`
  /// with targets.
  struct DeskSettings {
    var business = false
    var sla = SLATargets()

    init() {}
    init(_ c: AggregatorConfiguration) {
      business = c.businessHours != nil
      sla = c.sla
    }
  }

  static func write(
    _ m: AggregateMetrics, seq: Int, final: Bool, generatedAt: Int64, desk: DeskSettings,
    to out: OutputBuffer
  ) {
    var w = JSONLineWriter(out: out)
    w.beginObject()
    w.string("kind", "wa.snapshot")
    w.int("version", 2)
    w.int("seq", seq)
    w.bool("final", final)
    w.string("generatedAt", time(generatedAt))
    w.beginObject("eventTime")
    w.string("first", m.firstEventTime.map(time))
    w.string("last", m.lastEventTime.map(time))
    w.endObject()
    input(m.input, &w)
    sections(m, desk, &w)
    w.endObject()
    out.write(byte: 0x0A)
  }

  /// Writes a window record (SPEC §5 "Windows and date ranges") with its `\n`: the same
  /// sections as a snapshot, over one window; its `input` holds only `events` and
  /// `duplicates` (the rest of `input` has no event time).
  static func writeWindow(
    _ r: WindowRecord, size: WindowSize, zoneName: String, seq: Int, generatedAt: Int64,
    desk: DeskSettings = DeskSettings(), to out: OutputBuffer
  ) {
    var w = JSONLineWriter(out: out)
    w.beginObject()
    w.string("kind", "wa.window")
    w.int("version", 2)
    w.int("seq", seq)
    w.string("generatedAt", time(generatedAt))
    w.beginObject("window")
    w.string("size", size.rawValue)
    w.string("tz", zoneName)
    w.string("start", time(r.window.start))
    w.string("end", time(r.window.end))
    w.bool("complete", r.complete)
    w.int("revision", r.window.revision)
    w.endObject()
    w.beginObject("input")
    w.int("events", r.window.metrics.input.events)
    w.int("duplicates", r.window.metrics.input.duplicates)
    w.endObject()
    sections(r.window.metrics, desk, &w)
    w.endObject()
    out.write(byte: 0x0A)
  }

  /// Every section after `input`, shared by snapshots and window records: a section added
  /// here appears in both.
  static func sections(_ m: AggregateMetrics, _ desk: DeskSettings, _ w: inout JSONLineWriter) {
    messages(m.messages, &w)
    funnel(m.funnel, &w)
    let d = m.desk
    let b = desk.business
    latency("responseTime", m.responseTime, d.response, business: b, &w)
    latency("agentResponseTime", m.agentResponseTime, d.agentResponse, business: b, &w)
    latency("firstResponseTime", d.firstResponseTime, d.firstResponse, business: b, &w)
    latency(
      "agentFirstResponseTime", d.agentFirstResponseTime, d.agentFirstResponse, business: b, &w)
    latency(
      "assignmentResponseTime", d.assignmentResponseTime, d.assignmentResponse, business: b, &w)
    w.beginObject("waiting")
    w.int("now", d.waiting.now)
    w.int("overWindow", d.waiting.overWindow)
    w.endObject()
    sla(d.sla, desk.sla, &w)
    w.beginObject("handling")
    w.int("botOnly", d.handling.botOnly)
    w.int("handedOff", d.handling.handedOff)
    w.int("agentOnly", d.handling.agentOnly)
    w.int("noReply", d.handling.noReply)
    w.int("assignments", d.handling.assignments)
    w.int("reassigned", d.handling.reassigned)
    w.endObject()
    volume(m.volume, &w)
    countries(m.countries, billable: !m.pricing.isEmpty, &w)
    agents(m.agents, desk, &w)
    conversations(m.conversations, d, &w)
    w.beginObject("contacts")
    w.int("created", m.contacts.created)
    labels("bySource", m.contacts.bySource, &w)
    w.endObject()
    w.beginObject("users")
    let unique = m.users.estimate
    w.int("unique", unique)
    // Phone = all − BSUID: exact while the sketches are (up to 1,536 users), then within
    // the sketches' error; never negative.
    let bsuid = min(m.bsuidUsers.estimate, unique)
    w.beginObject("byIdentity")
    w.int("phone", unique - bsuid)
    w.int("bsuid", bsuid)
    w.endObject()
    w.endObject()
    labelFunnels("templates", m.templates, campaigns: false, &w)
    labelFunnels("campaigns", m.campaigns, campaigns: true, &w)
    pricing(m.pricing, &w)
    cost(m.cost, &w)
  }

  /// `pricing`: only when some message carried one.
  private static func pricing(_ p: PricingStats, _ w: inout JSONLineWriter) {
    guard !p.isEmpty else { return }
    w.beginObject("pricing")
    w.int("billable", p.billable)
    w.int("free", p.free)
    var categories: [String: (Int, Int)] = [:]
    for (name, n) in p.billableByCategory.sorted { categories[name, default: (0, 0)].0 += n }
    for (name, n) in p.freeByCategory.sorted { categories[name, default: (0, 0)].1 += n }
    w.beginObject("byCategory")
    for (name, n) in categories.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
      w.beginObject(name)
      w.int("billable", n.0)
      w.int("free", n.1)
      w.endObject()
    }
    w.endObject()
    w.endObject()
  }

  /// `cost`: only with a rate card; amounts as plain decimals of the card's currency.
  private static func cost(_ c: CostStats, _ w: inout JSONLineWriter) {
    guard let currency = c.currency else { return }
    w.beginObject("cost")
    w.string("currency", currency)
    w.decimal("total", RateCard.decimal(c.total))
    for (key, table) in [
      ("byCategory", c.byCategory), ("byCountry", c.byCountry), ("byTemplate", c.byTemplate),
    ] {
      w.beginObject(key)
      for (name, n) in table.sorted { w.decimal(name, RateCard.decimal(n)) }
      w.endObject()
    }
    w.int("unpriced", c.unpriced)
    w.beginObject("unpricedByTemplate")
    for (name, n) in c.unpricedByTemplate.sorted { w.int(name, n) }
    w.endObject()
    w.endObject()
  }

  /// `templates` / `campaigns` (version 2): written only when some message named one, so a
  /// stream without templates keeps the version 1 shape.
  private static func labelFunnels(
    _ key: String, _ t: LabelFunnelTable, campaigns: Bool, _ w: inout JSONLineWriter
  ) {
    guard !t.isEmpty else { return }
    w.beginObject(key)
    for (id, s) in t.sorted {
      w.beginObject(id)
      if campaigns {
        w.string("name", s.name)
        w.string("templateId", s.templateId)
        w.int("audience", s.audience)
      }
      w.int("sent", s.funnel.sent)
      w.int("delivered", s.funnel.delivered)
      w.int("read", s.funnel.read)
      w.int("replied", s.funnel.replied)
      w.int("clicked", s.clicked)
      w.int("failed", s.funnel.failed)
      labels("failedByCode", s.failedByCode, &w)
      w.beginObject("rates")
      w.number("delivery", s.funnel.deliveryRate)
      w.number("read", s.funnel.readRate)
      w.number("reply", s.funnel.replyRate)
      w.endObject()
      w.endObject()
    }
    w.endObject()
  }

  /// RFC 3339, UTC, milliseconds.
  static func time(_ nanos: Int64) -> String {
    RFC3339.format(EventTime.timestamp(nanos), fractionDigits: 3)
  }

  private static func input(_ c: InputCounts, _ w: inout JSONLineWriter) {
    w.beginObject("input")
    w.int("lines", c.lines)
    w.int("events", c.events)
    w.int("blank", c.blank)
    w.int("rejected", c.rejected)
    w.int("foreign", c.foreign)
    w.int("batches", c.batches)
    w.int("batchItems", c.batchItems)
    w.int("duplicates", c.duplicates)
    w.int("late", c.late)
    w.int("evicted", c.evicted)
    w.int("outOfRange", c.outOfRange)
    w.endObject()
  }

  private static func messages(_ c: MessageCounts, _ w: inout JSONLineWriter) {
    w.beginObject("messages")
    w.int("received", c.received)
    w.int("sent", c.sent)
    w.int("sentByAgent", c.sentByAgent)
    w.int("sentAutomated", c.sentAutomated)
    w.int("sentTemplate", c.sentTemplate)
    w.int("delivered", c.delivered)
    w.int("read", c.read)
    w.int("failed", c.failed)
    labels("failedByCode", c.failedByCode, &w)
    labels("receivedByContentType", c.receivedByContentType, &w)
    labels("sentByContentType", c.sentByContentType, &w)
    w.endObject()
  }

  private static func funnel(_ f: FunnelCounts, _ w: inout JSONLineWriter) {
    w.beginObject("funnel")
    w.int("sent", f.sent)
    w.int("delivered", f.delivered)
    w.int("read", f.read)
    w.int("replied", f.replied)
    w.int("failed", f.failed)
    w.endObject()
    w.beginObject("rates")
    w.number("delivery", f.deliveryRate)
    w.number("read", f.readRate)
    w.number("reply", f.replyRate)
    w.endObject()
  }

  private static func latency(_ key: String, _ d: Distribution, _ w: inout JSONLineWriter) {
    w.beginObject(key)
    latencyMembers(d, &w)
    w.endObject()
  }

  private static func latencyMembers(_ d: Distribution, _ w: inout JSONLineWriter) {
    let q = d.quantiles([0.5, 0.9, 0.99])
    w.int("count", d.count)
    w.number("meanSeconds", d.mean)
    w.number("p50Seconds", q[0])
    w.number("p90Seconds", q[1])
    w.number("p99Seconds", q[2])
    w.number("maxSeconds", d.maximum)
  }

  /// A response clock with its `buckets` and, with business hours, its `business`.
  private static func latency(
    _ key: String, _ d: Distribution, _ x: ClockExtras, business: Bool,
    _ w: inout JSONLineWriter
  ) {
    w.beginObject(key)
    latencyMembers(d, &w)
    w.beginObject("buckets")
    for (name, n) in zip(LatencyBuckets.keys, x.buckets.counts) { w.int(name, n) }
    w.endObject()
    if business { latency("business", x.business, &w) }
    w.endObject()
  }

  /// `sla`, with the configured targets only (nothing without `--sla`).
  private static func sla(_ c: SLACounts, _ targets: SLATargets, _ w: inout JSONLineWriter) {
    guard !targets.isEmpty else { return }
    w.beginObject("sla")
    for (key, target, tally) in [
      ("firstResponse", targets.firstResponse, c.firstResponse),
      ("resolution", targets.resolution, c.resolution),
    ] {
      guard let target else { continue }
      w.beginObject(key)
      w.number("target", Double(target) / Double(EventTime.nanosPerSecond))
      w.int("met", tally.met)
      w.int("missed", tally.missed)
      w.int("pending", tally.pending)
      w.number("rate", tally.rate)
      w.endObject()
    }
    w.endObject()
  }

  private static func volume(_ v: HourlyVolume, _ w: inout JSONLineWriter) {
    w.beginObject("volumeByHour")
    w.beginArray("received")
    for n in HourlyVolume.byHour(v.received) { w.int(n) }
    w.endArray()
    w.beginArray("sent")
    for n in HourlyVolume.byHour(v.sent) { w.int(n) }
    w.endArray()
    w.endObject()
    w.beginObject("heatmap")
    for (key, cells) in [("received", v.received), ("sent", v.sent)] {
      w.beginArray(key)
      for day in 0..<7 {
        w.beginArray()
        for hour in 0..<24 { w.int(cells[day * 24 + hour]) }
        w.endArray()
      }
      w.endArray()
    }
    w.endObject()
  }

  private static func countries(_ t: CountryTable, billable: Bool, _ w: inout JSONLineWriter) {
    w.beginObject("countries")
    for (code, c) in t.sorted {
      w.beginObject(code)
      w.int("received", c.received)
      w.int("sent", c.sent)
      w.int("contacts", c.contacts)
      w.int("users", c.users.estimate)
      if billable { w.int("billable", c.billable) }
      w.endObject()
    }
    w.endObject()
  }

  private static func agents(_ t: AgentTable, _ desk: DeskSettings, _ w: inout JSONLineWriter) {
    w.beginObject("agents")
    for (id, a) in t.sorted {
      w.beginObject(id)
      w.int("messagesSent", a.messagesSent)
      w.int("chatsResolved", a.chatsResolved)
      w.number("avgDurationMinutes", a.avgDurationMinutes)
      w.number("avgMessageCount", a.avgMessageCount)
      latency("responseTime", a.responseTime, a.desk.response, business: desk.business, &w)
      latency("assignmentResponseTime", a.desk.assignmentResponseTime, &w)
      sla(a.desk.sla, desk.sla, &w)
      w.endObject()
    }
    w.endObject()
  }

  private static func conversations(
    _ c: ConversationStats, _ d: ServiceDeskMetrics, _ w: inout JSONLineWriter
  ) {
    w.beginObject("conversations")
    w.int("resolved", c.resolved)
    labels("byResolution", c.byResolution, &w)
    summary("messageCount", c.messageCount, &w)
    summary("durationMinutes", c.durationMinutes, &w)
    w.int("started", d.started)
    w.beginObject("observed")
    summary("durationMinutes", d.observedDurationMinutes, &w)
    summary("messageCount", d.observedMessageCount, &w)
    w.endObject()
    w.int("disagree", d.disagree)
    w.endObject()
  }

  private static func summary(_ key: String, _ d: Distribution, _ w: inout JSONLineWriter) {
    let q = d.quantiles([0.5, 0.9])
    w.beginObject(key)
    w.number("mean", d.mean)
    w.number("p50", q[0])
    w.number("p90", q[1])
    w.number("max", d.maximum)
    w.endObject()
  }

  /// A `wa.conversation` record (`--emit conversations`): no `userId`, by design.
  static func write(_ r: ConversationOutcome, to out: OutputBuffer) {
    var w = JSONLineWriter(out: out)
    func seconds(_ n: Int64?) -> Double? { n.map { Double($0) / Double(EventTime.nanosPerSecond) } }
    w.beginObject()
    w.string("kind", "wa.conversation")
    w.int("version", 2)
    w.string("chatId", r.chatId)
    w.string("resolvedAt", time(r.resolvedAt))
    w.string("agentId", r.agentId)
    w.string("resolution", r.resolution)
    w.string("firstInboundAt", r.firstInboundAt.map(time))
    w.number("firstResponseSeconds", seconds(r.firstResponse))
    w.number("firstResponseBusinessSeconds", seconds(r.firstResponseBusiness))
    w.number("messageCount", r.messageCount)
    w.number("observedMessageCount", r.observedMessageCount.map(Double.init))
    w.number("durationMinutes", r.durationMinutes)
    w.number("observedDurationMinutes", r.observedDurationMinutes)
    w.string("handling", r.handling)
    w.beginObject("sla")
    w.string("firstResponse", r.firstResponseSLA)
    w.string("resolution", r.resolutionSLA)
    w.endObject()
    w.endObject()
    out.write(byte: 0x0A)
  }

  private static func labels(_ key: String, _ l: LabelCounts, _ w: inout JSONLineWriter) {
    w.beginObject(key)
    for (name, n) in l.sorted { w.int(name, n) }
    w.endObject()
  }
}
