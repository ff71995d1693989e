import Testing

@testable import WAKit

private func rule(_ text: String) -> PosixTZRule? { PosixTZRule(Array(text.utf8)) }

/// Seconds since the epoch of a UTC civil time.
private func utc(_ y: Int64, _ mo: Int, _ d: Int, _ h: Int64 = 0, _ mi: Int64 = 0) -> Int64 {
  CivilCalendar.daysFromCivil(year: y, month: mo, day: d) * 86_400 + h * 3600 + mi * 60
}

@Suite("PosixTZRule")
struct PosixTZRuleTests {
  @Test func parsesFixedRules() {
    #expect(rule("EAT-3") == PosixTZRule(standardOffset: 10_800, dst: nil))
    #expect(rule("<+03>-3") == PosixTZRule(standardOffset: 10_800, dst: nil))
    #expect(rule("<-03>3") == PosixTZRule(standardOffset: -10_800, dst: nil))
    #expect(rule("<+0330>-3:30") == PosixTZRule(standardOffset: 12_600, dst: nil))
    #expect(rule("UTC0") == PosixTZRule(standardOffset: 0, dst: nil))
    #expect(rule("<+0545>-5:45") == PosixTZRule(standardOffset: 20_700, dst: nil))
  }

  @Test func parsesDaylightSavingRules() throws {
    let ny = try #require(rule("EST5EDT,M3.2.0,M11.1.0"))
    #expect(ny.standardOffset == -18_000)
    #expect(
      ny.dst
        == .init(
          offset: -14_400, start: .monthWeekDay(month: 3, week: 2, weekday: 0), startTime: 7200,
          end: .monthWeekDay(month: 11, week: 1, weekday: 0), endTime: 7200))
    let chatham = try #require(rule("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45"))
    #expect(chatham.standardOffset == 45_900)
    #expect(chatham.dst?.offset == 49_500)  // default: one hour ahead
    #expect(chatham.dst?.startTime == 9900)
    let nuuk = try #require(rule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0"))
    #expect(nuuk.dst?.startTime == -3600)
    let jerusalem = try #require(rule("IST-2IDT,M3.4.4/26,M10.5.0"))
    #expect(jerusalem.dst?.startTime == 93_600)
    let julian = try #require(rule("XXX3YYY,J60/1:30:15,300"))
    #expect(julian.dst?.start == .julianNoLeap(60))
    #expect(julian.dst?.end == .zeroBased(300))
    #expect(julian.dst?.startTime == 5415)
    // A DST name without a rule gets the US rule, as in glibc.
    #expect(rule("EST5EDT")?.dst?.start == .monthWeekDay(month: 3, week: 2, weekday: 0))
  }

  @Test(
    arguments: [
      "", "E", "ES5", "EST", "EST+", "EST25", "EST5EDT,", "EST5EDT,M3.2.0",
      "EST5EDT,M13.2.0,M11.1.0",
      "EST5EDT,M3.6.0,M11.1.0", "EST5EDT,M3.2.7,M11.1.0", "EST5EDT,J0,J100", "EST5EDT,J366,J100",
      "EST5EDT,366,100", "EST5EDT,M3.2.0/168,M11.1.0", "EST5EDT,M3.2.0,M11.1.0,", "<+03-3",
      "<+0 3>-3", "EST5:60", "EST5EDT,M3.2.0/2:60,M11.1.0", "EST5 ",
    ])
  func rejectsMalformedRules(_ text: String) {
    #expect(rule(text) == nil, "\(text)")
  }

  @Test func monthWeekDayFindsNthAndLastWeekdays() {
    // March 2026 starts on a Sunday: M3.2.0 is the 8th, M3.5.0 (last Sunday) the 29th.
    let second = PosixTZRule.Day.monthWeekDay(month: 3, week: 2, weekday: 0)
    #expect(second.days(inYear: 2026) == CivilCalendar.daysFromCivil(year: 2026, month: 3, day: 8))
    let last = PosixTZRule.Day.monthWeekDay(month: 3, week: 5, weekday: 0)
    #expect(last.days(inYear: 2026) == CivilCalendar.daysFromCivil(year: 2026, month: 3, day: 29))
    // February 2024 (leap) has five Thursdays: the last is the 29th.
    let leap = PosixTZRule.Day.monthWeekDay(month: 2, week: 5, weekday: 4)
    #expect(leap.days(inYear: 2024) == CivilCalendar.daysFromCivil(year: 2024, month: 2, day: 29))
  }

  @Test func julianDaysSkipOrCountFebruary29() {
    let march1 = CivilCalendar.daysFromCivil(year: 2024, month: 3, day: 1)
    #expect(PosixTZRule.Day.julianNoLeap(60).days(inYear: 2024) == march1)  // J60 = Mar 1
    #expect(PosixTZRule.Day.julianNoLeap(60).days(inYear: 2023) == march1 - 366)
    #expect(PosixTZRule.Day.zeroBased(59).days(inYear: 2024) == march1 - 1)  // 59 = Feb 29
    #expect(PosixTZRule.Day.zeroBased(59).days(inYear: 2023) == march1 - 366)  // Mar 1
  }

  @Test func evaluatesNorthernAndSouthernRules() throws {
    let ny = try #require(rule("EST5EDT,M3.2.0,M11.1.0"))
    #expect(ny.offset(at: utc(2026, 3, 8, 7) - 1) == -18_000)
    #expect(ny.offset(at: utc(2026, 3, 8, 7)) == -14_400)
    #expect(ny.offset(at: utc(2026, 11, 1, 6) - 1) == -14_400)
    #expect(ny.offset(at: utc(2026, 11, 1, 6)) == -18_000)
    let sydney = try #require(rule("AEST-10AEDT,M10.1.0,M4.1.0/3"))
    #expect(sydney.offset(at: utc(2026, 1, 15)) == 39_600)
    #expect(sydney.offset(at: utc(2026, 7, 15)) == 36_000)
    #expect(sydney.offset(at: utc(2026, 12, 31, 23)) == 39_600)  // across New Year (UTC)
    // Ends 2026-04-05 03:00 AEDT = 04-04 16:00 UTC; starts 10-04 02:00 AEST = 10-03 16:00 UTC.
    #expect(sydney.offset(at: utc(2026, 4, 4, 16) - 1) == 39_600)
    #expect(sydney.offset(at: utc(2026, 4, 4, 16)) == 36_000)
    #expect(sydney.offset(at: utc(2026, 10, 3, 16) - 1) == 36_000)
    #expect(sydney.offset(at: utc(2026, 10, 3, 16)) == 39_600)
  }

  @Test func evaluatesExtendedTimesAndNegativeDST() throws {
    // Greenland: starts at -1:00 local standard time (= 01:00 UTC) on the last Sunday of March.
    let nuuk = try #require(rule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0"))
    #expect(nuuk.offset(at: utc(2026, 3, 29, 1) - 1) == -7200)
    #expect(nuuk.offset(at: utc(2026, 3, 29, 1)) == -3600)
    // Ireland: "standard" IST (+1) in summer, negative DST to GMT in winter.
    let dublin = try #require(rule("IST-1GMT0,M10.5.0,M3.5.0/1"))
    #expect(dublin.offset(at: utc(2026, 7, 1)) == 3600)
    #expect(dublin.offset(at: utc(2026, 1, 1)) == 0)
    #expect(dublin.offset(at: utc(2026, 3, 29, 1) - 1) == 0)
    #expect(dublin.offset(at: utc(2026, 3, 29, 1)) == 3600)
    // Permanent DST: the start at New Year coincides with the previous year's end.
    let permanent = try #require(rule("EST5EDT,0/0,J365/25"))
    for t in [utc(2026, 1, 1, 5), utc(2026, 1, 1, 4, 59), utc(2026, 6, 1), utc(2026, 12, 31, 23)] {
      #expect(permanent.offset(at: t) == -14_400)
    }
  }

  /// Each footer rule must reproduce the transitions its own fat TZif file lists for 2027–2037
  /// (zic writes those from the same rule): checks the direct evaluation and the table that
  /// `ZoneTable` precomputes when the file is cut down to a "slim" one ending in 2026.
  @Test(
    arguments: [
      "America/New_York", "Europe/London", "Australia/Lord_Howe", "Australia/Sydney",
      "America/Santiago", "America/Nuuk", "Asia/Jerusalem", "Europe/Dublin", "Pacific/Chatham",
      "Antarctica/Troll", "America/Havana", "Pacific/Auckland", "America/St_Johns",
      "Europe/Chisinau",
    ])
  func footerAgreesWithTheFilesOwnTransitions(_ name: String) throws {
    let contents = try TZif.parse(
      TZif.load(name: name, directory: "/usr/share/zoneinfo"), name: name)
    let footer = try #require(contents.footer)
    let full = ZoneTable(contents)
    let cutoff = utc(2027, 1, 1)
    var slim = contents
    let kept = contents.times.firstIndex { $0 >= cutoff } ?? contents.times.count
    slim.times.removeSubrange(kept...)
    slim.offsets.removeSubrange(kept...)
    let slimTable = ZoneTable(slim)
    let listed = contents.times.filter { $0 >= cutoff && $0 < utc(2038, 1, 1) }
    #expect(listed.count >= 20, "\(name) should list DST transitions through 2037")
    for t in listed {
      for probe in [t - 1, t, t + 1, t + 43_200] {
        let expected = full.offset(at: probe)
        #expect(footer.offset(at: probe) == expected, "\(name) direct @\(probe)")
        #expect(slimTable.offset(at: probe) == expected, "\(name) slim @\(probe)")
      }
    }
  }
}
