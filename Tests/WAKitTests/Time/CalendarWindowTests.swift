import Testing

@testable import WAKit

/// Epoch seconds of an RFC 3339 time (the tests write instants as text, checked by hand).
private func instant(_ text: String) -> Int64 {
  let parsed = Array(text.utf8).withUnsafeBytes { RFC3339.parse($0) }
  return parsed!.seconds
}

private func window(_ zone: String, _ size: WindowSize, _ at: String) throws -> (String, String) {
  let w = try ZoneRule.parse(zone).window(size, containing: instant(at))
  let text = { (t: Int64) in RFC3339.format(Timestamp(seconds: t), fractionDigits: 0) }
  return (text(w.start), text(w.end))
}

@Suite("Calendar windows")
struct CalendarWindowTests {
  @Test func nairobiDaysStartAt21UTC() throws {
    #expect(
      try window("Africa/Nairobi", .day, "2026-01-23T12:00:00Z")
        == ("2026-01-22T21:00:00Z", "2026-01-23T21:00:00Z"))
    // 20:59:59Z is still the 23rd in Nairobi (23:59:59); 21:00:00Z is the 24th.
    #expect(
      try window("Africa/Nairobi", .day, "2026-01-23T20:59:59Z").0 == "2026-01-22T21:00:00Z")
    #expect(
      try window("Africa/Nairobi", .day, "2026-01-23T21:00:00Z").0 == "2026-01-23T21:00:00Z")
  }

  @Test func newYorkDSTDaysHave23And25Hours() throws {
    // 2026-03-08: clocks jump 02:00 → 03:00 EST → EDT; 2026-11-01: 02:00 → 01:00.
    #expect(
      try window("America/New_York", .day, "2026-03-08T12:00:00Z")
        == ("2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"))  // 23 h
    #expect(
      try window("America/New_York", .day, "2026-11-01T12:00:00Z")
        == ("2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"))  // 25 h
    // The repeated hour 01:00-02:00 local is two hour windows.
    #expect(
      try window("America/New_York", .hour, "2026-11-01T05:30:00Z")
        == ("2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z"))
    #expect(
      try window("America/New_York", .hour, "2026-11-01T06:30:00Z")
        == ("2026-11-01T06:00:00Z", "2026-11-01T07:00:00Z"))
  }

  @Test func berlinDSTDaysHave23And25Hours() throws {
    // 2026-03-29 02:00 CET → 03:00 CEST; 2026-10-25 03:00 CEST → 02:00 CET.
    #expect(
      try window("Europe/Berlin", .day, "2026-03-29T10:00:00Z")
        == ("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"))  // 23 h
    #expect(
      try window("Europe/Berlin", .day, "2026-10-25T10:00:00Z")
        == ("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"))  // 25 h
    #expect(
      try window("Europe/Berlin", .quarterHour, "2026-03-29T01:07:00Z")
        == ("2026-03-29T01:00:00Z", "2026-03-29T01:15:00Z"))
  }

  @Test func weeksStartOnMondayAcrossAMonthEnd() throws {
    // Wednesday 2026-04-01; the week is Monday 2026-03-30 to Monday 2026-04-06 (local).
    #expect(
      try window("Africa/Nairobi", .week, "2026-04-01T09:00:00Z")
        == ("2026-03-29T21:00:00Z", "2026-04-05T21:00:00Z"))
    // A Monday instant is the start of its own week; a Sunday 23:59 local the end of one.
    #expect(try window("UTC", .week, "2026-03-30T00:00:00Z").0 == "2026-03-30T00:00:00Z")
    #expect(try window("UTC", .week, "2026-03-29T23:59:59Z").0 == "2026-03-23T00:00:00Z")
    // A week across a DST change lasts 167 hours in Berlin.
    #expect(
      try window("Europe/Berlin", .week, "2026-03-29T10:00:00Z")
        == ("2026-03-22T23:00:00Z", "2026-03-29T22:00:00Z"))
  }

  @Test func monthsFollowTheCalendarAcrossFebruary() throws {
    #expect(
      try window("UTC", .month, "2026-02-14T00:00:00Z")
        == ("2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"))
    #expect(
      try window("UTC", .month, "2028-02-29T23:59:59Z")
        == ("2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z"))  // a leap year: 29 days
    #expect(
      try window("America/New_York", .month, "2026-03-01T04:59:59Z")
        == ("2026-02-01T05:00:00Z", "2026-03-01T05:00:00Z"))  // still February locally
    #expect(
      try window("UTC", .month, "2026-12-31T12:00:00Z")
        == ("2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"))
  }

  @Test func subHourWindowsFollowTheLocalClock() throws {
    // Kathmandu is +05:45: local hours start at :15 UTC.
    #expect(
      try window("Asia/Kathmandu", .hour, "2026-01-01T10:20:00Z")
        == ("2026-01-01T10:15:00Z", "2026-01-01T11:15:00Z"))
    #expect(
      try window("+05:30", .halfHour, "2026-01-01T10:20:00Z")
        == ("2026-01-01T10:00:00Z", "2026-01-01T10:30:00Z"))
  }

  /// Every size in several zones: windows contain their instant, tile the time line (the
  /// window after one starts at its end), and a window of the same instant is the same.
  @Test(arguments: ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe"])
  func windowsTileTheTimeLine(_ name: String) throws {
    let zone = try ZoneRule.parse(name)
    for size in WindowSize.allCases {
      // From local midnight of 2026-01-01 to that of 2027-01-01.
      var t = zone.startOfLocalDay(CivilCalendar.daysFromCivil(year: 2026, month: 1, day: 1))
      let stop = zone.startOfLocalDay(CivilCalendar.daysFromCivil(year: 2027, month: 1, day: 1))
      var previousEnd: Int64? = nil
      var count = 0
      while t < stop {
        let w = zone.window(size, containing: t)
        #expect(w.start <= t && t < w.end, "\(name) \(size) \(t)")
        if let previousEnd { #expect(w.start == previousEnd, "\(name) \(size) gap at \(t)") }
        #expect(w.end - w.start <= size.maxSeconds)
        #expect(zone.window(size, containing: w.end - 1) == w)
        previousEnd = w.end
        t = w.end
        count += 1
      }
      switch size {
      case .month: #expect(count == 12)
      case .day: #expect(count == 365)
      default: break
      }
    }
  }

  @Test func aSkippedLocalMidnightStartsTheDayAtTheJump() throws {
    // Havana: 2026-03-08 00:00 CST → 01:00 CDT; the day starts at the jump.
    let zone = try ZoneRule.parse("America/Havana")
    let day = CivilCalendar.daysFromCivil(year: 2026, month: 3, day: 8)
    let start = zone.startOfLocalDay(day)
    #expect(RFC3339.format(Timestamp(seconds: start), fractionDigits: 0) == "2026-03-08T05:00:00Z")
  }
}
