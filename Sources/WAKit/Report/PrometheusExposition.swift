/// A snapshot in the Prometheus text exposition format, version 0.0.4
/// (`wa-report --format prometheus`, SPEC §6), for node_exporter's textfile collector.
///
/// Names: `wa_` prefix, base units (seconds, ratios), `_total` on counters. Totals that only
/// grow over a run of wa-aggregate are counters (a restart is a counter reset, which
/// Prometheus handles); rates, maxima and distinct-user estimates are gauges. Quantiles are
/// summaries (`{quantile="0.9"}` samples, which are gauges in Prometheus's data model, plus
/// `_sum` and `_count`): promtool rejects a `quantile` label on a plain gauge, and the
/// summary's counters give a mean over any time range. A value the snapshot has as `null`
/// (no data yet) is left out rather than written as 0 or NaN, so `absent()` tells "no data"
/// apart from a real zero; a family with no sample at all is left out whole. Labels are
/// sorted (countries, agents, map keys) so two renderings of the same snapshot are identical.
/// Label values from the input (agents, countries, templates, campaigns, map keys) are
/// escaped by one rule, on a terminal or in a file alike (`Writer.labelValue`).
struct PrometheusExposition {
  func render(_ s: Snapshot) -> String {
    var w = Writer()
    w.one("wa_snapshot_sequence", .gauge, "Sequence number (seq) of the snapshot.", s.seq)
    input(s.input, &w)
    messages(s, &w)
    responseTimes(s, &w)
    volume(s, &w)
    countries(s, &w)
    agents(s, &w)
    conversations(s, &w)
    serviceDesk(s, &w)
    campaignFamilies(s, &w)
    w.one("wa_users_unique", .gauge, "Distinct userId over all events (estimate).", s.uniqueUsers)
    identity(s, &w)
    return w.text
  }

  private func input(_ i: Snapshot.Input, _ w: inout Writer) {
    w.one("wa_input_lines_total", .counter, "Input lines read by wa-aggregate.", i.lines)
    w.one("wa_input_events_total", .counter, "Valid events read by wa-aggregate.", i.events)
    w.one("wa_input_blank_lines_total", .counter, "Blank input lines.", i.blank)
    w.one("wa_input_rejected_lines_total", .counter, "Input lines rejected as invalid.", i.rejected)
    w.one(
      "wa_input_duplicate_events_total", .counter,
      "Events delivered more than once, counted once.", i.duplicates)
    w.one("wa_input_late_events_total", .counter, "Events older than the window.", i.late)
    w.one(
      "wa_input_evicted_entries_total", .counter,
      "Per-message or per-user state evicted past the state horizon or size cap.", i.evicted)
    // Version 2 (present when the snapshot has them): the collector's batches, other
    // sources' lines.
    if let f = i.foreign {
      w.one(
        "wa_input_foreign_lines_total", .counter,
        "Input lines (or batch elements) of other sources, skipped under --foreign skip.", f)
    }
    if let b = i.batches {
      w.one("wa_input_batches_total", .counter, "Input lines that were batch calls.", b)
      w.one(
        "wa_input_batch_items_total", .counter, "Elements of the batch lines, each checked.",
        i.batchItems ?? 0)
    }
  }

  /// Version 2: `users.byIdentity`, persons by the form of identifier they were first seen
  /// under.
  private func identity(_ s: Snapshot, _ w: inout Writer) {
    guard let id = s.byIdentity else { return }
    w.family(
      "wa_users_by_identity", .gauge,
      "Distinct persons by the identifier first seen: phone number or BSUID (estimate).",
      [([("identity", "phone")], id.phone), ([("identity", "bsuid")], id.bsuid)])
  }

  private func messages(_ s: Snapshot, _ w: inout Writer) {
    let m = s.messages
    w.one("wa_messages_received_total", .counter, "Distinct messages received.", m.received)
    w.one("wa_messages_sent_total", .counter, "Distinct messages sent.", m.sent)
    w.one(
      "wa_messages_sent_by_agent_total", .counter,
      "Messages sent by an agent (agentId, not automated).", m.sentByAgent)
    w.one(
      "wa_messages_sent_automated_total", .counter, "Messages sent automatically.",
      m.sentAutomated)
    w.one(
      "wa_messages_sent_template_total", .counter, "Messages sent from a template.",
      m.sentTemplate)
    w.one(
      "wa_messages_delivered_total", .counter, "Distinct message.delivered events.", m.delivered)
    w.one("wa_messages_read_total", .counter, "Distinct message.read events.", m.read)
    w.one("wa_messages_failed_total", .counter, "Distinct message.failed events.", m.failed)
    w.family(
      "wa_messages_failed_by_error_code_total", .counter, "Failed messages by errorCode.",
      sorted(m.failedByCode).map { ([("error_code", $0.key)], $0.value) })
    w.family(
      "wa_messages_by_content_type_total", .counter, "Messages by direction and contentType.",
      sorted(m.receivedByContentType).map {
        ([("direction", "received"), ("content_type", $0.key)], $0.value)
      }
        + sorted(m.sentByContentType).map {
          ([("direction", "sent"), ("content_type", $0.key)], $0.value)
        })
    let f = s.funnel
    w.family(
      "wa_funnel_messages_total", .counter,
      "Sent messages whose highest stage is this one or later (failed: also failed).",
      [
        ("sent", f.sent), ("delivered", f.delivered), ("read", f.read), ("replied", f.replied),
        ("failed", f.failed),
      ].map { ([("stage", $0.0)], $0.1) })
    w.one("wa_delivery_ratio", .gauge, "Delivered over sent (funnel).", s.rates.delivery)
    w.one("wa_read_ratio", .gauge, "Read over sent: the dashboard's read rate.", s.rates.read)
    w.one("wa_reply_ratio", .gauge, "Replied over sent (funnel).", s.rates.reply)
  }

  private func responseTimes(_ s: Snapshot, _ w: inout Writer) {
    latency(
      "wa_first_response", "Time to first response to a user, any reply", s.responseTime,
      labels: [], &w)
    latency(
      "wa_first_agent_response", "Time to first response to a user by an agent",
      s.agentResponseTime, labels: [], &w)
  }

  /// A latency as a summary (quantiles, `_sum`, `_count`) and its maximum as a gauge.
  private func latency(
    _ base: String, _ what: String, _ l: Snapshot.Latency, labels: [(String, String)],
    _ w: inout Writer
  ) {
    w.summary(base + "_seconds", what + " (seconds).", [Self.summary(l, labels)])
    w.family(base + "_max_seconds", .gauge, what + ", maximum (seconds).", [(labels, l.max)])
  }

  /// The summary of a latency: `_sum` is mean × count (zero before the first sample).
  static func summary(_ l: Snapshot.Latency, _ labels: [(String, String)]) -> Writer.Summary {
    Writer.Summary(
      labels: labels, quantiles: [("0.5", l.p50), ("0.9", l.p90), ("0.99", l.p99)],
      sum: sum(l.mean, l.count), count: l.count)
  }

  /// mean × count, to the thousandth: the product's binary noise (`1533732.7999999998`)
  /// would only make the output harder to read.
  static func sum(_ mean: Double?, _ count: Double) -> Double {
    ((mean ?? 0) * count * 1000).rounded() / 1000
  }

  private func volume(_ s: Snapshot, _ w: inout Writer) {
    var hourly: [Writer.Sample] = []
    var daily: [Writer.Sample] = []
    for (direction, hours, grid) in [
      ("received", s.volumeByHour.received, s.heatmap.received),
      ("sent", s.volumeByHour.sent, s.heatmap.sent),
    ] {
      for (h, v) in hours.enumerated() {
        hourly.append(([("direction", direction), ("hour", Self.hourLabel(h))], v))
      }
      for (d, row) in grid.enumerated() {
        for (h, v) in row.enumerated() {
          let labels = [
            ("direction", direction), ("day", Self.days[d]), ("hour", Self.hourLabel(h)),
          ]
          daily.append((labels, v))
        }
      }
    }
    w.family(
      "wa_messages_by_hour_total", .counter, "Messages by direction and hour of day.", hourly)
    w.family(
      "wa_messages_by_day_hour_total", .counter,
      "Messages by direction, day of week and hour (the activity heatmap).", daily)
  }

  static let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

  static func hourLabel(_ h: Int) -> String { h < 10 ? "0\(h)" : "\(h)" }

  private func countries(_ s: Snapshot, _ w: inout Writer) {
    let list = s.countries.sorted { $0.code < $1.code }
    w.family(
      "wa_country_messages_total", .counter, "Messages by country and direction.",
      list.flatMap { c in
        [
          ([("country", c.code), ("direction", "received")], c.received),
          ([("country", c.code), ("direction", "sent")], c.sent),
        ]
      })
    w.family(
      "wa_country_contacts_created_total", .counter, "Contacts created by country.",
      list.map { ([("country", $0.code)], $0.contacts) })
    w.family(
      "wa_country_users", .gauge, "Distinct users by country (estimate).",
      list.map { ([("country", $0.code)], $0.users) })
  }

  private func agents(_ s: Snapshot, _ w: inout Writer) {
    let list = s.agents.sorted { $0.id < $1.id }
    let label = { (a: Snapshot.Agent) in [("agent", a.id)] }
    w.family(
      "wa_agent_messages_sent_total", .counter, "Messages sent by the agent.",
      list.map { (label($0), $0.messagesSent) })
    w.family(
      "wa_agent_chats_resolved_total", .counter, "Chats resolved by the agent.",
      list.map { (label($0), $0.chatsResolved) })
    w.family(
      "wa_agent_resolution_mean_seconds", .gauge, "Mean duration of the agent's resolved chats.",
      list.map { (label($0), $0.avgDurationMinutes.map { $0 * 60 }) })
    w.family(
      "wa_agent_messages_per_chat_mean", .gauge, "Mean messageCount of the agent's resolved chats.",
      list.map { (label($0), $0.avgMessageCount) })
    let what = "Time to first response by the agent"
    w.summary(
      "wa_agent_first_response_seconds", what + " (seconds).",
      list.map { Self.summary($0.responseTime, label($0)) })
    w.family(
      "wa_agent_first_response_max_seconds", .gauge, what + ", maximum (seconds).",
      list.map { (label($0), $0.responseTime.max) })
  }

  private func conversations(_ s: Snapshot, _ w: inout Writer) {
    let c = s.conversations
    w.one("wa_chats_resolved_total", .counter, "Chats resolved (chat.resolved).", c.resolved)
    w.family(
      "wa_chats_resolved_by_resolution_total", .counter, "Chats resolved by resolution.",
      sorted(c.byResolution).map { ([("resolution", $0.key)], $0.value) })
    let m = c.messageCount
    w.summary(
      "wa_conversation_messages", "Messages per resolved chat.",
      [
        Writer.Summary(
          labels: [], quantiles: [("0.5", m.p50), ("0.9", m.p90)],
          sum: Self.sum(m.mean, c.resolved), count: c.resolved)
      ])
    w.one("wa_conversation_messages_max", .gauge, "Messages per resolved chat, maximum.", m.max)
    let d = c.durationMinutes
    let seconds = { (v: Double?) in v.map { $0 * 60 } }
    w.summary(
      "wa_conversation_duration_seconds", "Duration of resolved chats (seconds).",
      [
        Writer.Summary(
          labels: [], quantiles: [("0.5", seconds(d.p50)), ("0.9", seconds(d.p90))],
          sum: Self.sum(seconds(d.mean), c.resolved), count: c.resolved)
      ])
    w.one(
      "wa_conversation_duration_max_seconds", .gauge, "Duration of resolved chats, maximum.",
      seconds(d.max))
    w.one("wa_contacts_created_total", .counter, "Contacts created.", s.contacts.created)
    w.family(
      "wa_contacts_created_by_source_total", .counter, "Contacts created by source.",
      sorted(s.contacts.bySource).map { ([("source", $0.key)], $0.value) })
  }

  // MARK: Service desk (version 2)

  private func serviceDesk(_ s: Snapshot, _ w: inout Writer) {
    guard let first = s.firstResponseTime else { return }
    var clocks: [(String, String, String, Snapshot.Latency, Bool)] = [
      ("responseTime", "wa_response", "Each response to a waiting user", s.responseTime, false),
      (
        "agentResponseTime", "wa_agent_response", "Each agent response to a waiting user",
        s.agentResponseTime, false
      ),
      (
        "firstResponseTime", "wa_conversation_first_response", "First response per conversation",
        first, true
      ),
    ]
    if let x = s.agentFirstResponseTime {
      clocks.append(
        (
          "agentFirstResponseTime", "wa_conversation_first_agent_response",
          "First agent response per conversation", x, true
        ))
    }
    if let x = s.assignmentResponseTime {
      clocks.append(
        (
          "assignmentResponseTime", "wa_assignment_response",
          "From chat.assigned to that agent's first message", x, true
        ))
    }
    var buckets: [Writer.Sample] = []
    for (name, base, what, l, own) in clocks {
      // responseTime and agentResponseTime already have version 1's families.
      if own { latency(base, what, l, labels: [], &w) }
      if let b = l.business {
        latency(base + "_business", what + ", business hours only", b, labels: [], &w)
      }
      for e in l.buckets { buckets.append(([("clock", name), ("within", e.key)], e.value)) }
    }
    w.family(
      "wa_response_bucket_total", .counter,
      "Responses by the first bucket their time fits (≤60s … >86400s).", buckets)
    if let x = s.waiting {
      w.one("wa_waiting_users", .gauge, "Users waiting for a reply now.", x.now)
      w.one(
        "wa_waiting_over_window_users", .gauge, "Users waiting longer than the reply window.",
        x.overWindow)
    }
    if let sla = s.sla { slaFamilies(sla, agents: s.agents, &w) }
    if let h = s.handling {
      w.family(
        "wa_handling_total", .counter, "Resolved conversations by how they were answered.",
        [
          ([("handling", "agentOnly")], h.agentOnly), ([("handling", "botOnly")], h.botOnly),
          ([("handling", "handedOff")], h.handedOff), ([("handling", "noReply")], h.noReply),
        ])
      w.one(
        "wa_assignments_total", .counter, "chat.assigned events of resolved conversations.",
        h.assignments)
      w.one(
        "wa_reassigned_total", .counter, "Resolved conversations assigned more than once.",
        h.reassigned)
    }
    w.one(
      "wa_conversations_disagree_total", .counter,
      "Resolved chats whose producer numbers differ from the observed ones.",
      s.conversations.disagree)
    let agents = s.agents.sorted { $0.id < $1.id }
    let withBusiness = agents.filter { $0.responseTime.business != nil }
    w.summary(
      "wa_agent_first_response_business_seconds",
      "Time to first response by the agent, business hours only (seconds).",
      withBusiness.map { Self.summary($0.responseTime.business!, [("agent", $0.id)]) })
    let withAssignment = agents.filter { $0.assignmentResponseTime != nil }
    w.summary(
      "wa_agent_assignment_response_seconds",
      "From chat.assigned to the agent's first message (seconds).",
      withAssignment.map { Self.summary($0.assignmentResponseTime!, [("agent", $0.id)]) })
  }

  private func slaFamilies(_ sla: Snapshot.SLA, agents: [Snapshot.Agent], _ w: inout Writer) {
    let parts: [(String, KeyPath<Snapshot.SLA, Snapshot.Target?>)] = [
      ("first_response", \.firstResponse), ("resolution", \.resolution),
    ]
    w.family(
      "wa_sla_target_seconds", .gauge, "SLA target (seconds).",
      parts.map { ([("sla", $0.0)], sla[keyPath: $0.1]?.target) })
    var settled: [Writer.Sample] = []
    var pending: [Writer.Sample] = []
    var byAgent: [Writer.Sample] = []
    var pendingByAgent: [Writer.Sample] = []
    for (name, path) in parts {
      guard let x = sla[keyPath: path] else { continue }
      settled.append(([("outcome", "met"), ("sla", name)], x.met))
      settled.append(([("outcome", "missed"), ("sla", name)], x.missed))
      pending.append(([("sla", name)], x.pending))
    }
    for a in agents.sorted(by: { $0.id < $1.id }) {
      for (name, path) in parts {
        guard let x = a.sla?[keyPath: path] else { continue }
        byAgent.append(([("agent", a.id), ("outcome", "met"), ("sla", name)], x.met))
        byAgent.append(([("agent", a.id), ("outcome", "missed"), ("sla", name)], x.missed))
        pendingByAgent.append(([("agent", a.id), ("sla", name)], x.pending))
      }
    }
    w.family("wa_sla_total", .counter, "Conversations that met or missed the SLA.", settled)
    w.family("wa_sla_pending", .gauge, "Conversations whose SLA clock runs within target.", pending)
    w.family(
      "wa_sla_ratio", .gauge, "met / (met + missed).",
      parts.map { ([("sla", $0.0)], sla[keyPath: $0.1]?.rate) })
    w.family("wa_agent_sla_total", .counter, "The agent's conversations by SLA outcome.", byAgent)
    w.family(
      "wa_agent_sla_pending", .gauge, "The agent's conversations whose SLA clock runs.",
      pendingByAgent)
  }

  func sorted(_ entries: [Snapshot.Entry]) -> [Snapshot.Entry] {
    entries.sorted { $0.key < $1.key }
  }
}
