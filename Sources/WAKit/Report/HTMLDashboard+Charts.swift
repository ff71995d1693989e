/// The SVG charts: volume by hour, the day × hour heatmap, response-time buckets, the trend.
///
/// Every chart is a `<figure>` holding an `<svg role="img">` with a `<title>` and a `<desc>`
/// that says in words what the chart shows, and a `<details>` table of its numbers. The
/// view boxes are about as wide as a phone (360 units), so labels stay readable when the
/// chart is scaled down; on a desktop a chart is at most 560 px wide.
extension HTMLDashboard {
  static let hourNames = (0..<24).map { $0 < 10 ? "0\($0):00" : "\($0):00" }

  // MARK: Volume by hour

  func volumeByHour(_ s: Snapshot, _ h: inout HTMLWriter) {
    let received = s.volumeByHour.received
    let sent = s.volumeByHour.sent
    let top = max(received.max() ?? 0, sent.max() ?? 0)
    h.section("volume", "Message volume by hour")
    let totals = (0..<24).map { received[$0] + sent[$0] }
    var summary = "No messages yet."
    if let most = totals.max(), most > 0, let busiest = totals.firstIndex(of: most),
      let least = totals.min(), let quietest = totals.firstIndex(of: least)
    {
      summary =
        "Busiest hour \(Self.hourNames[busiest]) (\(count(received[busiest])) received, "
        + "\(count(sent[busiest])) sent); quietest \(Self.hourNames[quietest]) "
        + "(\(count(received[quietest])) received, \(count(sent[quietest])) sent)."
    }
    h.add("<figure>\n")
    h.add("<svg class=\"chart\" viewBox=\"0 0 360 176\" role=\"img\" aria-labelledby=\"vt vd\">")
    h.add("<title id=\"vt\">Messages received and sent by hour of day</title>")
    h.add("<desc id=\"vd\">\(summary)</desc>\n")
    let (left, right, base, height) = (34.0, 356.0, 146.0, 132.0)
    let step = (right - left) / 24
    h.add("<path class=\"grid\" d=\"M\(n(left)) \(n(base - height))H\(n(right))")
    h.add("M\(n(left)) \(n(base - height / 2))H\(n(right))\"/>")
    h.add("<path class=\"axis\" d=\"M\(n(left)) \(n(base))H\(n(right))\"/>")
    if top > 0 {
      h.add(
        "<text class=\"yl\" x=\"\(n(left - 3))\" y=\"\(n(base - height + 4))\">"
          + ReportNumbers.axis(top) + "</text>"
      )
      h.add("<text class=\"yl\" x=\"\(n(left - 3))\" y=\"\(n(base - height / 2 + 4))\">")
      h.add(ReportNumbers.axis(top / 2) + "</text>")
    }
    h.add("<text class=\"yl\" x=\"\(n(left - 3))\" y=\"\(n(base + 4))\">0</text>\n")
    let barWidth = step * 0.4
    for hour in 0..<24 {
      let x = left + Double(hour) * step + step * 0.1
      for (value, tone, dx) in [(received[hour], "received", 0.0), (sent[hour], "sent", barWidth)]
      where value > 0 {
        let height = max(0.5, ReportNumbers.share(value, of: top) * height)
        h.add("<rect class=\"\(tone)\" x=\"\(n(x + dx))\" y=\"\(n(base - height))\" ")
        h.add("width=\"\(n(barWidth))\" height=\"\(n(height))\"/>")
      }
      if hour % 3 == 0 {
        h.add("<text class=\"xl\" x=\"\(n(x + barWidth))\" y=\"\(n(base + 14))\">")
        h.add(hour < 10 ? "0\(hour)" : "\(hour)")
        h.add("</text>")
      }
    }
    h.add(
      "\n<text class=\"xl\" x=\"\(n((left + right) / 2))\" y=\"\(n(base + 28))\">hour of day</text>"
    )
    h.add("</svg>\n")
    legend([("received", "received"), ("sent", "sent")], &h)
    h.add("<figcaption>\(summary)</figcaption>\n</figure>\n")
    h.add("<details><summary>Table: messages by hour</summary><table><thead><tr><th>hour</th>")
    h.headerCells(["received", "sent"])
    h.add("</tr></thead><tbody>\n")
    for hour in 0..<24 {
      h.add("<tr><th scope=\"row\">\(Self.hourNames[hour])</th>")
      h.cell(count(received[hour]))
      h.cell(count(sent[hour]))
      h.add("</tr>\n")
    }
    h.add("</tbody></table></details>\n</section>\n")
  }

  /// A number for an SVG attribute: one decimal at most.
  func n(_ v: Double) -> String {
    let text = ReportNumbers.fixed(v, 1)
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
  }

  func legend(_ items: [(String, String)], _ h: inout HTMLWriter) {
    h.add("<p class=\"legend\">")
    for (tone, label) in items {
      h.add("<span><i class=\"\(tone)\"></i>\(label)</span> ")
    }
    h.add("</p>\n")
  }

  // MARK: Heatmap

  func heatmap(_ s: Snapshot, _ h: inout HTMLWriter) {
    let grid = (0..<7).map { d in (0..<24).map { s.heatmap.received[d][$0] + s.heatmap.sent[d][$0] }
    }
    let top = grid.map { $0.max() ?? 0 }.max() ?? 0
    let dayTotals = grid.map { $0.reduce(0, +) }
    h.section("heatmap", "Activity heatmap")
    var summary = "No activity yet."
    if top > 0, let day = grid.firstIndex(where: { $0.max() == top }),
      let hour = grid[day].firstIndex(of: top), let most = dayTotals.max(),
      let busiestDay = dayTotals.firstIndex(of: most)
    {
      summary =
        "Busiest hour: \(TextDashboard.dayNames[day]) \(Self.hourNames[hour]) with "
        + "\(count(top)) messages; busiest day \(TextDashboard.dayNames[busiestDay]) "
        + "(\(count(most)))."
    }
    h.add("<p class=\"note\">Day × hour, messages received + sent; the stronger the colour, ")
    h.add("the busier.</p>\n")
    h.add("<figure>\n")
    h.add("<svg class=\"chart\" viewBox=\"0 0 360 128\" role=\"img\" aria-labelledby=\"ht hd\">")
    h.add("<title id=\"ht\">Messages by day of week and hour of day</title>")
    h.add("<desc id=\"hd\">\(summary)</desc>\n")
    let (left, cell) = (30.0, 13.75)
    for (day, cells) in grid.enumerated() {
      let y = 2 + Double(day) * 15
      h.add("<text class=\"yl\" x=\"\(n(left - 4))\" y=\"\(n(y + 10.5))\">")
      h.add(TextDashboard.dayNames[day] + "</text>")
      for (hour, v) in cells.enumerated() {
        let level = Self.heatLevel(v, top)
        h.add("<rect class=\"q\(level)\" x=\"\(n(left + Double(hour) * cell))\" y=\"\(n(y))\" ")
        h.add("width=\"\(n(cell - 1.5))\" height=\"13.5\"><title>")
        h.add("\(TextDashboard.dayNames[day]) \(Self.hourNames[hour]): \(count(v))</title></rect>")
      }
      h.add("\n")
    }
    for hour in stride(from: 0, to: 24, by: 3) {
      h.add("<text class=\"xl\" x=\"\(n(left + Double(hour) * cell + cell / 2))\" y=\"122\">")
      h.add((hour < 10 ? "0\(hour)" : "\(hour)") + "</text>")
    }
    h.add("</svg>\n<p class=\"legend\">")
    for level in 0...Self.heatLevels {
      h.add("<span><i class=\"q\(level)\"></i>")
      h.add(
        level == 0
          ? "none" : ReportNumbers.grouped(Double(level) / Double(Self.heatLevels) * 100) + "%")
      h.add("</span> ")
    }
    h.add("of the busiest hour (\(count(top)))</p>\n")
    h.add("<figcaption>\(summary)</figcaption>\n</figure>\n")
    h.add("<details><summary>Table: messages by day and hour</summary><div class=\"tw\">")
    h.add("<table class=\"tiny\"><thead><tr><th>hour</th>")
    for d in TextDashboard.dayNames { h.add("<th class=\"n\">\(d)</th>") }
    h.add("</tr></thead><tbody>\n")
    // Eight columns of `1,234,567` (a large sender's day totals) were 510 px wide on a
    // 375 px screen, and six characters (`48,999`) still 8 px too wide: from 10,000 a count
    // is `compact` (`49.0k`, `2.6M`: five characters at most), with the exact count in the
    // cell's title.
    func tableCell(_ v: Double) {
      guard v >= 9_999.5 else { return h.cell(count(v)) }
      h.add("<td class=\"n\" title=\"\(count(v))\">\(ReportNumbers.compact(v))</td>")
    }
    for hour in 0..<24 {
      h.add("<tr><th scope=\"row\">\(Self.hourNames[hour])</th>")
      for day in 0..<7 { tableCell(grid[day][hour]) }
      h.add("</tr>\n")
    }
    h.add("<tr><th scope=\"row\">total</th>")
    for day in 0..<7 { tableCell(dayTotals[day]) }
    h.add("</tr>\n</tbody></table></div></details>\n</section>\n")
  }

  static let heatLevels = 6

  /// 0 for no activity; else 1–6 by sixth of the busiest cell.
  static func heatLevel(_ value: Double, _ top: Double) -> Int {
    guard value > 0, top > 0 else { return 0 }
    let level = (ReportNumbers.share(value, of: top) * Double(heatLevels)).rounded(.up)
    return min(heatLevels, max(1, Int(level)))
  }

  // MARK: Response-time buckets

  /// The buckets of one distribution as columns, with its business-hours buckets beside
  /// them when the record has them.
  func bucketChart(_ title: String, _ l: Snapshot.Latency, _ h: inout HTMLWriter) {
    guard !l.buckets.isEmpty else { return }
    let business = l.business?.buckets ?? []
    let top = (l.buckets + business).map(\.value).max() ?? 0
    let total = l.buckets.reduce(0) { $0 + $1.value }
    var summary = "\(title): \(count(total)) answered; "
    summary += l.buckets.map { "\(Self.bucketLabel($0.key)) \(share($0.value, total))" }
      .joined(separator: ", ")
    summary += "."
    h.add("<figure>\n")
    h.add("<svg class=\"chart\" viewBox=\"0 0 360 150\" role=\"img\" aria-labelledby=\"bt bd\">")
    h.add("<title id=\"bt\">\(h.text(title)) by time bucket</title>")
    h.add("<desc id=\"bd\">\(h.text(summary))</desc>\n")
    let (left, right, base, height) = (8.0, 352.0, 116.0, 100.0)
    let step = (right - left) / Double(l.buckets.count)
    h.add("<path class=\"axis\" d=\"M\(n(left)) \(n(base))H\(n(right))\"/>")
    for (i, b) in l.buckets.enumerated() {
      let x = left + Double(i) * step
      let pairs =
        business.isEmpty
        ? [(b.value, "received")]
        : [
          (b.value, "received"),
          (
            i < business.count ? business[i].value : 0, "sent"
          ),
        ]
      let w = step * 0.8 / Double(pairs.count)
      for (j, (v, tone)) in pairs.enumerated() where v > 0 && top > 0 {
        let bh = max(0.5, ReportNumbers.share(v, of: top) * height)
        h.add("<rect class=\"\(tone)\" x=\"\(n(x + step * 0.1 + Double(j) * w))\" ")
        h.add("y=\"\(n(base - bh))\" width=\"\(n(w))\" height=\"\(n(bh))\"/>")
      }
      h.add("<text class=\"xl\" x=\"\(n(x + step / 2))\" y=\"\(n(base + 13))\">")
      h.add(h.text(Self.bucketLabel(b.key)) + "</text>")
      h.add("<text class=\"xl\" x=\"\(n(x + step / 2))\" y=\"\(n(base + 26))\">")
      h.add(share(b.value, total) + "</text>")
    }
    h.add("</svg>\n")
    if !business.isEmpty { legend([("received", "all hours"), ("sent", "business hours")], &h) }
    h.add("<figcaption>\(h.text(summary))</figcaption>\n</figure>\n")
  }

  /// `≤300s` reads `≤5m`, `>86400s` reads `>1d`: bucket bounds in the units people use.
  static func bucketLabel(_ key: String) -> String {
    let prefix = key.prefix(while: { !$0.isNumber })
    guard key.hasSuffix("s"), let seconds = Int(key.dropFirst(prefix.count).dropLast()) else {
      return key
    }
    let unit =
      seconds % 86400 == 0
      ? "\(seconds / 86400)d"
      : seconds % 3600 == 0
        ? "\(seconds / 3600)h" : seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds)s"
    return prefix + unit
  }

  // MARK: Trend over windows

  func trend(_ windows: ReportWindows, _ h: inout HTMLWriter) {
    guard !windows.isEmpty else { return }
    let series = windows.series
    let shown = Array(series.suffix(trendWindows))
    h.section("trend", "Trend over windows", wide: true)
    let size = shown.last?.window?.size ?? ""
    h.add("<p class=\"note\">\(count(Double(shown.count))) window")
    h.add(shown.count == 1 ? "" : "s")
    h.add(" of \(h.text(size)), the highest revision of each")
    if series.count > shown.count || windows.dropped > 0 {
      h.add(
        " (the latest \(count(Double(shown.count))) of \(count(Double(series.count + windows.dropped))))"
      )
    }
    h.add("; a window still open is marked ◦.</p>\n<div class=\"pair\">\n")
    let received = shown.map(\.messages.received)
    let sent = shown.map(\.messages.sent)
    lineChart(
      id: "tv", title: "Messages received and sent per window",
      series: [("received", received), ("sent", sent)], percent: false, shown, &h)
    lineChart(
      id: "tr", title: "Read rate and reply rate per window",
      series: [("read", shown.map { $0.rates.read }), ("replied", shown.map { $0.rates.reply })],
      percent: true, shown, &h)
    h.add("</div>\n<div class=\"tw\"><table><thead><tr><th>window start</th>")
    h.headerCells(
      ["received", "sent", "read rate", "reply rate", "first response", "resolved"],
      optionalFrom: [3, 5])
    h.add("</tr></thead><tbody>\n")
    for w in shown.reversed() {
      let complete = w.window?.complete == true
      h.add("<tr><th scope=\"row\">\(h.text(Self.windowLabel(w)))\(complete ? "" : " ◦")</th>")
      h.cell(count(w.messages.received))
      h.cell(count(w.messages.sent))
      h.cell(percent(w.rates.read))
      h.cell(percent(w.rates.reply), optional: true)
      h.cell(duration(WindowComparison.firstResponse(w)))
      h.cell(count(w.conversations.resolved), optional: true)
      h.add("</tr>\n")
    }
    h.add("</tbody></table></div>\n</section>\n")
  }

  /// `2026-11-16 00:00Z`: a window's start as written (UTC), shortened as the text
  /// dashboard shortens it.
  static func windowLabel(_ w: Snapshot) -> String {
    TextDashboard.shortTime(w.window?.start ?? "")
  }

  private func lineChart(
    id: String, title: String, series: [(String, [Double?])], percent: Bool,
    _ windows: [Snapshot], _ h: inout HTMLWriter
  ) {
    let values = series.flatMap { $0.1.compactMap { $0 } }
    let top = percent ? 1 : max(values.max() ?? 0, 1)
    let (left, right, base, height) = (40.0, 352.0, 120.0, 108.0)
    let step = windows.count > 1 ? (right - left) / Double(windows.count - 1) : 0
    var summary = title + ": "
    summary += series.map { name, v in
      let known = v.compactMap { $0 }
      guard let first = known.first, let last = known.last else { return "\(name) no data" }
      let f = percent ? self.percent(first) : count(first)
      let l = percent ? self.percent(last) : count(last)
      return "\(name) from \(f) to \(l)"
    }.joined(separator: "; ")
    summary += "."
    h.add("<figure>\n<svg class=\"chart\" viewBox=\"0 0 360 150\" role=\"img\" ")
    h.add("aria-labelledby=\"\(id)t \(id)d\"><title id=\"\(id)t\">\(title)</title>")
    h.add("<desc id=\"\(id)d\">\(summary)</desc>\n")
    h.add("<path class=\"grid\" d=\"M\(n(left)) \(n(base - height))H\(n(right))")
    h.add("M\(n(left)) \(n(base - height / 2))H\(n(right))\"/>")
    h.add("<path class=\"axis\" d=\"M\(n(left)) \(n(base))H\(n(right))\"/>")
    let topLabel = percent ? "100%" : ReportNumbers.axis(top)
    let midLabel = percent ? "50%" : ReportNumbers.axis(top / 2)
    h.add(
      "<text class=\"yl\" x=\"\(n(left - 3))\" y=\"\(n(base - height + 4))\">\(topLabel)</text>")
    h.add(
      "<text class=\"yl\" x=\"\(n(left - 3))\" y=\"\(n(base - height / 2 + 4))\">\(midLabel)</text>"
    )
    h.add("<text class=\"yl\" x=\"\(n(left - 3))\" y=\"\(n(base + 4))\">0</text>\n")
    for (tone, v) in series {
      var d = ""
      var pen = "M"
      for (i, value) in v.enumerated() {
        guard let value else {
          pen = "M"
          continue
        }
        d += "\(pen)\(n(left + Double(i) * step)) \(n(base - value / top * height))"
        pen = "L"
      }
      if !d.isEmpty { h.add("<path class=\"line \(tone)\" d=\"\(d)\"/>") }
      if v.count <= 31 {
        for (i, value) in v.enumerated() {
          guard let value else { continue }
          h.add("<circle class=\"\(tone)\" cx=\"\(n(left + Double(i) * step))\" ")
          h.add("cy=\"\(n(base - value / top * height))\" r=\"2.2\"/>")
        }
      }
    }
    // Each end named as the table names its window, time and `Z` included: the UTC date
    // alone named the day before for a day in a zone east of UTC (Asia/Kathmandu's
    // 2 November starts 1 November 18:15Z), and the same date at both ends for hours.
    if let first = windows.first, let last = windows.last {
      h.add("\n<text x=\"\(n(left))\" y=\"\(n(base + 16))\" class=\"xl s\">")
      h.add(h.text(Self.windowLabel(first)) + "</text>")
      if windows.count > 1 {
        h.add("<text class=\"xl e\" x=\"\(n(right))\" y=\"\(n(base + 16))\">")
        h.add(h.text(Self.windowLabel(last)) + "</text>")
      }
    }
    h.add("</svg>\n")
    legend(
      series.map { ($0.0, $0.0 == "read" ? "read rate" : $0.0 == "replied" ? "reply rate" : $0.0) },
      &h)
    h.add("<figcaption>\(h.text(summary))</figcaption>\n</figure>\n")
  }
}
