/// The sections of version 2 (SPEC §5), and the window and conversation records.
///
/// Each section is optional: a version 1 snapshot has none, and a version 2 producer writes
/// only those its flags ask for (no `sla` without `--sla`, no `cost` without a rate card).
/// A section that is present is held to its shape: a count missing inside it is an error,
/// never a made-up zero.
extension SnapshotDecoder {
  func version2(_ root: Cursor, _ users: Cursor, _ s: inout Snapshot) throws(SnapshotError) {
    s.firstResponseTime = try optionalLatency(root, "firstResponseTime")
    s.agentFirstResponseTime = try optionalLatency(root, "agentFirstResponseTime")
    s.assignmentResponseTime = try optionalLatency(root, "assignmentResponseTime")
    if let w = try optionalObject(root, "waiting") {
      s.waiting = Snapshot.Waiting(now: try count(w, "now"), overWindow: try count(w, "overWindow"))
    }
    if let c = try optionalObject(root, "sla") { s.sla = try sla(c) }
    if let h = try optionalObject(root, "handling") {
      s.handling = Snapshot.Handling(
        botOnly: try count(h, "botOnly"), handedOff: try count(h, "handedOff"),
        agentOnly: try count(h, "agentOnly"), noReply: try count(h, "noReply"),
        assignments: try optionalCount(h, "assignments") ?? 0,
        reassigned: try optionalCount(h, "reassigned") ?? 0)
    }
    if let t = try optionalObject(root, "templates") {
      var templates: [Snapshot.Template] = []
      for (key, value) in tape.members(t.node) {
        let id = tape.string(key) ?? ""
        templates.append(try template(try objectValue(Cursor(node: value, path: t.child(id))), id))
      }
      s.templates = templates
    }
    if let c = try optionalObject(root, "campaigns") {
      var campaigns: [Snapshot.Campaign] = []
      for (key, value) in tape.members(c.node) {
        let id = tape.string(key) ?? ""
        let item = try objectValue(Cursor(node: value, path: c.child(id)))
        var campaign = Snapshot.Campaign(id: id)
        campaign.funnel = try template(item, id)
        campaign.name = try maybeString(item, "name")
        campaign.templateId = try maybeString(item, "templateId")
        campaign.audience = try optionalCount(item, "audience")
        campaigns.append(campaign)
      }
      s.campaigns = campaigns
    }
    if let p = try optionalObject(root, "pricing") { s.pricing = try pricing(p) }
    if let c = try optionalObject(root, "cost") {
      var cost = Snapshot.Cost(currency: try string(c, "currency"), total: try count(c, "total"))
      cost.unpriced = try optionalCount(c, "unpriced") ?? 0
      if try optionalObject(c, "unpricedByTemplate") != nil {
        cost.unpricedByTemplate = try entries(c, "unpricedByTemplate")
      }
      if try optionalObject(c, "byCategory") != nil {
        cost.byCategory = try entries(c, "byCategory")
      }
      if try optionalObject(c, "byCountry") != nil { cost.byCountry = try entries(c, "byCountry") }
      if try optionalObject(c, "byTemplate") != nil {
        cost.byTemplate = try entries(c, "byTemplate")
      }
      s.cost = cost
    }
    if let i = try optionalObject(users, "byIdentity") {
      s.byIdentity = Snapshot.Identity(
        phone: try optionalCount(i, "phone") ?? 0, bsuid: try optionalCount(i, "bsuid") ?? 0)
    }
  }

  func window(_ c: Cursor) throws(SnapshotError) -> Snapshot.Window {
    Snapshot.Window(
      size: try string(c, "size"), tz: try maybeString(c, "tz") ?? "",
      start: try string(c, "start"), end: try string(c, "end"),
      complete: try optionalBool(c, "complete") ?? false,
      revision: try optionalCount(c, "revision") ?? 0)
  }

  func sla(_ c: Cursor) throws(SnapshotError) -> Snapshot.SLA {
    func target(_ key: StaticString) throws(SnapshotError) -> Snapshot.Target? {
      guard let t = try optionalObject(c, key) else { return nil }
      return Snapshot.Target(
        target: try optionalNumber(t, "target"), met: try count(t, "met"),
        missed: try count(t, "missed"), pending: try optionalCount(t, "pending") ?? 0,
        rate: try optionalNumber(t, "rate"))
    }
    return Snapshot.SLA(
      firstResponse: try target("firstResponse"), resolution: try target("resolution"))
  }

  private func template(_ c: Cursor, _ id: String) throws(SnapshotError) -> Snapshot.Template {
    var t = Snapshot.Template(id: id)
    t.sent = try count(c, "sent")
    t.delivered = try count(c, "delivered")
    t.read = try count(c, "read")
    t.replied = try count(c, "replied")
    t.failed = try count(c, "failed")
    t.clicked = try optionalCount(c, "clicked")
    if try optionalObject(c, "failedByCode") != nil {
      t.failedByCode = try entries(c, "failedByCode")
    }
    if let r = try optionalObject(c, "rates") { t.rates = try rates(r) }
    return t
  }

  private func pricing(_ c: Cursor) throws(SnapshotError) -> Snapshot.Pricing {
    var p = Snapshot.Pricing(billable: try count(c, "billable"), free: try count(c, "free"))
    if let categories = try optionalObject(c, "byCategory") {
      for (key, value) in tape.members(categories.node) {
        let name = tape.string(key) ?? ""
        let item = try objectValue(Cursor(node: value, path: categories.child(name)))
        p.byCategory.append(
          Snapshot.Pricing.Category(
            name: name, billable: try count(item, "billable"),
            free: try optionalCount(item, "free") ?? 0))
      }
    }
    return p
  }

  func conversation(_ c: Cursor) throws(SnapshotError) -> ConversationRecord {
    var r = ConversationRecord()
    r.chatId = try maybeString(c, "chatId")
    r.resolvedAt = try maybeString(c, "resolvedAt")
    r.agentId = try maybeString(c, "agentId")
    r.resolution = try maybeString(c, "resolution")
    r.firstInboundAt = try maybeString(c, "firstInboundAt")
    r.firstResponseSeconds = try optionalCount(c, "firstResponseSeconds")
    r.firstResponseBusinessSeconds = try optionalCount(c, "firstResponseBusinessSeconds")
    r.messageCount = try optionalCount(c, "messageCount")
    r.observedMessageCount = try optionalCount(c, "observedMessageCount")
    r.durationMinutes = try optionalCount(c, "durationMinutes")
    r.observedDurationMinutes = try optionalCount(c, "observedDurationMinutes")
    r.handling = try maybeString(c, "handling")
    if let sla = try optionalObject(c, "sla") {
      r.slaFirstResponse = try maybeString(sla, "firstResponse")
      r.slaResolution = try maybeString(sla, "resolution")
    }
    return r
  }
}
