/// One table of the report as CSV, for spreadsheets (`wa-report --format csv --table NAME`).
///
/// Format (RFC 4180): UTF-8, records ended by CRLF (the RFC's line break; every spreadsheet
/// and Python's `csv` module read it), a header row, a field quoted with `"` when it holds
/// a comma, a quote, CR or LF (quotes doubled inside). Columns are fixed per table and
/// always all present, in the order of `columns`; a value the record does not have (a
/// version 2 member of a version 1 snapshot, a `null`) is an empty field. Numbers are
/// plain: no thousands separator, `.` as decimal point, integers without a fraction, rates
/// as ratios (0.7326, not 73.3%), durations in seconds or minutes as the column names say.
///
/// Formula injection (OWASP "CSV injection"): a field that comes from input text (an agent
/// id, a template or campaign name, a chat id…) and starts with `=`, `+`, `-`, `@`, a tab
/// or a CR is prefixed with `'`, so a spreadsheet shows it as text instead of running it.
/// Numbers are never prefixed (a negative number stays a number).
struct CSVTable {
  enum Name: String, CaseIterable, Sendable {
    case agents, countries, templates, campaigns, windows, conversations
  }

  let name: Name

  /// The header of each table, in order (the docs list them; a test keeps the two in step).
  static func columns(_ name: Name) -> [String] {
    switch name {
    case .agents:
      return [
        "agent", "messages_sent", "chats_resolved", "avg_duration_minutes", "avg_message_count",
        "responses", "response_mean_seconds", "response_p50_seconds", "response_p90_seconds",
        "response_p99_seconds", "response_max_seconds", "response_business_p50_seconds",
        "assignment_response_p50_seconds", "sla_first_response_met", "sla_first_response_missed",
        "sla_first_response_pending", "sla_resolution_met", "sla_resolution_missed",
        "sla_resolution_pending",
      ]
    case .countries:
      return ["country", "name", "received", "sent", "contacts", "users", "billable"]
    case .templates:
      return Self.funnelColumns("template")
    case .campaigns:
      return ["campaign", "name", "template", "audience"] + Self.funnelColumns("").dropFirst()
    case .windows:
      return [
        "start", "end", "size", "tz", "complete", "revision", "received", "sent", "delivered",
        "read", "replied", "failed", "delivery_rate", "read_rate", "reply_rate",
        "first_response_p50_seconds", "response_p50_seconds", "chats_resolved", "users",
        "contacts", "events", "duplicates",
      ]
    case .conversations:
      return [
        "chat", "resolved_at", "agent", "resolution", "first_inbound_at",
        "first_response_seconds", "first_response_business_seconds", "message_count",
        "observed_message_count", "duration_minutes", "observed_duration_minutes", "handling",
        "sla_first_response", "sla_resolution",
      ]
    }
  }

  private static func funnelColumns(_ first: String) -> [String] {
    [
      first, "sent", "delivered", "read", "replied", "failed", "clicked", "delivery_rate",
      "read_rate", "reply_rate",
    ]
  }

  /// A field of a row: text from the input (guarded and quoted) or a number.
  enum Field {
    case text(String?)
    case number(Double?)
    case flag(Bool?)
  }

  func render(_ state: ReportState) -> String {
    var out =
      Self.columns(name).map { Self.encode(.text($0), guardFormula: false) }
      .joined(separator: ",") + "\r\n"
    for row in rows(state) {
      out += row.map { Self.encode($0, guardFormula: true) }.joined(separator: ",") + "\r\n"
    }
    return out
  }

  private func rows(_ state: ReportState) -> [[Field]] {
    let s = state.current
    switch name {
    case .agents:
      return s.agents.map { a in
        let r = a.responseTime
        let fr = a.sla?.firstResponse
        let res = a.sla?.resolution
        return [
          .text(a.id), .number(a.messagesSent), .number(a.chatsResolved),
          .number(a.avgDurationMinutes), .number(a.avgMessageCount), .number(r.count),
          .number(r.mean), .number(r.p50), .number(r.p90), .number(r.p99), .number(r.max),
          .number(r.business?.p50), .number(a.assignmentResponseTime?.p50), .number(fr?.met),
          .number(fr?.missed), .number(fr?.pending), .number(res?.met), .number(res?.missed),
          .number(res?.pending),
        ]
      }
    case .countries:
      return s.countries.map { c in
        [
          .text(c.code), .text(TextDashboard.countryLabel(c.code)), .number(c.received),
          .number(c.sent), .number(c.contacts), .number(c.users), .number(c.billable),
        ]
      }
    case .templates:
      return (s.templates ?? []).map { [.text($0.id)] + Self.funnel($0) }
    case .campaigns:
      return (s.campaigns ?? []).map { c in
        [.text(c.id), .text(c.name), .text(c.templateId), .number(c.audience)]
          + Self.funnel(c.funnel)
      }
    case .windows:
      return state.windows.windows.map { w in
        let info = w.window ?? Snapshot.Window()
        return [
          .text(info.start), .text(info.end), .text(info.size), .text(info.tz),
          .flag(info.complete), .number(info.revision), .number(w.messages.received),
          .number(w.messages.sent), .number(w.funnel.delivered), .number(w.funnel.read),
          .number(w.funnel.replied), .number(w.funnel.failed), .number(w.rates.delivery),
          .number(w.rates.read), .number(w.rates.reply), .number(w.firstResponseTime?.p50),
          .number(w.responseTime.p50), .number(w.conversations.resolved),
          .number(w.uniqueUsers), .number(w.contacts.created), .number(w.input.events),
          .number(w.input.duplicates),
        ]
      }
    case .conversations:
      return state.conversations.map { c in
        [
          .text(c.chatId), .text(c.resolvedAt), .text(c.agentId), .text(c.resolution),
          .text(c.firstInboundAt), .number(c.firstResponseSeconds),
          .number(c.firstResponseBusinessSeconds), .number(c.messageCount),
          .number(c.observedMessageCount), .number(c.durationMinutes),
          .number(c.observedDurationMinutes), .text(c.handling), .text(c.slaFirstResponse),
          .text(c.slaResolution),
        ]
      }
    }
  }

  private static func funnel(_ t: Snapshot.Template) -> [Field] {
    [
      .number(t.sent), .number(t.delivered), .number(t.read), .number(t.replied),
      .number(t.failed), .number(t.clicked), .number(t.rates.delivery), .number(t.rates.read),
      .number(t.rates.reply),
    ]
  }

  /// One field as RFC 4180 writes it.
  static func encode(_ field: Field, guardFormula: Bool) -> String {
    switch field {
    case .number(let v): return v.map(number) ?? ""
    case .flag(let v): return v.map { $0 ? "true" : "false" } ?? ""
    case .text(nil): return ""
    case .text(let text?):
      // A label with no visible character is written as the dashboards show it (`\u200B`):
      // a spreadsheet shows such a field as empty, and an empty field means "no value".
      var t = ReportText.unblank(text)
      if guardFormula, let first = t.unicodeScalars.first,
        ["=", "+", "-", "@", "\t", "\r"].contains(first), !isUTCOffset(t)
      {
        t = "'" + t
      }
      guard
        t.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" })
      else { return t }
      var quoted = "\""
      for c in t.unicodeScalars {
        if c == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(c) }
      }
      return quoted + "\""
    }
  }

  /// `-05:00`: a window's zone written as an offset, which no spreadsheet reads as a formula
  /// (at most as a time), so it keeps its sign without the guard's `'`.
  static func isUTCOffset(_ t: String) -> Bool {
    let u = Array(t.utf8)
    guard u.count == 6, u[0] == UInt8(ascii: "+") || u[0] == UInt8(ascii: "-"),
      u[3] == UInt8(ascii: ":")
    else { return false }
    return [1, 2, 4, 5].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(u[$0]) }
  }

  /// `12`, `0.7326`, `1.5e+20`: integers without a fraction, other numbers as Swift's
  /// shortest exact text (which reads back to the same `Double`).
  static func number(_ v: Double) -> String {
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    return String(v)
  }
}
