/// The version 2 marketing families (SPEC §5: templates, campaigns, pricing, cost): one series
/// per template or campaign and funnel stage, per pricing category, per cost category and
/// country. Label values from the input (`template`, `campaign`, `category`) arrive capped by
/// wa-aggregate (256 bytes) and are written, as every label is, through `input`: a byte such
/// as BEL in a scraped file helps nobody.
extension PrometheusExposition {
  func campaignFamilies(_ s: Snapshot, _ w: inout Writer) {
    if let templates = s.templates {
      funnelFamily(
        "wa_template_messages_total", "Messages sent from the template, by funnel stage.",
        label: "template", templates.map { ($0.id, $0) }, &w)
    }
    if let campaigns = s.campaigns {
      funnelFamily(
        "wa_campaign_messages_total", "Messages of the campaign, by funnel stage.",
        label: "campaign", campaigns.map { ($0.id, $0.funnel) }, &w)
      w.family(
        "wa_campaign_audience", .gauge,
        "Recipients of the campaign (campaign.sent recipientCount).",
        campaigns.sorted { $0.id < $1.id }.map { ([("campaign", $0.id)], $0.audience) })
    }
    if let p = s.pricing {
      let categories = p.byCategory.sorted { $0.name < $1.name }
      w.family(
        "wa_pricing_messages_total", .counter,
        "Messages Meta reported a price for, by category and whether billable.",
        categories.flatMap { k in
          [
            ([("category", k.name), ("billable", "true")], k.billable),
            ([("category", k.name), ("billable", "false")], k.free),
          ]
        })
    }
    if let cost = s.cost {
      let unit = ("currency", cost.currency)
      w.family(
        "wa_cost_total", .counter, "Cost of the billable messages (--rate-card), by category.",
        sorted(cost.byCategory).map { ([unit, ("category", $0.key)], $0.value) })
      w.family(
        "wa_cost_by_country_total", .counter, "Cost of the billable messages, by country.",
        sorted(cost.byCountry).map { ([unit, ("country", $0.key)], $0.value) })
      w.family(
        "wa_cost_by_template_total", .counter, "Cost of the billable messages, by template.",
        sorted(cost.byTemplate).map { ([unit, ("template", $0.key)], $0.value) })
      w.one(
        "wa_cost_unpriced_messages_total", .counter,
        "Billable messages the rate card has no price for.", cost.unpriced)
    }
  }

  private func funnelFamily(
    _ name: String, _ help: String, label: String, _ rows: [(String, Snapshot.Template)],
    _ w: inout Writer
  ) {
    var samples: [Writer.Sample] = []
    for (id, t) in rows.sorted(by: { $0.0 < $1.0 }) {
      let stages: [(String, Double?)] = [
        ("sent", t.sent), ("delivered", t.delivered), ("read", t.read), ("replied", t.replied),
        ("clicked", t.clicked), ("failed", t.failed),
      ]
      for (stage, v) in stages { samples.append(([(label, id), ("stage", stage)], v)) }
    }
    w.family(name, .counter, help, samples)
  }

  /// A label value from the input, its control characters escaped (`\u0007`), for every
  /// label of the exposition (`Writer.labelValue` calls it). A backslash of
  /// the input is doubled first, so that the escaping stays one-to-one: a template named BEL
  /// and one named with the six characters `\u0007` were the same series twice, which a
  /// scrape rejects or drops.
  static func input(_ value: String) -> String {
    guard value.utf8.contains(0x5C) else { return TerminalEscape.escape(value) }
    var doubled = ""
    for c in value.unicodeScalars {
      if c == "\\" { doubled += "\\\\" } else { doubled.unicodeScalars.append(c) }
    }
    return TerminalEscape.escape(doubled)
  }
}
