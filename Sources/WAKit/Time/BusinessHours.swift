/// Why `--business-hours` or `--holidays` could not be used; the text says what is wrong
/// and how to write it.
struct BusinessHoursError: Error, Equatable {
  let message: String
  init(_ message: String) { self.message = message }
}

/// Opening hours (`--business-hours "Mon-Fri 09:00-17:00; Sat 10:00-14:00"`) and closed days
/// (`--holidays`), in a zone: how much open time lies between two instants.
///
/// The open set is every instant whose local civil time (in the zone, daylight saving
/// included) falls in an interval of its weekday, on a day that is not a holiday. So at a
/// spring-forward the skipped local hour is never open and at a fall-back a repeated open
/// hour counts twice: what a clock on the office wall shows.
///
/// `openNanos(from:to:)` splits the span where the zone's offset changes; within a piece of
/// constant offset it walks local days (a day costs a few comparisons) and jumps over whole
/// weeks (week total minus the holidays in them), so its cost grows with the number of
/// offset changes and days at the ends, never with the length in minutes.
struct BusinessHours: Sendable {
  /// Time here is in nanoseconds since the epoch, as the aggregator keeps it.
  static let nanosPerSecond: Int64 = 1_000_000_000
  static let dayNanos: Int64 = 86_400 * nanosPerSecond

  /// Per weekday (0 = Monday), sorted disjoint `[start, end)` in seconds of the local day.
  let intervals: [[(start: Int32, end: Int32)]]
  /// Open seconds per weekday, and per week.
  let dayTotal: [Int64]
  let weekTotal: Int64
  /// Closed local days (day numbers since 1970-01-01), sorted, no repeats.
  let holidays: [Int64]
  let zone: ZoneRule

  init(intervals: [[(start: Int32, end: Int32)]], holidays: [Int64], zone: ZoneRule) {
    self.intervals = intervals
    dayTotal = intervals.map { day in day.reduce(0) { $0 + Int64($1.end - $1.start) } }
    weekTotal = dayTotal.reduce(0, +)
    self.holidays = Array(Set(holidays)).sorted()
    self.zone = zone
  }

  /// Canonical text of the hours and holidays (for state files' options fingerprint): the
  /// open intervals of each weekday, then the holidays' count and a hash of their days.
  var canonical: String {
    var parts: [String] = []
    for (d, day) in intervals.enumerated() where !day.isEmpty {
      parts.append(
        Self.dayNames[d] + " "
          + day.map { Self.clock($0.start) + "-" + Self.clock($0.end) }
          .joined(separator: ","))
    }
    // FNV-1a over the day numbers: Time/ may not use Metrics/' hash.
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for day in holidays {
      for i in 0..<8 {
        h = (h ^ UInt64(truncatingIfNeeded: day >> (8 * Int64(i)))) &* 0x100_0000_01b3
      }
    }
    return parts.joined(separator: "; ") + "; holidays \(holidays.count) "
      + String(h, radix: 16)
  }

  // MARK: Parsing

  static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
  static let howTo =
    "write days Mon…Sun (or a range such as Mon-Fri), a space, then intervals HH:MM-HH:MM "
    + "separated by ','; separate groups with ';', e.g. \"Mon-Fri 09:00-12:00,13:00-17:00; "
    + "Sat 10:00-14:00\""

  /// Parses `--business-hours`. Groups are separated by `;`; each is days (`Mon`, `Mon-Fri`,
  /// `Sat-Mon`, or a list `Mon,Wed`), spaces, then intervals `HH:MM-HH:MM` separated by `,`.
  /// An interval ends after it starts (`24:00` may end one); intervals of one day must not
  /// overlap (touching is fine).
  static func parse(_ spec: String, holidays: [Int64] = [], zone: ZoneRule)
    throws(BusinessHoursError) -> BusinessHours
  {
    var days = [[(start: Int32, end: Int32)]](repeating: [], count: 7)
    var any = false
    for rawGroup in spec.split(separator: ";", omittingEmptySubsequences: false) {
      let group = rawGroup.trimmingSpaces
      if group.isEmpty { continue }
      guard let space = group.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
        throw BusinessHoursError(
          "--business-hours: '\(group)' has no opening times; \(howTo)")
      }
      let weekdays = try parseDays(String(group[..<space]))
      let times = group[space...].trimmingSpaces
      for item in times.split(separator: ",", omittingEmptySubsequences: false) {
        let interval = try parseInterval(item.trimmingSpaces)
        for d in weekdays { days[d].append(interval) }
        any = true
      }
    }
    guard any else {
      throw BusinessHoursError("--business-hours: no opening times given; \(howTo)")
    }
    for d in 0..<7 {
      days[d].sort { $0.start < $1.start }
      var merged: [(start: Int32, end: Int32)] = []
      for i in days[d] {
        if let last = merged.last, i.start < last.end {
          throw BusinessHoursError(
            "--business-hours: on \(dayNames[d].capitalized3) \(clock(last.start))-"
              + "\(clock(last.end)) and \(clock(i.start))-\(clock(i.end)) overlap; give "
              + "each day's intervals once, without overlap")
        }
        if let last = merged.last, i.start == last.end {
          merged[merged.count - 1].end = i.end  // touching: one interval
        } else {
          merged.append(i)
        }
      }
      days[d] = merged
    }
    return BusinessHours(intervals: days, holidays: holidays, zone: zone)
  }

  private static func parseDays(_ text: String) throws(BusinessHoursError) -> [Int] {
    var result: [Int] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let ends = part.split(separator: "-", omittingEmptySubsequences: false)
      guard ends.count == 1 || ends.count == 2 else {
        throw BusinessHoursError("--business-hours: '\(part)' is not a day or range; \(howTo)")
      }
      var indices: [Int] = []
      for e in ends {
        guard let i = dayNames.firstIndex(of: e.lowercased()) else {
          throw BusinessHoursError(
            "--business-hours: unknown day '\(e)' (days are Mon, Tue, Wed, Thu, Fri, Sat, "
              + "Sun); \(howTo)")
        }
        indices.append(i)
      }
      var d = indices[0]
      let last = indices[indices.count - 1]
      // A range may wrap past Sunday (Sat-Mon).
      while true {
        if !result.contains(d) { result.append(d) }
        if d == last { break }
        d = (d + 1) % 7
      }
    }
    return result
  }

  private static func parseInterval(_ text: Substring) throws(BusinessHoursError) -> (
    start: Int32, end: Int32
  ) {
    let ends = text.split(separator: "-", omittingEmptySubsequences: false)
    guard ends.count == 2 else {
      throw BusinessHoursError(
        "--business-hours: '\(text)' is not an interval HH:MM-HH:MM; \(howTo)")
    }
    let start = try parseClock(ends[0].trimmingSpaces, allow24: false)
    let end = try parseClock(ends[1].trimmingSpaces, allow24: true)
    guard start < end else {
      throw BusinessHoursError(
        "--business-hours: interval '\(text)' ends before it starts; an interval cannot "
          + "cross midnight: split it, e.g. \"Mon-Fri 17:00-24:00; Tue-Sat 00:00-09:00\"")
    }
    return (start, end)
  }

  private static func parseClock(_ text: Substring, allow24: Bool) throws(BusinessHoursError)
    -> Int32
  {
    let b = Array(text.utf8)
    func two(_ i: Int) -> Int32? {
      guard b[i] &- 0x30 < 10, b[i + 1] &- 0x30 < 10 else { return nil }
      return Int32(b[i] - 0x30) * 10 + Int32(b[i + 1] - 0x30)
    }
    guard b.count == 5, b[2] == 0x3A, let h = two(0), let m = two(3) else {
      throw BusinessHoursError(
        "--business-hours: '\(text)' is not a time; write HH:MM (00:00 to 24:00)")
    }
    guard m < 60, h < 24 || (allow24 && h == 24 && m == 0) else {
      throw BusinessHoursError(
        "--business-hours: '\(text)' is not a time of day; hours run 00–23 and minutes 00–59 "
          + "(24:00 may end an interval)")
    }
    return h * 3600 + m * 60
  }

  static func clock(_ s: Int32) -> String {
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return two(s / 3600) + ":" + two(s / 60 % 60)
  }

  /// Parses a holidays file: one `YYYY-MM-DD` a line; `#` starts a comment; blank lines are
  /// skipped. `name` labels errors, which name the line.
  static func parseHolidays(_ bytes: [UInt8], name: String) throws(BusinessHoursError) -> [Int64] {
    var days: [Int64] = []
    var lineNumber = 0
    let body = LineReader.withoutByteOrderMark(bytes)  // an editor's "UTF-8 with BOM"
    for rawLine in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
      lineNumber += 1
      var line = rawLine[...]
      if let hash = line.firstIndex(of: 0x23) { line = line[..<hash] }
      while let f = line.first, f == 0x20 || f == 0x09 || f == 0x0D { line = line.dropFirst() }
      while let l = line.last, l == 0x20 || l == 0x09 || l == 0x0D { line = line.dropLast() }
      if line.isEmpty { continue }
      guard let day = parseDate(Array(line)) else {
        let shown = String(decoding: line.prefix(40), as: UTF8.self)
        throw BusinessHoursError(
          "--holidays: \(name):\(lineNumber): '\(shown)' is not a date; write one date a "
            + "line as YYYY-MM-DD, e.g. 2026-12-25 ('#' starts a comment)")
      }
      days.append(day)
    }
    return days
  }

  /// `YYYY-MM-DD` → day number, nil unless a real date.
  static func parseDate(_ b: [UInt8]) -> Int64? {
    guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
    var v = [Int](repeating: 0, count: 3)
    for (k, range) in [0..<4, 5..<7, 8..<10].enumerated() {
      for i in range {
        guard b[i] &- 0x30 < 10 else { return nil }
        v[k] = v[k] * 10 + Int(b[i] - 0x30)
      }
    }
    guard v[1] >= 1, v[1] <= 12, v[2] >= 1,
      v[2] <= CivilCalendar.daysInMonth(year: Int64(v[0]), month: v[1])
    else { return nil }
    return CivilCalendar.daysFromCivil(year: Int64(v[0]), month: v[1], day: v[2])
  }

  /// Reads a holidays file (at most 1 MiB).
  static func loadHolidays(path: String) throws(BusinessHoursError) -> [Int64] {
    let bytes: [UInt8]
    do throws(IOError) {
      bytes = try FileDescriptor.readFile(path, limit: 1 << 20)
    } catch {
      switch error {
      case .tooLarge: throw BusinessHoursError("--holidays: '\(path)' is over 1 MiB")
      case .openFailed: throw BusinessHoursError("--holidays: \(error.message)")
      default: throw BusinessHoursError("--holidays: cannot read '\(path)': \(error.message)")
      }
    }
    return try parseHolidays(bytes, name: path)
  }

  // MARK: Arithmetic

  /// Open time in `[a, b)` (epoch nanoseconds), in nanoseconds; 0 when `b <= a`.
  func openNanos(from a: Int64, to b: Int64) -> Int64 {
    guard b > a else { return 0 }
    let ns = Self.nanosPerSecond
    var total: Int64 = 0
    var s = a
    while s < b {
      let second = CivilCalendar.floorDiv(s, ns)
      let offset = Int64(zone.offset(atEpochSeconds: second)) * ns
      let limit = CivilCalendar.floorDiv(b - 1, ns) + 1
      var e = b
      if let change = zone.nextChange(after: second, before: limit) {
        e = Swift.min(b, change * ns)
      }
      total += localOpen(s + offset, e + offset)
      s = e
    }
    return total
  }

  /// Open seconds in `[a, b)`, for the distributions.
  @inline(__always)
  func openSeconds(from a: Int64, to b: Int64) -> Double {
    Double(openNanos(from: a, to: b)) / Double(Self.nanosPerSecond)
  }

  /// Open time between two local readings (nanoseconds since 1970-01-01T00:00 local, one
  /// offset throughout).
  func localOpen(_ l1: Int64, _ l2: Int64) -> Int64 {
    guard l2 > l1 else { return 0 }
    let d1 = CivilCalendar.floorDiv(l1, Self.dayNanos)
    let d2 = CivilCalendar.floorDiv(l2 - 1, Self.dayNanos)
    if d2 - d1 > 15 {
      // Whole weeks in the middle at once: Monday after d1 to the Monday at or before d2.
      let m1 = d1 + 1 + Int64((7 - CivilCalendar.weekday(days: d1 + 1)) % 7)
      let m2 = d2 - Int64(CivilCalendar.weekday(days: d2))
      let weeks = (m2 - m1) / 7
      return localOpen(l1, m1 * Self.dayNanos) + weeks * weekTotal * Self.nanosPerSecond
        - holidayNanos(from: m1, to: m2) + localOpen(m2 * Self.dayNanos, l2)
    }
    var total: Int64 = 0
    var d = d1
    while d <= d2 {
      total += dayOpen(d, l1, l2)
      d += 1
    }
    return total
  }

  /// Open time of local day `d` within `[l1, l2)`.
  @inline(__always)
  private func dayOpen(_ d: Int64, _ l1: Int64, _ l2: Int64) -> Int64 {
    let weekday = CivilCalendar.weekday(days: d)
    if dayTotal[weekday] == 0 || isHoliday(d) { return 0 }
    let base = d * Self.dayNanos
    let ns = Self.nanosPerSecond
    var total: Int64 = 0
    for i in intervals[weekday] {
      let s = Swift.max(base + Int64(i.start) * ns, l1)
      let e = Swift.min(base + Int64(i.end) * ns, l2)
      if e > s { total += e - s }
    }
    return total
  }

  /// Whether local day `d` is a holiday (binary search).
  func isHoliday(_ d: Int64) -> Bool {
    if holidays.isEmpty { return false }
    let i = firstHoliday(atOrAfter: d)
    return i < holidays.count && holidays[i] == d
  }

  private func firstHoliday(atOrAfter d: Int64) -> Int {
    var lo = 0
    var hi = holidays.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if holidays[mid] < d { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  /// Open time the holidays in days `[d1, d2)` would have had.
  private func holidayNanos(from d1: Int64, to d2: Int64) -> Int64 {
    var total: Int64 = 0
    var i = firstHoliday(atOrAfter: d1)
    while i < holidays.count && holidays[i] < d2 {
      total += dayTotal[CivilCalendar.weekday(days: holidays[i])]
      i += 1
    }
    return total * Self.nanosPerSecond
  }
}

extension ZoneRule {
  /// The first instant (epoch seconds) in `(t, limit)` at which the offset differs from the
  /// one at `t`; nil when none. Exact from the transition table; past it (after 2100, or a
  /// zone whose rule is evaluated directly) found by probing every 6 hours and halving, which
  /// assumes no two changes within 6 hours, as no zone has.
  func nextChange(after t: Int64, before limit: Int64) -> Int64? {
    guard let table, limit > t + 1 else { return nil }
    if t < table.footerFrom {
      let times = table.times
      var lo = 0
      var hi = times.count
      while lo < hi {
        let mid = (lo + hi) / 2
        if times[mid] <= t { lo = mid + 1 } else { hi = mid }
      }
      if lo < times.count && times[lo] < table.footerFrom {
        return times[lo] < limit ? times[lo] : nil
      }
      if table.footerFrom >= limit || table.footer == nil { return nil }
    }
    let start = Swift.max(t, table.footerFrom == .min ? t : table.footerFrom - 1)
    let o = table.offset(at: t)
    var x = start
    while x < limit - 1 {
      let y = Swift.min(x + 6 * 3600, limit - 1)
      if table.offset(at: y) != o {
        var lo = x  // offset(lo) == o
        var hi = y  // offset(hi) != o
        while hi - lo > 1 {
          let mid = lo + (hi - lo) / 2
          if table.offset(at: mid) == o { lo = mid } else { hi = mid }
        }
        return hi
      }
      x = y
    }
    return nil
  }
}

extension StringProtocol {
  fileprivate var trimmingSpaces: Substring {
    var s = self[...]
    while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
    return Substring(s)
  }
}

extension String {
  fileprivate var capitalized3: String { prefix(1).uppercased() + dropFirst() }
}
