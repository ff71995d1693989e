/// The trend and the "against the window before" table (SPEC §6, from window records).
extension TextDashboard {
  /// Windows shown in the trend: the latest ones (a terminal has no room for a year of hours).
  static let trendRows = 14

  /// The dashboard of the latest record, and, when the stream carries window records, the
  /// trend and the comparison after the headline numbers.
  func render(_ state: ReportState) -> String {
    guard !state.windows.isEmpty else { return render(state.current) }
    return render(state.current) { c in
      trend(state.windows, &c)
      comparison(state.windows, &c)
    }
  }

  /// Per window, oldest first: received (with a bar), sent, read rate, median first response.
  func trend(_ windows: ReportWindows, _ c: inout Canvas) {
    let series = windows.series
    let shown = series.suffix(Self.trendRows)
    let w = shown.last?.window
    var note = w.map { "per \($0.size) window, \(safe($0.tz))" } ?? ""
    if series.count > shown.count {
      note += c.glyphs.separator + "latest \(shown.count) of \(count(Double(series.count)))"
    }
    c.heading("Trend", note: note)
    let barColumns = 26
    var head = c.row()
    head.put("  ")
    head.left("window start (UTC)", 19, .label, ellipsis: c.glyphs.ellipsis)
    head.right("received", 10, .label)
    head.put(" ")
    head.pad(to: head.width + barColumns + 1)
    head.right("sent", 8, .label)
    head.right("read rate", 11, .label)
    head.right("1st response", 14, .label)
    c.add(head)
    let most = shown.map { $0.messages.received }.max() ?? 0
    for s in shown {
      guard let window = s.window else { continue }
      var r = c.row()
      r.put("  ")
      r.left(Self.shortTime(safe(window.start)), 19, ellipsis: c.glyphs.ellipsis)
      r.right(count(s.messages.received), 10)
      r.put(" ")
      r.left(
        c.bar(s.messages.received, of: most, columns: barColumns), barColumns + 1, .received,
        ellipsis: "")
      r.right(count(s.messages.sent), 8)
      r.right(orDash(ReportNumbers.percent(s.rates.read), c), 11)
      r.right(orDash(ReportNumbers.duration(seconds: WindowComparison.firstResponse(s)), c), 14)
      if !window.complete { r.put("  open", .label) }
      c.add(r)
    }
  }

  /// The latest complete window against the one before: value, previous, change.
  func comparison(_ windows: ReportWindows, _ c: inout Canvas) {
    guard let cmp = windows.comparison, let w = cmp.current.window else { return }
    let before = cmp.previous?.window.map { Self.shortTime(safe($0.start)) } ?? "none"
    c.heading(
      "Latest complete window", note: "\(Self.shortTime(safe(w.start))) against \(before)")
    var head = c.row()
    head.put("  ")
    head.left("", 18, ellipsis: "")
    for (label, width) in [("latest", 14), ("before", 14), ("change", 14), ("relative", 14)] {
      head.right(label, width, .label)
    }
    c.add(head)
    for m in cmp.metrics {
      var r = c.row()
      r.put("  ")
      r.left(m.name, 18, ellipsis: c.glyphs.ellipsis)
      r.right(orDash(value(m.current, m.kind), c), 14, .value)
      r.right(orDash(value(m.previous, m.kind), c), 14)
      // A change of zero is signed `±`, which `--ascii` writes `+/-`: it promises ASCII only.
      let plusMinus = c.glyphs.plusMinus
      let signed = { (text: String?) in
        text.map { $0.hasPrefix("±") ? plusMinus + $0.dropFirst() : $0 }
      }
      r.right(orDash(signed(change(m)), c), 14)
      r.right(orDash(signed(m.kind == .rate ? nil : m.changeText), c), 14)
      c.add(r)
    }
  }

  private func value(_ v: Double?, _ kind: WindowComparison.Kind) -> String? {
    guard let v else { return nil }
    switch kind {
    case .count: return count(v)
    case .rate: return ReportNumbers.percent(v)
    case .duration: return ReportNumbers.duration(seconds: v)
    }
  }

  /// The absolute change: a signed count, points for a rate, a signed duration.
  private func change(_ m: WindowComparison.Metric) -> String? {
    guard let a = m.absolute else { return nil }
    switch m.kind {
    case .count: return (a > 0 ? "+" : a < 0 ? "-" : "±") + count(abs(a))
    case .rate: return m.changeText
    case .duration:
      return (a > 0 ? "+" : a < 0 ? "-" : "±") + (ReportNumbers.duration(seconds: abs(a)) ?? "")
    }
  }

  /// `2026-11-01T21:00:00.000Z` → `2026-11-01 21:00Z`: a time shortened to the minute, its
  /// zone kept (`Z`, or an offset such as `+05:45`), so that no time on the dashboard or the
  /// page leaves its reader to guess between UTC and the run's `--tz`. The text and the page
  /// name windows with this one function.
  static func shortTime(_ t: String) -> String {
    guard t.count >= 16 else { return t }
    let chars = Array(t)
    var zone = ""
    if chars.last == "Z" {
      zone = "Z"
    } else if chars.count >= 22, chars[chars.count - 3] == ":",
      chars[chars.count - 6] == "+" || chars[chars.count - 6] == "-"
    {
      zone = String(chars.suffix(6))
    }
    return String(chars[0..<10]) + " " + String(chars[11..<16]) + zone
  }
}
