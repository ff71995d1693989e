/// The service-desk block (snapshot version 2): first response per conversation, business
/// time, buckets, waiting users, SLAs, handling and observed conversations.
extension TextDashboard {
  func serviceDesk(_ s: Snapshot, _ c: inout Canvas) {
    guard let d = s.desk else { return }
    c.heading("Service desk", note: "\(count(d.started)) conversations with an inbound message")
    var head = c.row()
    head.put("  ")
    head.left("clock", 22, .label, ellipsis: c.glyphs.ellipsis)
    for label in ["answered", "mean", "median", "p90", "p99", "max"] {
      head.right(label, label == "answered" ? 10 : 11, .label)
    }
    c.add(head)
    let names = [
      "responseTime": "each response",
      "agentResponseTime": "each agent response",
      "firstResponseTime": "first response",
      "agentFirstResponseTime": "first agent response",
      "assignmentResponseTime": "from assignment",
    ]
    for clock in d.clocks {
      let label = names[clock.name] ?? clock.name
      latencyRow(label, clock.latency, &c)
      if let b = clock.business { latencyRow("  in business hours", b, &c) }
    }
    var bucketHead = c.row()
    bucketHead.put("  ")
    bucketHead.left("answered within", 22, .label, ellipsis: c.glyphs.ellipsis)
    for key in d.clocks.first?.buckets.map(\.key) ?? [] {
      bucketHead.right(style.ascii ? key.replacing("≤", with: "<=") : key, 10, .label)
    }
    c.add(bucketHead)
    for clock in d.clocks where clock.latency.count > 0 {
      var r = c.row()
      r.put("  ")
      r.left(names[clock.name] ?? clock.name, 22, ellipsis: c.glyphs.ellipsis)
      for b in clock.buckets { r.right(count(b.value), 10) }
      c.add(r)
    }
    flow(
      "waiting now",
      [
        "\(count(d.waitingNow)) users", "\(count(d.waitingOverWindow)) over the reply window",
      ], &c)
    for sla in d.sla {
      let name = sla.name == "firstResponse" ? "SLA first response" : "SLA resolution"
      flow(
        name + " " + (ReportNumbers.duration(seconds: sla.target) ?? ""),
        [
          "met \(count(sla.met))", "missed \(count(sla.missed))",
          "pending \(count(sla.pending))",
          "rate \(orDash(ReportNumbers.percent(sla.rate), c))",
        ], &c)
    }
    let handlingNames = [
      "botOnly": "bot only", "handedOff": "handed off", "agentOnly": "agent only",
      "noReply": "no reply", "assignments": "assignments", "reassigned": "reassigned",
    ]
    flow(
      "handling", d.handling.map { "\(handlingNames[$0.key] ?? $0.key) \(count($0.value))" }, &c)
    let minutes = d.observedDuration
    flow(
      "observed",
      [
        "duration median "
          + orDash(ReportNumbers.duration(seconds: minutes.p50.map { $0 * 60 }), c),
        "messages median " + orDash(d.observedMessages.p50.map(Self.amount), c),
        "disagree with producer \(count(d.disagree))",
      ], &c)
    agentSLA(s, &c)
  }

  private func latencyRow(_ label: String, _ l: Snapshot.Latency, _ c: inout Canvas) {
    var r = c.row()
    r.put("  ")
    r.left(label, 22, ellipsis: c.glyphs.ellipsis)
    r.right(count(l.count), 10)
    for v in [l.mean, l.p50, l.p90, l.p99, l.max] {
      r.right(orDash(ReportNumbers.duration(seconds: v), c), 11)
    }
    c.add(r)
  }

  /// Per-agent SLA counts and business-time medians, when there are targets.
  private func agentSLA(_ s: Snapshot, _ c: inout Canvas) {
    let list = s.agents.filter { !($0.desk?.sla.isEmpty ?? true) }.sorted { $0.id < $1.id }
    guard let first = list.first?.desk else { return }
    var head = c.row()
    head.put("  ")
    head.left("SLA by agent", 22, .label, ellipsis: c.glyphs.ellipsis)
    for sla in first.sla {
      let short = sla.name == "firstResponse" ? "first" : "resol."
      for part in ["met", "missed", "pending"] { head.right("\(short) \(part)", 13, .label) }
    }
    c.add(head)
    for agent in list.prefix(topAgents) {
      var r = c.row()
      r.put("  ")
      r.left(safe(agent.id), 22, ellipsis: c.glyphs.ellipsis)
      for sla in agent.desk?.sla ?? [] {
        for v in [sla.met, sla.missed, sla.pending] { r.right(count(v), 13) }
      }
      c.add(r)
    }
  }
}
