import Testing

@testable import WAKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

@Suite("CivilTime")
struct CivilTimeTests {
  @Test(
    arguments: [
      // seconds, year, month, day, hour, minute, second, weekday (0 = Monday)
      (0, 1970, 1, 1, 0, 0, 0, 3),
      (-1, 1969, 12, 31, 23, 59, 59, 2),
      (-14_182_940, 1969, 7, 20, 20, 17, 40, 6),
      (951_782_400, 2000, 2, 29, 0, 0, 0, 1),
      (2_147_483_647, 2038, 1, 19, 3, 14, 7, 1),
      (2_147_483_648, 2038, 1, 19, 3, 14, 8, 1),
      (1_795_600_800, 2026, 11, 25, 10, 0, 0, 2),
      (-2_203_891_200, 1900, 3, 1, 0, 0, 0, 3),
      (-11_670_998_400, 1600, 2, 29, 0, 0, 0, 1),
      (-28_502_755_200, 1066, 10, 14, 0, 0, 0, 6),
      (-62_135_596_800, 1, 1, 1, 0, 0, 0, 0),
      (-62_167_219_200, 0, 1, 1, 0, 0, 0, 5),
      (4_107_456_000, 2100, 2, 28, 0, 0, 0, 6),
      (9_223_372_036, 2262, 4, 11, 23, 47, 16, 4),
      (253_402_300_799, 9999, 12, 31, 23, 59, 59, 4),
    ] as [(Int64, Int, Int, Int, Int, Int, Int, Int)])
  func matchesKnownDates(
    _ seconds: Int64, _ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, _ wd: Int
  ) {
    let expected = CivilTime(
      year: y, month: mo, day: d, hour: h, minute: mi, second: s, weekday: wd)
    #expect(CivilTime(epochSeconds: seconds) == expected)
  }

  /// Walks the calendar one day at a time from 1 March -400 to 2500 with a naive
  /// month-length counter and checks every day (at two times of day) against the algorithm.
  @Test func matchesDayByDayWalkFromYearMinus400To2500() {
    var (year, month, day, weekday) = (-400, 3, 1, 2)  // -400-03-01 was a Wednesday
    var days = CivilCalendar.daysFromCivil(year: -400, month: 3, day: 1)
    func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }
    let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    var mismatches = 0
    while year < 2500 {
      for secondOfDay in [0, 86_399] as [Int64] {
        let c = CivilTime(epochSeconds: days * 86_400 + secondOfDay)
        let ok =
          c.year == year && c.month == month && c.day == day && c.weekday == weekday
          && c.hour * 3600 + c.minute * 60 + c.second == Int(secondOfDay)
        if !ok { mismatches += 1 }
      }
      #expect(CivilCalendar.daysFromCivil(year: Int64(year), month: month, day: day) == days)
      days += 1
      weekday = (weekday + 1) % 7
      day += 1
      let length = month == 2 && isLeap(year) ? 29 : lengths[month - 1]
      if day > length {
        day = 1
        month += 1
        if month > 12 {
          month = 1
          year += 1
        }
      }
    }
    #expect(mismatches == 0)
  }

  /// glibc's 64-bit `gmtime_r` as an independent oracle, at random instants 1700–2300.
  @Test func agreesWithGmtimeAtRandomInstants() {
    var state: UInt64 = 42
    let low: Int64 = -8_520_336_000  // 1700-01-01
    let span: UInt64 = 19_000_000_000
    for _ in 0..<50_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let seconds = low + Int64((state >> 11) % span)
      var t = time_t(seconds)
      var tm = tm()
      gmtime_r(&t, &tm)
      let c = CivilTime(epochSeconds: seconds)
      let expected = CivilTime(
        year: Int(tm.tm_year) + 1900, month: Int(tm.tm_mon) + 1, day: Int(tm.tm_mday),
        hour: Int(tm.tm_hour), minute: Int(tm.tm_min), second: Int(tm.tm_sec),
        weekday: (Int(tm.tm_wday) + 6) % 7)
      if c != expected {
        Issue.record("\(seconds): \(c) != \(expected)")
        return
      }
    }
  }

  @Test func neverTrapsAtTheEndsOfInt64() {
    let high = CivilTime(epochSeconds: .max)
    let low = CivilTime(epochSeconds: .min)
    #expect(high.year > 292_000_000_000 && (0...6).contains(high.weekday))
    #expect(low.year < -292_000_000_000 && (0...6).contains(low.weekday))
    #expect((1...12).contains(low.month) && (0...23).contains(low.hour))
  }
}
