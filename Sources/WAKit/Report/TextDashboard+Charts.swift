/// The two time charts: volume by hour of day, and the day × hour activity heatmap.
extension TextDashboard {
  static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
  /// Each hour takes three columns in both charts, so their hour labels line up.
  static let hourColumns = 3
  /// The hour labels (`00`, `03`, … `21`) over or under a 72-column chart.
  func hourLabels(indent: Int, _ c: Canvas) -> Row {
    var r = c.row()
    for hour in stride(from: 0, to: 24, by: 3) {
      r.pad(to: indent + hour * Self.hourColumns)
      r.put(hour < 10 ? "0\(hour)" : "\(hour)", .label)
    }
    return r
  }

  /// Received and sent side by side, one pair of columns an hour, eight rows high with
  /// eighth-block resolution (64 levels); both series share one scale.
  func volumeByHour(_ s: Snapshot, _ c: inout Canvas) {
    let received = s.volumeByHour.received
    let sent = s.volumeByHour.sent
    c.heading("Message volume by hour", note: "bars per hour: received (left), sent (right)")
    let top = max(received.max() ?? 0, sent.max() ?? 0)
    let height = 8
    let chartStart = 11
    for level in stride(from: height - 1, through: 0, by: -1) {
      var r = c.row()
      let label: String
      switch level {
      case _ where top == 0: label = ""
      case height - 1: label = ReportNumbers.axis(top)
      case height / 2 - 1: label = ReportNumbers.axis(top / 2)
      default: label = ""
      }
      r.right(label, 9, .label)
      r.put(" ")
      r.put(label.isEmpty ? c.glyphs.axisLine : c.glyphs.axisTick, .label)
      for hour in 0..<24 {
        r.put(cell(received[hour], top, level, height, c), .received)
        r.put(cell(sent[hour], top, level, height, c), .sent)
        r.put(" ")
      }
      c.add(r)
    }
    var axis = c.row()
    axis.right("0", 9, .label)
    axis.put(" ")
    axis.put(c.glyphs.axisCorner, .label)
    axis.put(String(repeating: c.glyphs.axisRule, count: 24 * Self.hourColumns), .label)
    c.add(axis)
    c.add(hourLabels(indent: chartStart, c))
    let totals = (0..<24).map { received[$0] + sent[$0] }
    if let top = totals.max(), top > 0, let busiest = totals.firstIndex(of: top),
      let low = totals.min(), let quietest = totals.firstIndex(of: low)
    {
      let sep = c.glyphs.separator
      var r = c.row()
      r.put("  busiest ", .label)
      r.put(hourText(busiest) + " (\(count(received[busiest])) received, ")
      r.put("\(count(sent[busiest])) sent)" + sep)
      r.put("quietest ", .label)
      r.put(hourText(quietest) + " (\(count(received[quietest])) received, ")
      r.put("\(count(sent[quietest])) sent)")
      c.add(r)
    }
  }

  /// One character of a vertical bar: which eighth of row `level` the value fills.
  private func cell(_ value: Double, _ top: Double, _ level: Int, _ height: Int, _ c: Canvas)
    -> String
  {
    guard top > 0, value > 0 else { return c.glyphs.vertical[0] }
    let eighths = max(1, Int((ReportNumbers.share(value, of: top) * Double(height * 8)).rounded()))
    return c.glyphs.vertical[min(max(eighths - level * 8, 0), 8)]
  }

  func hourText(_ hour: Int) -> String { (hour < 10 ? "0\(hour)" : "\(hour)") + ":00" }

  /// Seven rows (Monday first) of 24 cells; the shade of a cell is its share of the busiest
  /// cell, in quarters. Activity is messages received plus sent.
  func heatmap(_ s: Snapshot, _ c: inout Canvas) {
    let grid = (0..<7).map { d in
      (0..<24).map { h in s.heatmap.received[d][h] + s.heatmap.sent[d][h] }
    }
    let top = grid.map { $0.max() ?? 0 }.max() ?? 0
    c.heading("Activity heatmap", note: "day \(c.glyphs.times) hour, messages received + sent")
    let chartStart = 7
    var labels = hourLabels(indent: chartStart, c)
    labels.pad(to: chartStart + 24 * Self.hourColumns + 2)
    labels.right("total", 9, .label)
    c.add(labels)
    for (day, cells) in grid.enumerated() {
      var r = c.row()
      r.put("  ")
      r.left(Self.dayNames[day], chartStart - 2, .label, ellipsis: "")
      for v in cells {
        let level = Self.heatLevel(v, top)
        r.put(c.glyphs.shades[level], .heat(level))
      }
      r.put("  ")
      r.right(count(cells.reduce(0, +)), 9)
      c.add(r)
    }
    var legend = c.row()
    legend.pad(to: chartStart)
    let shades = c.glyphs.shades
    legend.put(shades[0].filter { $0 != " " }, .heat(0))
    legend.put(" none  ", .label)
    for (level, upTo) in [(1, "25%"), (2, "50%"), (3, "75%"), (4, "100%")] {
      legend.put(shades[level].prefix(1).description, .heat(level))
      legend.put(" \(upTo)  ", .label)
    }
    legend.put("of the busiest hour (\(count(top)))", .label)
    c.add(legend)
  }

  /// 0 for no activity; else 1–4 by quarter of the busiest cell.
  static func heatLevel(_ value: Double, _ top: Double) -> Int {
    guard value > 0, top > 0 else { return 0 }
    return min(4, max(1, Int((ReportNumbers.share(value, of: top) * 4).rounded(.up))))
  }
}
