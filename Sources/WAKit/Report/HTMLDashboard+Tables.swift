/// The page's tables: countries, agents, response times, conversations, and the version 2
/// sections (SLA, templates, campaigns, pricing and cost), each shown only when present.
///
/// Columns a phone has no room for carry the class `o` and are hidden below 640 px; the
/// CSV tables hold every column.
extension HTMLDashboard {
  // MARK: Countries

  func countries(_ s: Snapshot, _ h: inout HTMLWriter) {
    let sorted = s.countriesByTraffic
    let total = sorted.reduce(0) { $0 + $1.traffic }
    let shown = sorted.prefix(topCountries)
    h.section("countries", "Traffic by country")
    h.add("<p class=\"note\">")
    h.add(
      sorted.count > shown.count
        ? "Top \(shown.count) of \(sorted.count), by messages." : "By messages received + sent.")
    h.add("</p>\n")
    guard !sorted.isEmpty else {
      h.add("<p>No countries yet.</p>\n</section>\n")
      return
    }
    let billable = sorted.contains { $0.billable != nil }
    h.add("<div class=\"tw\"><table class=\"bars\"><thead><tr><th>country</th>")
    var names = ["received", "sent", "contacts", "users"]
    if billable { names.append("billable") }
    h.headerCells(names + ["share"], optionalFrom: Set(2..<(names.count)))
    h.add("<th class=\"barcol o\"><span class=\"sr\">bar</span></th></tr></thead><tbody>\n")
    var rows = shown.map { ($0.code, countryLabel($0.code), $0) }
    let rest = sorted.dropFirst(shown.count)
    if !rest.isEmpty {
      var others = Snapshot.Country(code: "")
      for x in rest {
        others.received += x.received
        others.sent += x.sent
        others.contacts += x.contacts
        others.users += x.users
        if let b = x.billable { others.billable = (others.billable ?? 0) + b }
      }
      rows.append(("", "\(rest.count) other\(rest.count == 1 ? "" : "s")", others))
    }
    for (code, name, x) in rows {
      h.add("<tr><th scope=\"row\" class=\"c\">")
      if !code.isEmpty { h.add("<b>\(h.text(code))</b> ") }
      h.add(h.text(name) + "</th>")
      h.cell(count(x.received))
      h.cell(count(x.sent))
      h.cell(count(x.contacts), optional: true)
      h.cell(count(x.users), optional: true)
      if billable { h.cell(x.billable.map(count) ?? Self.noData, optional: true) }
      h.cell(share(x.traffic, total))
      h.add("<td class=\"barcol o\">")
      h.bar(x.traffic, of: rows[0].2.traffic, tone: "received")
      h.add("</td></tr>\n")
    }
    h.add("</tbody></table></div>\n</section>\n")
  }

  /// The country's name (`TextDashboard.countryLabel`).
  func countryLabel(_ code: String) -> String {
    TextDashboard.countryLabel(code, names: countryName)
  }

  // MARK: Agents

  func agents(_ s: Snapshot, _ h: inout HTMLWriter) {
    let sorted = s.agentsByChatsResolved
    let shown = sorted.prefix(topRows)
    h.section("agents", "Agent performance", wide: true)
    h.add(
      "<p class=\"note\">\(count(Double(sorted.count))) agent\(sorted.count == 1 ? "" : "s"), by chats resolved"
    )
    if sorted.count > shown.count { h.add("; the top \(shown.count) shown") }
    h.add(".</p>\n")
    guard !sorted.isEmpty else {
      h.add("<p>No agents yet.</p>\n</section>\n")
      return
    }
    let hasSLA = sorted.contains { $0.sla?.firstResponse != nil }
    let hasAssignment = sorted.contains { $0.assignmentResponseTime != nil }
    let hasBusiness = sorted.contains { $0.responseTime.business != nil }
    var names = ["chats resolved", "messages", "median response", "p90 response"]
    var optional: Set<Int> = hasSLA ? [1, 3] : [3]
    if hasBusiness {
      optional.insert(names.count)
      names.append("median, business hours")
    }
    if hasAssignment {
      optional.insert(names.count)
      names.append("median from assignment")
    }
    optional.formUnion([names.count, names.count + 1])
    names += ["avg resolution", "avg messages"]
    if hasSLA { names.append("first-response SLA") }
    h.add("<div class=\"tw\"><table><thead><tr><th>agent</th>")
    h.headerCells(names, optionalFrom: optional)
    h.add("</tr></thead><tbody>\n")
    for a in shown {
      h.add("<tr><th scope=\"row\" class=\"id\">\(h.text(a.id))</th>")
      h.cell(count(a.chatsResolved))
      h.cell(count(a.messagesSent), optional: hasSLA)
      h.cell(duration(a.responseTime.p50))
      h.cell(duration(a.responseTime.p90), optional: true)
      if hasBusiness { h.cell(duration(a.responseTime.business?.p50), optional: true) }
      if hasAssignment { h.cell(duration(a.assignmentResponseTime?.p50), optional: true) }
      h.cell(duration(a.avgDurationMinutes.map { $0 * 60 }), optional: true)
      h.cell(ReportNumbers.decimal(a.avgMessageCount) ?? Self.noData, optional: true)
      if hasSLA { h.cell(slaRate(a.sla?.firstResponse)) }
      h.add("</tr>\n")
    }
    let rest = sorted.dropFirst(shown.count)
    if !rest.isEmpty {
      let chats = rest.reduce(0) { $0 + $1.chatsResolved }
      let messages = rest.reduce(0) { $0 + $1.messagesSent }
      h.add("<tr class=\"rest\"><th scope=\"row\">\(rest.count) more</th>")
      h.cell(count(chats))
      h.cell(count(messages), optional: hasSLA)
      h.add("<td colspan=\"\(names.count - 2)\"></td></tr>\n")
    }
    h.add("</tbody></table></div>\n")
    if !rest.isEmpty {
      h.add(
        "<p class=\"note\">Every agent: <code>wa-report --format csv --table agents</code>.</p>\n")
    }
    h.add("</section>\n")
  }

  /// `92.1% (1,012 of 1,159)`, or a dash without a decided response.
  func slaRate(_ t: Snapshot.Target?) -> String {
    guard let t else { return Self.noData }
    let decided = t.met + t.missed
    let rate = t.rate ?? (decided > 0 ? t.met / decided : nil)
    return percent(rate)
  }

  // MARK: Response times

  func responseTimes(_ s: Snapshot, _ h: inout HTMLWriter) {
    h.section("response", "Response times", wide: true)
    h.add("<p class=\"note\">Time to first response. Per user, every waiting episode; per ")
    h.add("conversation, its first one only (the industry's first response time).</p>\n")
    var rows: [(String, Snapshot.Latency)] = [
      ("any reply, per waiting user", s.responseTime),
      ("an agent's reply, per waiting user", s.agentResponseTime),
    ]
    if let l = s.firstResponseTime { rows.append(("first response, per conversation", l)) }
    if let l = s.agentFirstResponseTime {
      rows.append(("agent's first response, per conversation", l))
    }
    if let l = s.assignmentResponseTime { rows.append(("agent's reply after assignment", l)) }
    h.add("<div class=\"tw\"><table><thead><tr><th>clock stopped by</th>")
    h.headerCells(["answered", "mean", "median", "p90", "p99", "max"], optionalFrom: [0, 4, 5])
    h.add("</tr></thead><tbody>\n")
    for (label, l) in rows {
      latencyRow(label, l, &h)
      if let b = l.business { latencyRow("… in business hours", b, &h, sub: true) }
    }
    h.add("</tbody></table></div>\n")
    if let w = s.waiting {
      h.add("<p><b>\(count(w.now))</b> user\(w.now == 1 ? "" : "s") waiting for a reply now; ")
      h.add("<b>\(count(w.overWindow))</b> of them past the reply window (missed).</p>\n")
    }
    if let l = [s.firstResponseTime, s.responseTime].compactMap({ $0 }).first(where: {
      !$0.buckets.isEmpty
    }) {
      let title =
        s.firstResponseTime?.buckets.isEmpty == false
        ? "First response per conversation" : "Response time"
      h.add("<div class=\"pair\">\n")
      bucketChart(title, l, &h)
      h.add("<div class=\"tw\"><table><thead><tr><th>answered within</th>")
      // Business-hours buckets only when the records have them: wa-aggregate writes a
      // `business` distribution without buckets, and a column of "–" in every row said the
      // numbers were missing.
      let businessBuckets = l.business.map(\.buckets).flatMap { $0.isEmpty ? nil : $0 }
      h.headerCells(
        businessBuckets == nil ? ["count", "share"] : ["count", "share", "business hours"])
      h.add("</tr></thead><tbody>\n")
      let total = l.buckets.reduce(0) { $0 + $1.value }
      for (i, b) in l.buckets.enumerated() {
        h.add("<tr><th scope=\"row\">\(h.text(Self.bucketLabel(b.key)))</th>")
        h.cell(count(b.value))
        h.cell(share(b.value, total))
        if let business = businessBuckets {
          h.cell(i < business.count ? count(business[i].value) : Self.noData)
        }
        h.add("</tr>\n")
      }
      h.add("</tbody></table></div>\n</div>\n")
    }
    h.add("</section>\n")
  }

  private func latencyRow(
    _ label: String, _ l: Snapshot.Latency, _ h: inout HTMLWriter, sub: Bool = false
  ) {
    h.add("<tr\(sub ? " class=\"sub\"" : "")><th scope=\"row\">\(label)</th>")
    h.cell(count(l.count), optional: true)
    h.cell(duration(l.mean))
    h.cell(duration(l.p50))
    h.cell(duration(l.p90))
    h.cell(duration(l.p99), optional: true)
    h.cell(duration(l.max), optional: true)
    h.add("</tr>\n")
  }

  // MARK: Conversations and handling

  func conversations(_ s: Snapshot, _ state: ReportState, _ h: inout HTMLWriter) {
    let conv = s.conversations
    h.section("conversations", "Conversations and handling", wide: true)
    h.add("<p class=\"note\">\(count(conv.resolved)) resolved")
    if let d = conv.disagree {
      h.add("; \(count(d)) where the producer's numbers and the observed ones disagree")
    }
    h.add(".</p>\n<div class=\"pair\">\n<div class=\"tw\"><table><thead><tr><th></th>")
    h.headerCells(["mean", "median", "p90", "max"])
    h.add("</tr></thead><tbody>\n")
    let amount = { (v: Double?) in v.map(TextDashboard.amount) ?? Self.noData }
    let minutes = { (v: Double?) in self.duration(v.map { $0 * 60 }) }
    var rows: [(String, Snapshot.Distribution, (Double?) -> String)] = [
      ("length (messages)", conv.messageCount, amount),
      ("resolution time", conv.durationMinutes, minutes),
    ]
    if let d = conv.observedMessageCount { rows.append(("observed length", d, amount)) }
    if let d = conv.observedDurationMinutes {
      rows.append(("observed resolution time", d, minutes))
    }
    for (label, d, format) in rows {
      h.add("<tr><th scope=\"row\">\(label)</th>")
      for v in [d.mean, d.p50, d.p90, d.max] { h.cell(format(v)) }
      h.add("</tr>\n")
    }
    h.add("</tbody></table></div>\n")
    breakdown("resolution", TextDashboard.sorted(conv.byResolution), total: conv.resolved, &h)
    h.add("</div>\n")
    if let x = s.handling {
      let total = x.botOnly + x.handedOff + x.agentOnly + x.noReply
      h.add(
        "<h3>Handling</h3>\n<div class=\"tw\"><table class=\"bars\"><thead><tr><th>who replied</th>"
      )
      h.headerCells(["conversations", "share"])
      h.add("<th class=\"barcol\"><span class=\"sr\">bar</span></th></tr></thead><tbody>\n")
      for (label, v, tone) in [
        ("bot only", x.botOnly, "sent"), ("bot, then an agent", x.handedOff, "read"),
        ("agent only", x.agentOnly, "received"), ("no reply", x.noReply, "failed"),
      ] {
        h.add("<tr><th scope=\"row\">\(label)</th>")
        h.cell(count(v))
        h.cell(share(v, total))
        h.add("<td class=\"barcol\">")
        h.bar(v, of: total, tone: tone)
        h.add("</td></tr>\n")
      }
      h.add("</tbody></table></div>\n<p>\(count(x.assignments)) assignments; ")
      h.add("\(count(x.reassigned)) conversations assigned more than once.</p>\n")
    }
    conversationRecords(state, &h)
    h.add("</section>\n")
  }

  private func conversationRecords(_ state: ReportState, _ h: inout HTMLWriter) {
    let records = state.conversations
    guard !records.isEmpty else { return }
    let shown = records.suffix(latestConversations).reversed()
    h.add("<h3>Latest resolved conversations</h3>\n<p class=\"note\">The latest \(shown.count) ")
    h.add("of \(count(Double(records.count + state.droppedConversations))) conversation records; ")
    h.add("all kept: <code>wa-report --format csv --table conversations</code>.</p>\n")
    h.add("<div class=\"tw\"><table><thead><tr><th>chat</th><th class=\"o\">resolved at</th>")
    h.add("<th>agent</th>")
    h.headerCells(["first response", "messages"], optionalFrom: [1])
    h.add(
      "<th class=\"o\">resolution</th><th>handling</th><th class=\"o\">SLA</th></tr></thead><tbody>\n"
    )
    for c in shown {
      h.add("<tr><th scope=\"row\" class=\"id\">\(h.text(c.chatId ?? Self.noData))</th>")
      h.add("<td class=\"o\">\(h.text(c.resolvedAt ?? Self.noData))</td>")
      h.add("<td class=\"id\">\(h.text(c.agentId ?? Self.noData))</td>")
      h.cell(duration(c.firstResponseSeconds))
      h.cell(
        (c.observedMessageCount ?? c.messageCount).map(TextDashboard.amount) ?? Self.noData,
        optional: true)
      // The producer's text, of any length: it wraps as ids do (one long resolution made
      // the table scroll sideways).
      h.add("<td class=\"o id\">\(h.text(c.resolution ?? Self.noData))</td>")
      h.add("<td>\(h.text(c.handling ?? Self.noData))</td>")
      var sla: [String] = []
      if let v = c.slaFirstResponse { sla.append("first response " + v) }
      if let v = c.slaResolution { sla.append("resolution " + v) }
      h.add(
        "<td class=\"o\">\(h.text(sla.isEmpty ? Self.noData : sla.joined(separator: ", ")))</td></tr>\n"
      )
    }
    h.add("</tbody></table></div>\n")
  }

  /// A map of counts as a table with bars: the largest eight, the rest summed.
  func breakdown(_ what: String, _ sorted: [Snapshot.Entry], total: Double, _ h: inout HTMLWriter) {
    h.add("<div class=\"tw\"><table class=\"bars\"><thead><tr><th>\(what)</th>")
    h.headerCells(["count", "share"])
    h.add("<th class=\"barcol\"><span class=\"sr\">bar</span></th></tr></thead><tbody>\n")
    let shown = sorted.prefix(8)
    let most = sorted.first?.value ?? 0
    for e in shown {
      h.add("<tr><th scope=\"row\" class=\"id\">\(h.text(e.key))</th>")
      h.cell(count(e.value))
      h.cell(share(e.value, total))
      h.add("<td class=\"barcol\">")
      h.bar(e.value, of: most, tone: "received")
      h.add("</td></tr>\n")
    }
    let rest = sorted.dropFirst(shown.count)
    if !rest.isEmpty {
      let sum = rest.reduce(0) { $0 + $1.value }
      h.add("<tr class=\"rest\"><th scope=\"row\">\(rest.count) more</th>")
      h.cell(count(sum))
      h.cell(share(sum, total))
      h.add("<td></td></tr>\n")
    }
    if sorted.isEmpty { h.add("<tr><td colspan=\"4\">none yet</td></tr>\n") }
    h.add("</tbody></table></div>\n")
  }

  // MARK: SLA

  func sla(_ s: Snapshot, _ h: inout HTMLWriter) {
    guard let sla = s.sla, sla.firstResponse != nil || sla.resolution != nil else { return }
    h.section("sla", "Service levels (SLA)")
    h.add("<p class=\"note\">First response is an agent's (a bot's reply does not meet it), ")
    h.add("once per conversation; a response exactly at the target is met.</p>\n")
    h.add("<div class=\"tw\"><table><thead><tr><th>target</th>")
    h.headerCells(["within", "met", "missed", "pending", "met rate"], optionalFrom: [3])
    h.add("</tr></thead><tbody>\n")
    for (label, t) in [("first response", sla.firstResponse), ("resolution", sla.resolution)] {
      guard let t else { continue }
      h.add("<tr><th scope=\"row\">\(label)</th>")
      h.cell(duration(t.target))
      h.cell(count(t.met))
      h.cell(count(t.missed))
      h.cell(count(t.pending), optional: true)
      h.cell(slaRate(t))
      h.add("</tr>\n")
    }
    h.add("</tbody></table></div>\n</section>\n")
  }

  // MARK: Templates and campaigns

  func templates(_ s: Snapshot, _ h: inout HTMLWriter) {
    guard let sorted = s.templatesBySent else { return }
    h.section("templates", "Templates", wide: true)
    h.add(
      "<p class=\"note\">\(count(Double(sorted.count))) template\(sorted.count == 1 ? "" : "s"), by messages sent"
    )
    if sorted.count > topRows {
      h.add("; the top \(topRows) shown (all: <code>--format csv --table templates</code>)")
    }
    h.add(". Clicked: a button or interactive reply to the message.</p>\n")
    funnelTable("template", sorted.prefix(topRows).map { ($0.id, nil, $0) }, extra: nil, &h)
    h.add("</section>\n")
  }

  func campaigns(_ s: Snapshot, _ h: inout HTMLWriter) {
    guard let sorted = s.campaignsBySent else { return }
    h.section("campaigns", "Campaigns", wide: true)
    h.add(
      "<p class=\"note\">\(count(Double(sorted.count))) campaign\(sorted.count == 1 ? "" : "s"), by messages sent"
    )
    if sorted.count > topRows {
      h.add("; the top \(topRows) shown (all: <code>--format csv --table campaigns</code>)")
    }
    h.add(".</p>\n")
    // Under a campaign's name, its id: campaigns sent again under one name were rows alike.
    funnelTable(
      "campaign",
      sorted.prefix(topRows).map { k in
        let template = k.templateId.map { "template " + ReportText.unblank($0) }
        let detail = [k.name == nil ? nil : k.id, template]
          .compactMap { $0 }
        return (k.name ?? k.id, detail.isEmpty ? nil : detail, k.funnel)
      },
      extra: ("audience", sorted.prefix(topRows).map(\.audience)), &h)
    h.add("</section>\n")
  }

  private func funnelTable(
    _ what: String, _ rows: [(String, [String]?, Snapshot.Template)], extra: (String, [Double?])?,
    _ h: inout HTMLWriter
  ) {
    guard !rows.isEmpty else {
      h.add("<p>None yet.</p>\n")
      return
    }
    h.add("<div class=\"tw\"><table><thead><tr><th>\(what)</th>")
    var names = [
      "sent", "delivered", "read", "replied", "clicked", "failed", "read rate", "reply rate",
    ]
    var optional: Set<Int> = [1, 3, 4, 5]
    if let extra {
      names.insert(extra.0, at: 0)
      optional = Set(optional.map { $0 + 1 }).union([0])
    }
    h.headerCells(names, optionalFrom: optional)
    h.add("</tr></thead><tbody>\n")
    for (i, (name, detail, t)) in rows.enumerated() {
      h.add("<tr><th scope=\"row\" class=\"id\">\(h.text(name))")
      if let detail { h.add("<small>\(detail.map(h.text).joined(separator: " · "))</small>") }
      h.add("</th>")
      if let extra { h.cell(extra.1[i].map(count) ?? Self.noData, optional: true) }
      h.cell(count(t.sent))
      h.cell(count(t.delivered), optional: true)
      h.cell(count(t.read))
      h.cell(count(t.replied), optional: true)
      h.cell(t.clicked.map(count) ?? Self.noData, optional: true)
      h.cell(count(t.failed), optional: true)
      h.cell(percent(t.rates.read ?? (t.sent > 0 ? t.read / t.sent : nil)))
      h.cell(percent(t.rates.reply ?? (t.sent > 0 ? t.replied / t.sent : nil)))
      h.add("</tr>\n")
    }
    h.add("</tbody></table></div>\n")
  }

  // MARK: Pricing and cost

  func cost(_ s: Snapshot, _ h: inout HTMLWriter) {
    guard s.pricing != nil || s.cost != nil else { return }
    h.section("cost", "Pricing and cost")
    if let p = s.pricing {
      h.add("<p>\(count(p.billable)) billable and \(count(p.free)) free messages.</p>\n")
    }
    if let c = s.cost {
      let currency = HTMLText.escape(c.currency)
      // As the text dashboard writes it: rounded to cents, a cost of 0.0225 read 0.02.
      let money = { (v: Double) in TextDashboard.money(v) + " " + currency }
      h.add("<p class=\"big\">\(money(c.total))</p>\n")
      if c.unpriced > 0 {
        h.add("<p class=\"note\">\(count(c.unpriced)) billable message")
        h.add(c.unpriced == 1 ? " has" : "s have")
        h.add(" no rate in the rate card and ")
        h.add(c.unpriced == 1 ? "is" : "are")
        h.add(" not in the total.</p>\n")
      }
      // A template's cost with unpriced messages is its priced part only: said in its cell.
      let unpricedOf = Snapshot.byKey(c.unpricedByTemplate ?? [])
      for (what, entries) in [
        ("category", c.byCategory), ("country", c.byCountry), ("template", c.byTemplate),
      ] where !entries.isEmpty {
        let sorted = TextDashboard.sorted(entries)
        h.add("<div class=\"tw\"><table><thead><tr><th>by \(what)</th>")
        h.headerCells(["cost", "share"])
        h.add("</tr></thead><tbody>\n")
        for e in sorted.prefix(10) {
          h.add("<tr><th scope=\"row\" class=\"id\">\(h.text(e.key))</th>")
          let unpriced = what == "template" ? unpricedOf[e.key, default: 0] : 0
          h.cell(money(e.value) + (unpriced > 0 ? " + \(count(unpriced)) unpriced" : ""))
          h.cell(share(e.value, c.total))
          h.add("</tr>\n")
        }
        if sorted.count > 10 {
          let sum = sorted.dropFirst(10).reduce(0) { $0 + $1.value }
          h.add("<tr class=\"rest\"><th scope=\"row\">\(sorted.count - 10) more</th>")
          h.cell(money(sum))
          h.cell(share(sum, c.total))
          h.add("</tr>\n")
        }
        h.add("</tbody></table></div>\n")
      }
    } else if let p = s.pricing, !p.byCategory.isEmpty {
      h.add("<div class=\"tw\"><table><thead><tr><th>category</th>")
      h.headerCells(["billable", "free"])
      h.add("</tr></thead><tbody>\n")
      for c in p.byCategory {
        h.add("<tr><th scope=\"row\" class=\"id\">\(h.text(c.name))</th>")
        h.cell(count(c.billable))
        h.cell(count(c.free))
        h.add("</tr>\n")
      }
      h.add("</tbody></table></div>\n")
    }
    h.add("</section>\n")
  }

  // MARK: Messages and input

  func details(_ s: Snapshot, _ h: inout HTMLWriter) {
    let m = s.messages
    h.section("messages", "Messages and input", wide: true)
    h.add("<dl class=\"flow\">\n")
    item(
      "sent \(count(m.sent))",
      [
        "by agents \(count(m.sentByAgent))", "automated \(count(m.sentAutomated))",
        "from templates \(count(m.sentTemplate))", "failed \(count(m.failed))",
      ], &h)
    item("status events", ["delivered \(count(m.delivered))", "read \(count(m.read))"], &h)
    item("received by type", entries(m.receivedByContentType, h), &h)
    item("sent by type", entries(m.sentByContentType, h), &h)
    item(
      "failed by error code",
      entries(m.failedByCode.map { Snapshot.Entry(MetaErrorCodes.label($0.key), $0.value) }, h),
      &h)
    item("\(count(s.contacts.created)) contacts created", entries(s.contacts.bySource, h), &h)
    if let id = s.byIdentity {
      item(
        "\(count(s.uniqueUsers)) users",
        ["first seen by phone \(count(id.phone))", "by BSUID \(count(id.bsuid))"], &h)
    }
    let i = s.input
    var accounting = [
      "\(count(i.events)) events", "\(count(i.blank)) blank", "\(count(i.rejected)) rejected",
      "\(count(i.duplicates)) duplicates", "\(count(i.late)) late", "\(count(i.evicted)) evicted",
    ]
    if let f = i.foreign { accounting.append("\(count(f)) foreign") }
    if let b = i.batches {
      accounting.append("\(count(b)) batches of \(count(i.batchItems ?? 0)) items")
    }
    if let o = i.outOfRange { accounting.append("\(count(o)) out of range") }
    item("\(count(i.lines)) input lines", accounting, &h)
    h.add("</dl>\n</section>\n")
  }

  private func item(_ label: String, _ items: [String], _ h: inout HTMLWriter) {
    h.add("<dt>\(label)</dt><dd>\(items.isEmpty ? "none" : items.joined(separator: " · "))</dd>\n")
  }

  /// The eight largest entries, escaped, then the others summed.
  private func entries(_ entries: [Snapshot.Entry], _ h: HTMLWriter) -> [String] {
    let sorted = TextDashboard.sorted(entries)
    var items = sorted.prefix(8).map { "\(h.text($0.key)) \(count($0.value))" }
    let rest = sorted.dropFirst(8)
    if !rest.isEmpty {
      items.append("\(rest.count) more \(count(rest.reduce(0) { $0 + $1.value }))")
    }
    return items
  }
}
