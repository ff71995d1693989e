/// A POSIX `TZ` rule such as `EST5EDT,M3.2.0,M11.1.0`, `<+03>-3` or
/// `<+1030>-10:30<+11>-11,M10.1.0,M4.1.0`: the footer of a TZif v2+ file, which says what the
/// offset is after the file's last transition. "Slim" zoneinfo files stop listing transitions
/// at the last rule change (New York's last one is 2007), so without this every later instant
/// would get the wrong offset for half the year.
///
/// Grammar (POSIX.1-2017 §8.3, with the RFC 8536 §3.3.1 extensions of TZif v3): `std offset
/// [dst [offset] [,start[/time],end[/time]]]`. Names are 3+ letters or `<…>` quoted; offsets
/// are `[+-]hh[:mm[:ss]]` *west* of Greenwich; dates are `Jn` (1–365, February 29 never
/// counted), `n` (0–365, counted) or `Mm.w.d` (week 5 = last); rule times default to 02:00
/// and may be negative or up to 167 hours (v3). A DST name with no rule gets the US rule
/// `M3.2.0,M11.1.0`, as glibc does.
struct PosixTZRule: Sendable, Equatable {
  /// When a DST period starts or ends within a year.
  enum Day: Sendable, Equatable {
    case julianNoLeap(Int)  // Jn
    case zeroBased(Int)  // n
    case monthWeekDay(month: Int, week: Int, weekday: Int)  // Mm.w.d, Sunday = 0

    /// Day number (days since 1970-01-01) of this date in `year`.
    func days(inYear year: Int64) -> Int64 {
      switch self {
      case .julianNoLeap(let n):
        let jan1 = CivilCalendar.daysFromCivil(year: year, month: 1, day: 1)
        let skipsLeapDay = n >= 60 && CivilCalendar.isLeapYear(year)
        return jan1 + Int64(n - 1) + (skipsLeapDay ? 1 : 0)
      case .zeroBased(let n):
        return CivilCalendar.daysFromCivil(year: year, month: 1, day: 1) + Int64(n)
      case .monthWeekDay(let month, let week, let weekday):
        let first = CivilCalendar.daysFromCivil(year: year, month: month, day: 1)
        let firstWeekday = (CivilCalendar.weekday(days: first) + 1) % 7  // Sunday = 0
        var day = first + Int64((weekday - firstWeekday + 7) % 7 + (week - 1) * 7)
        let length = Int64(CivilCalendar.daysInMonth(year: year, month: month))
        if day >= first + length { day -= 7 }  // week 5 = the last such weekday
        return day
      }
    }
  }

  /// The daylight-saving half of a rule.
  struct DST: Sendable, Equatable {
    var offset: Int32  // seconds east of UTC
    var start: Day
    var startTime: Int32  // seconds after local midnight, in standard time
    var end: Day
    var endTime: Int32  // seconds after local midnight, in daylight time
  }

  /// Seconds east of UTC (the opposite sign of the TZ string's).
  var standardOffset: Int32
  var dst: DST?

  /// The two transitions of `year` as (instant, offset in force from then on): DST start,
  /// then DST end. In the southern hemisphere the end comes first in the calendar year.
  func transitions(inYear year: Int64) -> (start: (Int64, Int32), end: (Int64, Int32))? {
    guard let dst else { return nil }
    // Wrapping arithmetic: years near the ends of Int64 time must not trap.
    let start = dst.start.days(inYear: year) &* 86_400 &+ Int64(dst.startTime - standardOffset)
    let end = dst.end.days(inYear: year) &* 86_400 &+ Int64(dst.endTime - dst.offset)
    return ((start, dst.offset), (end, standardOffset))
  }

  /// The offset in force at `t`: the one set by the latest transition at or before `t`, among
  /// those of the surrounding three years (rule times of up to ±167 h can move a transition
  /// across New Year). A DST start that coincides with a DST end wins, which makes the
  /// "permanent DST" idiom `…,0/0,J365/25` work.
  func offset(at t: Int64) -> Int32 {
    guard dst != nil else { return standardOffset }
    let localDays = CivilCalendar.floorDiv(t &+ Int64(standardOffset), 86_400)
    let year = CivilCalendar.civilFromDays(localDays).year
    var best = Int64.min
    var offset = standardOffset
    for y in (year &- 1)...(year &+ 1) {
      guard let pair = transitions(inYear: y) else { break }
      let (start, end) = pair
      if end.0 <= t, end.0 > best { (best, offset) = end }
      if start.0 <= t, start.0 >= best { (best, offset) = start }
    }
    return offset
  }

  init(standardOffset: Int32, dst: DST?) {
    self.standardOffset = standardOffset
    self.dst = dst
  }

  /// Parses a TZ string; nil when it does not follow the grammar above.
  init?(_ text: some Collection<UInt8>) {
    var s = Scanner(bytes: Array(text))
    guard s.name(), let std = s.offset(maxHours: 24) else { return nil }
    standardOffset = -std
    if s.atEnd {
      dst = nil
      return
    }
    guard s.name() else { return nil }
    var dstOffset = standardOffset + 3600
    if !s.atEnd, s.peek != UInt8(ascii: ",") {
      guard let o = s.offset(maxHours: 24) else { return nil }
      dstOffset = -o
    }
    var start = Day.monthWeekDay(month: 3, week: 2, weekday: 0)
    var end = Day.monthWeekDay(month: 11, week: 1, weekday: 0)
    var startTime: Int32 = 7200
    var endTime: Int32 = 7200
    if !s.atEnd {
      guard s.take(UInt8(ascii: ",")), let a = s.day() else { return nil }
      start = a
      if s.take(UInt8(ascii: "/")) {
        guard let time = s.offset(maxHours: 167) else { return nil }
        startTime = time
      }
      guard s.take(UInt8(ascii: ",")), let b = s.day() else { return nil }
      end = b
      if s.take(UInt8(ascii: "/")) {
        guard let time = s.offset(maxHours: 167) else { return nil }
        endTime = time
      }
      guard s.atEnd else { return nil }
    }
    dst = DST(offset: dstOffset, start: start, startTime: startTime, end: end, endTime: endTime)
  }

  /// A cursor over the TZ string's bytes (short, parsed once per zone: clarity over speed).
  private struct Scanner {
    let bytes: [UInt8]
    var i = 0

    var atEnd: Bool { i >= bytes.count }
    var peek: UInt8 { atEnd ? 0 : bytes[i] }

    mutating func take(_ b: UInt8) -> Bool {
      guard peek == b, !atEnd else { return false }
      i += 1
      return true
    }

    /// `<[A-Za-z0-9+-]+>` or three or more letters.
    mutating func name() -> Bool {
      func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
      let start = i
      if take(UInt8(ascii: "<")) {
        while !atEnd, peek != UInt8(ascii: ">") {
          let c = peek
          guard isLetter(c) || (c >= 0x30 && c <= 0x39) || c == 0x2B || c == 0x2D else {
            return false
          }
          i += 1
        }
        return i - start >= 2 && take(UInt8(ascii: ">"))
      }
      while !atEnd, isLetter(peek) { i += 1 }
      return i - start >= 3
    }

    /// Up to `max` decimal digits.
    mutating func number(maxDigits: Int) -> Int? {
      var value = 0
      var count = 0
      while count < maxDigits, !atEnd, peek >= 0x30, peek <= 0x39 {
        value = value * 10 + Int(peek - 0x30)
        i += 1
        count += 1
      }
      return count == 0 ? nil : value
    }

    /// `[+-]hh[:mm[:ss]]` in seconds, signed as written.
    mutating func offset(maxHours: Int) -> Int32? {
      var sign: Int32 = 1
      if take(UInt8(ascii: "-")) {
        sign = -1
      } else {
        _ = take(UInt8(ascii: "+"))
      }
      guard let h = number(maxDigits: 3), h <= maxHours else { return nil }
      var seconds = h * 3600
      if take(UInt8(ascii: ":")) {
        guard let m = number(maxDigits: 2), m <= 59 else { return nil }
        seconds += m * 60
        if take(UInt8(ascii: ":")) {
          guard let sec = number(maxDigits: 2), sec <= 59 else { return nil }
          seconds += sec
        }
      }
      return sign * Int32(seconds)
    }

    /// `Jn`, `n` or `Mm.w.d`.
    mutating func day() -> Day? {
      if take(UInt8(ascii: "J")) {
        guard let n = number(maxDigits: 3), n >= 1, n <= 365 else { return nil }
        return .julianNoLeap(n)
      }
      if take(UInt8(ascii: "M")) {
        guard let m = number(maxDigits: 2), m >= 1, m <= 12, take(UInt8(ascii: ".")),
          let w = number(maxDigits: 1), w >= 1, w <= 5, take(UInt8(ascii: ".")),
          let d = number(maxDigits: 1), d <= 6
        else { return nil }
        return .monthWeekDay(month: m, week: w, weekday: d)
      }
      guard let n = number(maxDigits: 3), n <= 365 else { return nil }
      return .zeroBased(n)
    }
  }
}
