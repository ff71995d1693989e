/// A wall-clock reading: proleptic Gregorian date, time of day and weekday, without a zone.
///
/// Made from an instant plus an offset; `init(epochSeconds:)` alone gives UTC. The zone
/// rules use it for years, the tests to check zones; the aggregator's hour and weekday come
/// from `LocalClock`, which needs no full date.
struct CivilTime: Equatable, Sendable {
  var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
  /// 0 = Monday … 6 = Sunday (ISO 8601 order, so the heatmap's rows start on Monday).
  var weekday: Int

  /// The UTC civil time of `epochSeconds` (seconds since 1970-01-01T00:00:00Z). Total over
  /// `Int64`: no traps, years far outside 0...9999 come out as they are.
  init(epochSeconds: Int64) {
    let days: Int64
    let secondOfDay: Int
    if epochSeconds >= 0 {  // the usual case: unsigned division is cheaper
      let u = UInt64(epochSeconds)
      days = Int64(u / 86_400)
      secondOfDay = Int(u % 86_400)
    } else {
      days = CivilCalendar.floorDiv(epochSeconds, 86_400)
      secondOfDay = Int(epochSeconds &- days &* 86_400)
    }
    let date = CivilCalendar.civilFromDays(days)
    self.year = Int(date.year)
    self.month = date.month
    self.day = date.day
    self.hour = secondOfDay / 3600
    self.minute = secondOfDay / 60 % 60
    self.second = secondOfDay % 60
    self.weekday = CivilCalendar.weekday(days: days)
  }

  /// Field-by-field, for tests and tables; `weekday` is not checked against the date.
  init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int) {
    (self.year, self.month, self.day) = (year, month, day)
    (self.hour, self.minute, self.second, self.weekday) = (hour, minute, second, weekday)
  }
}

/// Calendar arithmetic on day numbers (days since 1970-01-01), after Howard Hinnant's
/// "chrono-Compatible Low-Level Date Algorithms": branch-light, exact over the whole proleptic
/// Gregorian calendar, and free of tables. Shared by RFC 3339 parsing/formatting and the POSIX
/// TZ rules, which all need "which day is this" without Foundation.
enum CivilCalendar {
  /// `a / b` rounded toward minus infinity (`b > 0`): the day of an instant before 1970 is the
  /// earlier one, not the one nearer zero.
  @inline(__always)
  static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b < 0) ? q - 1 : q
  }

  /// Day number of a proleptic Gregorian date. `month` 1...12; `day` may run past the month's
  /// end (day 32 of January is February 1), which the POSIX rule code relies on.
  @inline(__always)
  static func daysFromCivil(year: Int64, month: Int, day: Int) -> Int64 {
    let y = month <= 2 ? year &- 1 : year
    let era = (y >= 0 ? y : y &- 399) / 400
    let yoe = y &- era &* 400  // 0...399
    let mp = Int64(month > 2 ? month - 3 : month + 9)  // March = 0
    let doy = (153 &* mp &+ 2) / 5 &+ Int64(day) &- 1  // 0...365
    let doe = yoe &* 365 &+ yoe / 4 &- yoe / 100 &+ doy  // 0...146096
    return era &* 146_097 &+ doe &- 719_468
  }

  /// Proleptic Gregorian date of a day number.
  @inline(__always)
  static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int, day: Int) {
    let z = days &+ 719_468
    if z >= 0 && z < 1 << 40 {
      // From 0000-03-01 on, the same steps in unsigned arithmetic (no sign fix-ups).
      let u = UInt64(z)
      let era = u / 146_097
      let doe = u &- era &* 146_097
      let yoe = (doe &- doe / 1460 &+ doe / 36_524 &- doe / 146_096) / 365
      let doy = doe &- (365 &* yoe &+ yoe / 4 &- yoe / 100)
      let mp = (5 &* doy &+ 2) / 153
      let day = Int(doy &- (153 &* mp &+ 2) / 5 &+ 1)
      let month = Int(mp < 10 ? mp &+ 3 : mp &- 9)
      return (Int64(yoe &+ era &* 400) &+ (month <= 2 ? 1 : 0), month, day)
    }
    let era = (z >= 0 ? z : z &- 146_096) / 146_097
    let doe = z &- era &* 146_097  // 0...146096
    let yoe = (doe &- doe / 1460 &+ doe / 36_524 &- doe / 146_096) / 365  // 0...399
    let doy = doe &- (365 &* yoe &+ yoe / 4 &- yoe / 100)  // 0...365, from March 1
    let mp = (5 &* doy &+ 2) / 153  // 0...11, March = 0
    let day = Int(doy &- (153 &* mp &+ 2) / 5 &+ 1)
    let month = Int(mp < 10 ? mp + 3 : mp - 9)
    return (yoe &+ era &* 400 &+ (month <= 2 ? 1 : 0), month, day)
  }

  /// 0 = Monday … 6 = Sunday. Day 0 (1970-01-01) was a Thursday.
  @inline(__always)
  static func weekday(days: Int64) -> Int {
    if days >= 0 { return Int((UInt64(days) &+ 3) % 7) }
    let w = (days &+ 3) % 7
    return Int(w < 0 ? w + 7 : w)
  }

  @inline(__always)
  static func isLeapYear(_ year: Int64) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  }

  @inline(__always)
  static func daysInMonth(year: Int64, month: Int) -> Int {
    if month == 2 { return isLeapYear(year) ? 29 : 28 }
    return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31
  }
}
