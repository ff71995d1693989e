/// The terminal dashboard of one snapshot (`wa-report --format text`, SPEC §6).
///
/// Sections in the order of the seed document's dashboard: headline numbers, the funnel,
/// volume by hour, the day × hour heatmap, countries, agents, then the detail a person asks
/// for next (response-time quantiles, conversations, message breakdowns, input accounting).
/// Every line fits `width` columns (100: wider than the classic 80, so the tables breathe,
/// and still half a laptop screen), whatever the snapshot holds; text from the input is
/// escaped on the way in.
struct TextDashboard {
  static let defaultWidth = 100

  var style: TextStyle
  var width: Int
  /// The English name of an ISO 3166-1 alpha-2 code, or nil to show the code alone.
  var countryName: (String) -> String?
  var topCountries = 10
  var topAgents = 12

  init(
    style: TextStyle = TextStyle(), width: Int = TextDashboard.defaultWidth,
    countryName: @escaping (String) -> String? = TextDashboard.isoName
  ) {
    self.style = style
    self.width = width
    self.countryName = countryName
  }

  /// Names from the ISO 3166 table of `Phone/`.
  static func isoName(_ code: String) -> String? {
    RegionCode(code).flatMap { ISO3166.name($0) }
  }

  /// A country's name as every format writes it (text, page, CSV): `unknown region` for `ZZ`
  /// (no region could be found); empty when the name table does not know the code (the code
  /// column shows it).
  static func countryLabel(_ code: String, names: (String) -> String? = isoName) -> String {
    names(code) ?? (code == "ZZ" ? "unknown region" : "")
  }

  /// The dashboard as text, each line ended by `\n`.
  func render(_ s: Snapshot) -> String { render(s) { _ in } }

  /// The dashboard with `extra` sections (the trend) after the headline numbers.
  func render(_ s: Snapshot, extra: (inout Canvas) -> Void) -> String {
    var c = Canvas(width: width, style: style)
    header(s, &c)
    headline(s, &c)
    extra(&c)
    funnel(s, &c)
    volumeByHour(s, &c)
    heatmap(s, &c)
    countries(s, &c)
    agents(s, &c)
    responseTimes(s, &c)
    serviceDesk(s, &c)
    conversations(s, &c)
    campaignSections(s, &c)
    details(s, &c)
    return c.text
  }

  /// Input text for display: escaped, folded to ASCII with `--ascii`.
  func safe(_ text: String) -> String { ReportText.safe(text, ascii: style.ascii) }

  func count(_ v: Double) -> String { ReportNumbers.grouped(v) }

  func orDash(_ text: String?, _ c: Canvas) -> String { text ?? c.glyphs.noData }

  // MARK: Header and headline numbers

  private func header(_ s: Snapshot, _ c: inout Canvas) {
    var r = c.row()
    r.put("WhatsApp Analytics", .title)
    // A window record (a stream of window records only) carries no event times: its header
    // names the window, where it said "snapshot <the window record's seq>" and "events none
    // yet" above the window's numbers.
    let w = s.window
    var meta =
      w.map { "window \(safe($0.size))" + c.glyphs.separator + ($0.complete ? "complete" : "open") }
      ?? "snapshot \(count(s.seq))"
    if s.isFinal { meta += c.glyphs.separator + "final" }
    meta += c.glyphs.separator + "generated " + safe(s.generatedAt)
    r.pad(to: max(r.width + 2, c.width - DisplayWidth.of(meta)))
    r.put(meta, .label)
    c.add(r)
    var events = c.row()
    if let w {
      events.put("window ", .label)
      events.put(safe(w.start) + " " + c.glyphs.arrow + " " + safe(w.end))
      events.put(" " + safe(w.tz), .label)
    } else {
      events.put("events ", .label)
      if let first = s.firstEventTime, let last = s.lastEventTime {
        events.put(safe(first) + " " + c.glyphs.arrow + " " + safe(last))
      } else {
        events.put("none yet", .label)
      }
    }
    c.add(events)
  }

  private func headline(_ s: Snapshot, _ c: inout Canvas) {
    let failedRatio = s.funnel.sent > 0 ? s.funnel.failed / s.funnel.sent : nil
    let frt = s.firstResponseTime ?? s.responseTime
    let cardWidth = (c.width - 4) / 6
    // A note that does not fit its card is written shorter rather than cut: "delivered
    // 100.…" and "contacts 123,4…" hid the very number they were there to show.
    func note(_ label: String, _ full: String?, _ short: String?) -> String {
      let text = label + " " + orDash(full, c)
      guard DisplayWidth.of(text) > cardWidth - 1, let short else { return text }
      return label + " " + short
    }
    func counted(_ label: String, _ value: Double) -> String {
      note(label, count(value), ReportNumbers.compact(value))
    }
    func share(_ label: String, _ ratio: Double?) -> String {
      let whole = ratio.flatMap { $0.isFinite ? ReportNumbers.fixed($0 * 100, 0) + "%" : nil }
      return note(label, ReportNumbers.percent(ratio), whole)
    }
    let cards: [(String, String?, String)] = [
      ("Received", count(s.messages.received), counted("users", s.uniqueUsers)),
      ("Sent", count(s.messages.sent), counted("by agents", s.messages.sentByAgent)),
      ("Read rate", ReportNumbers.percent(s.rates.read), share("delivered", s.rates.delivery)),
      ("Reply rate", ReportNumbers.percent(s.rates.reply), share("failed", failedRatio)),
      // Per conversation when the snapshot has it (the industry's FRT, as the HTML page and
      // the trend show it), else version 1's per waiting user.
      (
        "First response", ReportNumbers.duration(seconds: frt.p50),
        "p90 " + orDash(ReportNumbers.duration(seconds: frt.p90), c)
      ),
      (
        "Chats resolved", count(s.conversations.resolved),
        counted("contacts", s.contacts.created)
      ),
    ]
    c.blank()
    var titles = c.row()
    var values = c.row()
    var notes = c.row()
    let e = c.glyphs.ellipsis
    for (i, card) in cards.enumerated() {
      let column = 2 + i * cardWidth
      titles.pad(to: column)
      titles.left(card.0, cardWidth - 1, .label, ellipsis: e)
      values.pad(to: column)
      values.left(orDash(card.1, c), cardWidth - 1, .value, ellipsis: e)
      notes.pad(to: column)
      notes.left(card.2, cardWidth - 1, .label, ellipsis: e)
    }
    c.add(titles)
    c.add(values)
    c.add(notes)
  }

  // MARK: Funnel

  private func funnel(_ s: Snapshot, _ c: inout Canvas) {
    let f = s.funnel
    let a = c.glyphs.arrow
    c.heading("Message funnel", note: "Sent \(a) Delivered \(a) Read \(a) Replied")
    let barColumns = 50
    var head = c.row()
    head.pad(to: 2 + 11 + barColumns + 1)
    head.right("messages", 10, .label)
    head.right("of sent", 9, .label)
    head.right("of previous", 13, .label)
    c.add(head)
    let stages: [(String, Double, Double?, Tone)] = [
      ("Sent", f.sent, nil, .sent),
      ("Delivered", f.delivered, f.sent, .sent),
      ("Read", f.read, f.delivered, .sent),
      ("Replied", f.replied, f.read, .received),
      ("Failed", f.failed, nil, .failed),
    ]
    for (name, value, previous, tone) in stages {
      var r = c.row()
      r.put("  ")
      r.left(name, 11, ellipsis: c.glyphs.ellipsis)
      r.left(c.bar(value, of: f.sent, columns: barColumns), barColumns + 1, tone, ellipsis: "")
      r.right(count(value), 10)
      r.right(orDash(ReportNumbers.percent(f.sent > 0 ? value / f.sent : nil), c), 9)
      if let previous {
        r.right(orDash(ReportNumbers.percent(previous > 0 ? value / previous : nil), c), 13)
      }
      c.add(r)
    }
  }

  // MARK: Response times

  private func responseTimes(_ s: Snapshot, _ c: inout Canvas) {
    c.heading("Response time", note: "time to first response, per user")
    var head = c.row()
    head.put("  ")
    head.left("clock stopped by", 22, .label, ellipsis: c.glyphs.ellipsis)
    for (label, w) in [("answered", 10), ("mean", 11), ("median", 11), ("p90", 11)] {
      head.right(label, w, .label)
    }
    head.right("p99", 11, .label)
    head.right("max", 11, .label)
    c.add(head)
    for (label, l) in [("any reply", s.responseTime), ("an agent's reply", s.agentResponseTime)] {
      latencyRow(label, l, &c)
    }
  }
}
