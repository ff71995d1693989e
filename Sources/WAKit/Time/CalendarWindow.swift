/// The size of a calendar window (`--window`, SPEC §5 "Windows and date ranges").
enum WindowSize: String, CaseIterable, Sendable {
  case quarterHour = "15m"
  case halfHour = "30m"
  case hour = "1h"
  case day = "1d"
  case week = "1w"
  case month = "1mo"

  /// Seconds of a sub-day window; nil for days, weeks and months, which follow the calendar.
  var fixedSeconds: Int64? {
    switch self {
    case .quarterHour: return 900
    case .halfHour: return 1800
    case .hour: return 3600
    case .day, .week, .month: return nil
    }
  }

  /// The longest a window of this size can last (a 25-hour day, a 31-day month plus an hour).
  var maxSeconds: Int64 {
    switch self {
    case .quarterHour, .halfHour, .hour: return fixedSeconds!
    case .day: return 26 * 3600
    case .week: return 7 * 86_400 + 3600
    case .month: return 31 * 86_400 + 3600
    }
  }
}

/// Calendar alignment in a zone: which window an instant falls in, and when a local date
/// begins. Windows are half-open `[start, end)` in epoch seconds and tile the time line:
/// every instant is in exactly one window of a size.
extension ZoneRule {
  /// The window of `size` containing the instant `t` (epoch seconds).
  ///
  /// Hours (and quarter/half hours) are aligned on the local clock, and cut at an offset
  /// change, so a window never spans two offsets (the windows still tile: a 30-minute shift
  /// splits one hour into two pieces). Days start at local midnight (23 or 25 hours across a
  /// DST change), weeks on Monday, months on the 1st.
  func window(_ size: WindowSize, containing t: Int64) -> (start: Int64, end: Int64) {
    let offset = Int64(self.offset(atEpochSeconds: t))
    let local = t + offset
    if let step = size.fixedSeconds {
      var start = t - (local - CivilCalendar.floorDiv(local, step) * step)
      var end = start + step
      if Int64(self.offset(atEpochSeconds: start)) != offset {
        start = firstInstant(withOffset: offset, after: start, upTo: t)
      }
      if Int64(self.offset(atEpochSeconds: end - 1)) != offset {
        end = firstInstant(withoutOffset: offset, after: t, upTo: end - 1)
      }
      return (start, end)
    }
    let day = CivilCalendar.floorDiv(local, 86_400)
    let first: Int64
    let next: Int64
    switch size {
    case .week:
      first = day - Int64(CivilCalendar.weekday(days: day))
      next = first + 7
    case .month:
      let date = CivilCalendar.civilFromDays(day)
      first = CivilCalendar.daysFromCivil(year: date.year, month: date.month, day: 1)
      next = CivilCalendar.daysFromCivil(
        year: date.month == 12 ? date.year + 1 : date.year, month: date.month % 12 + 1, day: 1)
    default:
      first = day
      next = day + 1
    }
    return (startOfLocalDay(first), startOfLocalDay(next))
  }

  /// The first instant of the local date `day` (days since 1970-01-01): local midnight, or,
  /// when midnight is skipped by a DST change, the first instant after the gap.
  func startOfLocalDay(_ day: Int64) -> Int64 {
    firstInstant(atOrAfterLocal: day * 86_400)
  }

  /// The earliest instant whose local time is `local` or later (epoch seconds).
  ///
  /// Every offset in force within a day of it is tried: `local - o` is an answer when `o` is
  /// the offset at that instant; the earliest such answer wins (a repeated local time takes
  /// its first occurrence). None means `local` falls in a gap (clocks jumped over it): then
  /// the answer is the instant of the jump, found by bisection.
  func firstInstant(atOrAfterLocal local: Int64) -> Int64 {
    var best: Int64? = nil
    var seen: [Int64] = []
    for k in -27...27 {
      let o = Int64(offset(atEpochSeconds: local + Int64(k) * 3600))
      if seen.contains(o) { continue }
      seen.append(o)
      let u = local - o
      if Int64(offset(atEpochSeconds: u)) == o { best = min(best ?? u, u) }
    }
    if let best { return best }
    var lo = local - 27 * 3600  // local time before `local`
    var hi = local + 27 * 3600  // local time after it
    while hi - lo > 1 {
      let mid = lo + (hi - lo) / 2
      if mid + Int64(offset(atEpochSeconds: mid)) >= local { hi = mid } else { lo = mid }
    }
    return hi
  }

  /// The first instant in `(from, to]` where `offset` is in force (it is at `to`).
  private func firstInstant(withOffset offset: Int64, after from: Int64, upTo to: Int64) -> Int64 {
    var lo = from
    var hi = to
    while hi - lo > 1 {
      let mid = lo + (hi - lo) / 2
      if Int64(self.offset(atEpochSeconds: mid)) == offset { hi = mid } else { lo = mid }
    }
    return hi
  }

  /// The first instant in `(from, to]` where `offset` is no longer in force (it is at `from`).
  private func firstInstant(withoutOffset offset: Int64, after from: Int64, upTo to: Int64)
    -> Int64
  {
    var lo = from
    var hi = to
    while hi - lo > 1 {
      let mid = lo + (hi - lo) / 2
      if Int64(self.offset(atEpochSeconds: mid)) != offset { hi = mid } else { lo = mid }
    }
    return hi
  }

  /// False when the zone's data says nothing about this instant: a version 1 (or footerless)
  /// zone file whose last transition is before it, so any later rule change is unknown.
  func hasRules(atEpochSeconds t: Int64) -> Bool {
    guard let table else { return true }
    if table.footer != nil { return true }
    guard let last = table.times.last else { return true }
    return t <= last
  }
}
