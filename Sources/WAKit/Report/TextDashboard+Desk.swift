/// The service-desk block (snapshot version 2): first response per conversation, business
/// time, buckets, waiting users, SLAs, handling and observed conversations. Absent from a
/// version 1 snapshot.
extension TextDashboard {
  /// The response clocks a version 2 snapshot has, with their labels.
  func deskClocks(_ s: Snapshot) -> [(String, Snapshot.Latency)] {
    guard let first = s.firstResponseTime else { return [] }
    var clocks: [(String, Snapshot.Latency)] = [
      ("each response", s.responseTime), ("each agent response", s.agentResponseTime),
      ("first response", first),
    ]
    if let x = s.agentFirstResponseTime { clocks.append(("first agent response", x)) }
    if let x = s.assignmentResponseTime { clocks.append(("from assignment", x)) }
    return clocks
  }

  func serviceDesk(_ s: Snapshot, _ c: inout Canvas) {
    let clocks = deskClocks(s)
    guard !clocks.isEmpty else { return }
    c.heading("Service desk", note: "first response per conversation")
    var head = c.row()
    head.put("  ")
    head.left("clock", 22, .label, ellipsis: c.glyphs.ellipsis)
    head.right("answered", 10, .label)
    for label in ["mean", "median", "p90", "p99", "max"] { head.right(label, 11, .label) }
    c.add(head)
    for (label, l) in clocks {
      latencyRow(label, l, &c)
      if let b = l.business { latencyRow("  in business hours", b, &c) }
    }
    if let keys = clocks.first(where: { !$0.1.buckets.isEmpty })?.1.buckets.map(\.key) {
      var r = c.row()
      r.put("  ")
      r.left("answered within", 22, .label, ellipsis: c.glyphs.ellipsis)
      for key in keys { r.right(style.ascii ? key.replacing("≤", with: "<=") : key, 10, .label) }
      c.add(r)
      for (label, l) in clocks where l.count > 0 && !l.buckets.isEmpty {
        var row = c.row()
        row.put("  ")
        row.left(label, 22, ellipsis: c.glyphs.ellipsis)
        for b in l.buckets { row.right(count(b.value), 10) }
        c.add(row)
      }
    }
    if let w = s.waiting {
      flow(
        "waiting now",
        ["\(count(w.now)) users", "\(count(w.overWindow)) over the reply window"], &c)
    }
    if let sla = s.sla {
      for (name, x) in [("first response", sla.firstResponse), ("resolution", sla.resolution)] {
        guard let x else { continue }
        let target = x.target.flatMap { ReportNumbers.duration(seconds: $0) } ?? ""
        flow(
          "SLA \(name) \(target)",
          [
            "met \(count(x.met))", "missed \(count(x.missed))", "pending \(count(x.pending))",
            "rate \(orDash(ReportNumbers.percent(x.rate), c))",
          ], &c)
      }
    }
    if let h = s.handling {
      flow(
        "handling",
        [
          "bot only \(count(h.botOnly))", "handed off \(count(h.handedOff))",
          "agent only \(count(h.agentOnly))", "no reply \(count(h.noReply))",
          "assignments \(count(h.assignments))", "reassigned \(count(h.reassigned))",
        ], &c)
    }
    let conv = s.conversations
    if let messages = conv.observedMessageCount, let minutes = conv.observedDurationMinutes {
      flow(
        "observed",
        [
          "duration median "
            + orDash(ReportNumbers.duration(seconds: minutes.p50.map { $0 * 60 }), c),
          "messages median " + orDash(messages.p50.map(Self.amount), c),
          "disagree with producer " + count(conv.disagree ?? 0),
        ], &c)
    }
    agentSLA(s, &c)
  }

  /// One row of a latency table: count, then mean, median, p90, p99 and max as durations.
  func latencyRow(_ label: String, _ l: Snapshot.Latency, _ c: inout Canvas) {
    var r = c.row()
    r.put("  ")
    r.left(label, 22, ellipsis: c.glyphs.ellipsis)
    r.right(count(l.count), 10)
    for v in [l.mean, l.p50, l.p90, l.p99, l.max] {
      r.right(orDash(ReportNumbers.duration(seconds: v), c), 11)
    }
    c.add(r)
  }

  /// Per-agent SLA counts, when there are targets.
  private func agentSLA(_ s: Snapshot, _ c: inout Canvas) {
    let list = s.agents.filter { $0.sla != nil }.sorted { $0.id < $1.id }
    guard let first = list.first?.sla else { return }
    let parts: [(String, KeyPath<Snapshot.SLA, Snapshot.Target?>)] = [
      // Short, so that each label leaves a space before the next (12 columns each).
      ("1st", \.firstResponse), ("res", \.resolution),
    ].filter { first[keyPath: $0.1] != nil }
    var head = c.row()
    head.put("  ")
    head.left("SLA by agent", 22, .label, ellipsis: c.glyphs.ellipsis)
    for (short, _) in parts {
      for part in ["met", "missed", "pending"] { head.right("\(short) \(part)", 12, .label) }
    }
    c.add(head)
    for agent in list.prefix(topAgents) {
      var r = c.row()
      r.put("  ")
      r.left(safe(agent.id), 22, ellipsis: c.glyphs.ellipsis)
      for (_, path) in parts {
        let x = agent.sla?[keyPath: path]
        for v in [x?.met, x?.missed, x?.pending] { r.right(count(v ?? 0), 12) }
      }
      c.add(r)
    }
  }
}
