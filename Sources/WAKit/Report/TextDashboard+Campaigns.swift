/// The dashboard's version 2 marketing sections (SPEC §5: templates, campaigns, pricing,
/// cost), each shown only when the snapshot has it: the top templates and campaigns by
/// messages sent with their funnels and cost, then pricing and cost by category and country.
extension TextDashboard {
  static let topTemplates = 10

  func campaignSections(_ s: Snapshot, _ c: inout Canvas) {
    if let templates = s.templatesBySent, !templates.isEmpty {
      let costs = Snapshot.byKey(s.cost?.byTemplate ?? [])
      let unpriced = s.cost?.unpricedByTemplate.map(Snapshot.byKey)
      funnelTable(
        "Templates", noun: "template", templates.map { ($0, safe($0.id)) },
        // A template with an unpriced message has no known cost, never its priced part only
        // (docs/campaigns.md): "–". A snapshot without `unpricedByTemplate` cannot tell whose
        // the unpriced messages were: a template with no cost of its own is "–" when some
        // were unpriced, unless it sent nothing.
        cost: s.cost.map { cost in
          { t in
            if let unpriced { return unpriced[t.id, default: 0] > 0 ? nil : costs[t.id] ?? 0 }
            return costs[t.id] ?? (cost.unpriced > 0 && t.sent > 0 ? nil : 0)
          }
        }, &c)
    }
    if let campaigns = s.campaignsBySent, !campaigns.isEmpty {
      // A campaign is shown by its name, but by its id when another campaign has that name
      // too (a campaign sent again under the same name): two rows "Promo Nov" with different
      // numbers told the reader nothing about which was which.
      let names = Dictionary(campaigns.map { ($0.name ?? $0.id, 1) }, uniquingKeysWith: +)
      funnelTable(
        "Campaigns", noun: "campaign",
        campaigns.map { k in
          let name = k.name ?? k.id
          return (k.funnel, safe(names[name, default: 0] > 1 ? k.id : name))
        }, audience: campaigns, &c)
    }
    pricingAndCost(s, &c)
  }

  /// One row per template or campaign, the top `topTemplates` of `rows` (already in the
  /// snapshot's order: by messages sent, then id): the funnel,
  /// clicks, failures, read and reply rates, and the campaign's audience or the template's
  /// cost when known.
  private func funnelTable(
    _ title: String, noun: String, _ rows: [(Snapshot.Template, String)],
    cost: ((Snapshot.Template) -> Double?)? = nil, audience: [Snapshot.Campaign]? = nil,
    _ c: inout Canvas
  ) {
    let sorted = rows  // in the snapshot's shared order (Snapshot+Order)
    let plural = sorted.count == 1 ? "" : "s"
    c.heading(title, note: "\(sorted.count) \(noun)\(plural), by messages sent")
    let audiences = Dictionary(
      (audience ?? []).map { ($0.id, $0.audience ?? 0) }, uniquingKeysWith: +)
    var head = c.row()
    head.put("  ")
    head.left(noun, 24, .label, ellipsis: "")
    if audience != nil { head.right("audience", 9, .label) }
    for (label, w) in [
      ("sent", 8), ("deliv.", 8), ("read", 8), ("replied", 8), ("clicked", 8), ("failed", 7),
      ("read %", 8), ("reply %", 8),
    ] {
      head.right(label, w, .label)
    }
    if cost != nil { head.right("cost", 10, .label) }
    c.add(head)
    for (t, name) in sorted.prefix(Self.topTemplates) {
      var r = c.row()
      r.put("  ")
      r.left(name, 24, ellipsis: c.glyphs.ellipsis)
      if audience != nil { r.right(count(audiences[t.id] ?? 0), 9) }
      for v in [t.sent, t.delivered, t.read, t.replied, t.clicked ?? 0] { r.right(count(v), 8) }
      r.right(count(t.failed), 7)
      r.right(orDash(ReportNumbers.percent(t.rates.read), c), 8)
      r.right(orDash(ReportNumbers.percent(t.rates.reply), c), 8)
      if let cost { r.right(orDash(cost(t).map(Self.money), c), 10) }
      c.add(r)
    }
    let rest = sorted.dropFirst(Self.topTemplates)
    if !rest.isEmpty {
      c.add(
        "  \(c.glyphs.ellipsis) \(rest.count) more: \(count(rest.reduce(0) { $0 + $1.0.sent })) "
          + "sent (all: --format csv --table \(noun)s)", .label)
    }
  }

  private func pricingAndCost(_ s: Snapshot, _ c: inout Canvas) {
    guard s.pricing != nil || s.cost != nil else { return }
    c.heading("Pricing and cost", note: "messages Meta reported a price for, once each")
    if let p = s.pricing {
      flow(
        "\(count(p.billable)) billable, \(count(p.free)) free:",
        p.byCategory.sorted { $0.billable + $0.free > $1.billable + $1.free }.map { k in
          var parts: [String] = []
          if k.billable > 0 || k.free == 0 { parts.append("\(count(k.billable)) billable") }
          if k.free > 0 { parts.append("\(count(k.free)) free") }
          return safe(k.name) + " " + parts.joined(separator: " ")
        }, &c)
    }
    guard let cost = s.cost else { return }
    let unit = safe(cost.currency)
    flow(
      "cost \(Self.money(cost.total)) \(unit):",
      Self.sorted(cost.byCategory).map { "\(safe($0.key)) \(Self.money($0.value))" }
        + ["unpriced \(count(cost.unpriced))"], &c)
    flow(
      "by country:",
      Self.sorted(cost.byCountry).prefix(8).map { "\(safe($0.key)) \(Self.money($0.value))" }, &c)
  }

  /// An amount of money, the same on the page: two decimals (`12.30`, `0.86`); under one
  /// unit, as many more as it has, up to the rate card's millionths (`0.0455`, `0.000123`),
  /// so a cost of a fraction of a cent never reads `0.00`.
  static func money(_ v: Double) -> String {
    guard v != 0 && abs(v) < 1 else { return ReportNumbers.fixed(v, 2) }
    var text = ReportNumbers.fixed(v, 6)
    // Trailing zeros past the second decimal go: `0.860000` is `0.86`.
    while text.hasSuffix("0"), let point = text.firstIndex(of: "."),
      text.distance(from: point, to: text.endIndex) > 3
    {
      text.removeLast()
    }
    return text
  }
}
