/// The tables: countries, agents, conversations, and the breakdowns under them.
extension TextDashboard {
  // MARK: Countries

  func countries(_ s: Snapshot, _ c: inout Canvas) {
    let sorted = s.countriesByTraffic
    let total = sorted.reduce(0) { $0 + $1.traffic }
    let shown = sorted.prefix(topCountries)
    c.heading(
      "Traffic by country",
      note: sorted.count > shown.count
        ? "top \(shown.count) of \(sorted.count), by messages" : "by messages received + sent")
    guard !sorted.isEmpty else {
      c.add("  no countries yet", .label)
      return
    }
    var head = c.row()
    head.put("  ")
    head.left("country", 28, .label, ellipsis: "")
    head.right("received", 10, .label)
    head.right("sent", 11, .label)
    head.right("contacts", 11, .label)
    head.right("users", 11, .label)
    head.right("share", 9, .label)
    c.add(head)
    var rows = shown.map { (safe($0.code), countryLabel($0.code), $0) }
    let rest = sorted.dropFirst(shown.count)
    if !rest.isEmpty {
      var others = Snapshot.Country(code: "")
      for x in rest {
        others.received += x.received
        others.sent += x.sent
        others.contacts += x.contacts
        others.users += x.users
      }
      rows.append(("", "\(rest.count) other\(rest.count == 1 ? "" : "s")", others))
    }
    for (code, name, x) in rows {
      var r = c.row()
      r.put("  ")
      r.left(code, 3, ellipsis: c.glyphs.ellipsis)
      r.put(" ")
      r.left(name, 24, ellipsis: c.glyphs.ellipsis)
      r.right(count(x.received), 10)
      r.right(count(x.sent), 11)
      r.right(count(x.contacts), 11)
      r.right(count(x.users), 11)
      let share = total > 0 ? x.traffic / total : nil
      r.right(orDash(ReportNumbers.percent(share), c), 9)
      r.put("  ")
      r.put(c.bar(x.traffic, of: total, columns: 14), .received)
      c.add(r)
    }
  }

  /// The country's name (`TextDashboard.countryLabel`), made safe for the terminal.
  func countryLabel(_ code: String) -> String {
    safe(Self.countryLabel(code, names: countryName))
  }

  // MARK: Agents

  func agents(_ s: Snapshot, _ c: inout Canvas) {
    let sorted = s.agentsByChatsResolved
    let shown = sorted.prefix(topAgents)
    let plural = sorted.count == 1 ? "" : "s"
    c.heading("Agent performance", note: "\(sorted.count) agent\(plural), by chats resolved")
    guard !sorted.isEmpty else {
      c.add("  no agents yet", .label)
      return
    }
    var head = c.row()
    head.put("  ")
    head.left("agent", 20, .label, ellipsis: "")
    head.right("chats resolved", 17, .label)
    for (label, w) in [
      ("messages", 10), ("median resp", 13), ("p90 resp", 12), ("avg resolution", 16),
      ("avg msgs", 10),
    ] {
      head.right(label, w, .label)
    }
    c.add(head)
    let most = sorted.first?.chatsResolved ?? 0
    for a in shown {
      var r = c.row()
      r.put("  ")
      r.left(safe(a.id), 20, ellipsis: c.glyphs.ellipsis)
      r.right(count(a.chatsResolved), 6)
      r.put(" ")
      r.left(c.bar(a.chatsResolved, of: most, columns: 10), 10, .sent, ellipsis: "")
      r.right(count(a.messagesSent), 10)
      r.right(orDash(ReportNumbers.duration(seconds: a.responseTime.p50), c), 13)
      r.right(orDash(ReportNumbers.duration(seconds: a.responseTime.p90), c), 12)
      let minutes = a.avgDurationMinutes.map { $0 * 60 }
      r.right(orDash(ReportNumbers.duration(seconds: minutes), c), 16)
      r.right(orDash(ReportNumbers.decimal(a.avgMessageCount), c), 10)
      c.add(r)
    }
    let rest = sorted.dropFirst(shown.count)
    if !rest.isEmpty {
      let chats = rest.reduce(0) { $0 + $1.chatsResolved }
      let messages = rest.reduce(0) { $0 + $1.messagesSent }
      c.add(
        "  \(c.glyphs.ellipsis) \(rest.count) more: \(count(chats)) chats resolved, "
          + "\(count(messages)) messages", .label)
    }
  }

  // MARK: Conversations

  func conversations(_ s: Snapshot, _ c: inout Canvas) {
    let conv = s.conversations
    c.heading("Conversations", note: "\(count(conv.resolved)) resolved")
    var head = c.row()
    head.pad(to: 24)
    for label in ["mean", "median", "p90", "max"] { head.right(label, 11, .label) }
    c.add(head)
    let minutes = conv.durationMinutes
    let rows: [(String, [String?])] = [
      (
        "length (messages)",
        [
          conv.messageCount.mean, conv.messageCount.p50, conv.messageCount.p90,
          conv.messageCount.max,
        ]
        .map { $0.map(Self.amount) }
      ),
      (
        "resolution time",
        [minutes.mean, minutes.p50, minutes.p90, minutes.max].map {
          ReportNumbers.duration(seconds: $0.map { $0 * 60 })
        }
      ),
    ]
    for (label, values) in rows {
      var r = c.row()
      r.put("  ")
      r.left(label, 22, ellipsis: c.glyphs.ellipsis)
      for v in values { r.right(orDash(v, c), 11) }
      c.add(r)
    }
    breakdown(conv.byResolution, total: conv.resolved, &c)
  }

  /// A count that may be a mean: `7`, `9.1`.
  static func amount(_ v: Double) -> String {
    v == v.rounded() ? ReportNumbers.grouped(v) : ReportNumbers.fixed(v, 1)
  }

  /// The largest entries of a map as bars, the rest summed into one line.
  func breakdown(_ entries: [Snapshot.Entry], total: Double, _ c: inout Canvas) {
    let sorted = Self.sorted(entries)
    let shown = sorted.prefix(6)
    let most = sorted.first?.value ?? 0
    for e in shown {
      var r = c.row()
      r.put("  ")
      r.left(safe(e.key), 22, ellipsis: c.glyphs.ellipsis)
      r.right(count(e.value), 8)
      r.right(orDash(ReportNumbers.percent(total > 0 ? e.value / total : nil), c), 9)
      r.put("  ")
      r.put(c.bar(e.value, of: most, columns: 30), .received)
      c.add(r)
    }
    let rest = sorted.dropFirst(shown.count)
    if !rest.isEmpty {
      let sum = rest.reduce(0) { $0 + $1.value }
      c.add("  \(rest.count) more: \(count(sum))", .label)
    }
  }

  static func sorted(_ entries: [Snapshot.Entry]) -> [Snapshot.Entry] {
    entries.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
  }

  // MARK: Breakdowns and accounting

  func details(_ s: Snapshot, _ c: inout Canvas) {
    let m = s.messages
    c.heading("Messages", note: "distinct messages and status events")
    flow(
      "sent \(count(m.sent)):",
      [
        "by agents \(count(m.sentByAgent))", "automated \(count(m.sentAutomated))",
        "from templates \(count(m.sentTemplate))", "failed \(count(m.failed))",
      ], &c)
    flow("status events:", ["delivered \(count(m.delivered))", "read \(count(m.read))"], &c)
    flow("received by type:", items(m.receivedByContentType), &c)
    flow("sent by type:", items(m.sentByContentType), &c)
    flow(
      "failed by error code:",
      items(m.failedByCode.map { Snapshot.Entry(MetaErrorCodes.label($0.key), $0.value) }), &c)
    c.heading("Contacts", note: "contact.created")
    flow("\(count(s.contacts.created)) created:", items(s.contacts.bySource), &c)
    if let id = s.byIdentity {
      c.heading("Users", note: "persons: a number and its BSUID count once")
      flow(
        "\(count(s.uniqueUsers)) unique, first seen",
        ["by phone \(count(id.phone))", "by BSUID \(count(id.bsuid))"], &c)
    }
    let i = s.input
    c.heading("Input", note: "as wa-aggregate accounted for it")
    flow("\(count(i.lines)) lines:", accounting(i), &c)
  }

  /// The input's accounting, with the version 2 counts when the snapshot has them: batch
  /// lines and their elements, foreign lines, events outside `--since`/`--until`.
  func accounting(_ i: Snapshot.Input) -> [String] {
    var items = [
      "\(count(i.events)) events", "\(count(i.blank)) blank", "\(count(i.rejected)) rejected",
      "\(count(i.duplicates)) duplicates", "\(count(i.late)) late", "\(count(i.evicted)) evicted",
    ]
    if let f = i.foreign { items.append("\(count(f)) foreign") }
    if let b = i.batches {
      items.append("\(count(b)) batches of \(count(i.batchItems ?? 0)) items")
    }
    if let o = i.outOfRange { items.append("\(count(o)) out of range") }
    return items
  }

  /// The eight largest entries, then the others summed: a breakdown stays a glance.
  private func items(_ entries: [Snapshot.Entry]) -> [String] {
    let sorted = Self.sorted(entries)
    var items = sorted.prefix(8).map { "\(safe($0.key)) \(count($0.value))" }
    let rest = sorted.dropFirst(8)
    if !rest.isEmpty {
      items.append("\(rest.count) more \(count(rest.reduce(0) { $0 + $1.value }))")
    }
    return items
  }

  /// `label item · item · …`, wrapped under the first item when it does not fit one line.
  func flow(_ label: String, _ items: [String], _ c: inout Canvas) {
    var r = c.row()
    r.put("  ")
    r.put(label, .label)
    let indent = min(r.width + 1, 30)
    guard !items.isEmpty else {
      r.put(" none", .label)
      c.add(r)
      return
    }
    let sep = c.glyphs.separator
    for (n, item) in items.enumerated() {
      let piece = n == 0 ? " " + item : sep + item
      if n > 0 && r.width + DisplayWidth.of(piece) > c.width {
        c.add(r)
        r = c.row()
        r.pad(to: indent)
        r.put(item)
      } else {
        r.put(piece)
      }
    }
    c.add(r)
  }
}
