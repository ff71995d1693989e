import Testing

@testable import WAKit

@Suite("BusinessHours")
struct BusinessHoursTests {
  static let ns = EventTime.nanosPerSecond

  /// Epoch nanoseconds of a local civil time in `zone` (not in a gap).
  static func local(
    _ zone: ZoneRule, _ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int = 0
  ) -> Int64 {
    let wall =
      CivilCalendar.daysFromCivil(year: Int64(y), month: mo, day: d) * 86_400
      + Int64(h * 3600 + mi * 60 + s)
    var t = wall - Int64(zone.offset(atEpochSeconds: wall))
    t = wall - Int64(zone.offset(atEpochSeconds: t))
    return t * ns
  }

  static func day(_ y: Int, _ m: Int, _ d: Int) -> Int64 {
    CivilCalendar.daysFromCivil(year: Int64(y), month: m, day: d)
  }

  /// Counts open time minute by minute: a minute is open when its first second's local time
  /// is in an interval of its weekday on a day that is no holiday.
  static func bruteForce(_ b: BusinessHours, from a: Int64, to e: Int64) -> Int64 {
    var total: Int64 = 0
    var m = a / ns
    let end = e / ns
    while m < end {
      let off = Int64(b.zone.offset(atEpochSeconds: m))
      let localDay = CivilCalendar.floorDiv(m + off, 86_400)
      let second = Int32(m + off - localDay * 86_400)
      if !b.holidays.contains(localDay) {
        for i in b.intervals[CivilCalendar.weekday(days: localDay)]
        where i.start <= second && second < i.end {
          total += 60
        }
      }
      m += 60
    }
    return total * ns
  }

  @Test("Friday 16:55 to Monday 09:10, Mon-Fri 09:00-17:00 in Nairobi: 15 min open, 64 h 15 min")
  func fridayToMonday() throws {
    let zone = try ZoneRule.parse("Africa/Nairobi")
    let b = try BusinessHours.parse("Mon-Fri 09:00-17:00", zone: zone)
    let a = Self.local(zone, 2026, 1, 23, 16, 55)  // a Friday
    let e = Self.local(zone, 2026, 1, 26, 9, 10)  // the Monday
    #expect(e - a == (64 * 3600 + 15 * 60) * Self.ns)
    #expect(b.openNanos(from: a, to: e) == 15 * 60 * Self.ns)
    #expect(b.openSeconds(from: a, to: e) == 900)
  }

  @Test("the same across a holiday Monday: the Tuesday reply has a whole day more")
  func acrossHoliday() throws {
    let zone = try ZoneRule.parse("Africa/Nairobi")
    let holidays = try BusinessHours.parseHolidays(
      Array("# Nairobi office\n2026-01-26  # closed\n".utf8), name: "h.txt")
    let b = try BusinessHours.parse("Mon-Fri 09:00-17:00", holidays: holidays, zone: zone)
    let a = Self.local(zone, 2026, 1, 23, 16, 55)
    #expect(b.openNanos(from: a, to: Self.local(zone, 2026, 1, 26, 9, 10)) == 5 * 60 * Self.ns)
    #expect(
      b.openNanos(from: a, to: Self.local(zone, 2026, 1, 27, 9, 10)) == 15 * 60 * Self.ns)
  }

  @Test("across Berlin's spring-forward: 16:55 Friday to 09:10 Monday is still 15 min open")
  func berlinDST() throws {
    let zone = try ZoneRule.parse("Europe/Berlin")
    let b = try BusinessHours.parse("Mon-Fri 09:00-17:00", zone: zone)
    let a = Self.local(zone, 2026, 3, 27, 16, 55)  // Friday before 2026-03-29
    let e = Self.local(zone, 2026, 3, 30, 9, 10)
    #expect(e - a == (63 * 3600 + 15 * 60) * Self.ns)  // the night lost an hour
    #expect(b.openNanos(from: a, to: e) == 15 * 60 * Self.ns)
    // A Sunday night shift across the change: 01:00-04:00 local is 2 h that night.
    let night = try BusinessHours.parse("Sun 01:00-04:00", zone: zone)
    let sat = Self.local(zone, 2026, 3, 28, 12, 0)
    let mon = Self.local(zone, 2026, 3, 30, 12, 0)
    #expect(night.openNanos(from: sat, to: mon) == 2 * 3600 * Self.ns)
    // …and 4 h on the night the clocks go back (02:00-03:00 happens twice).
    let satOct = Self.local(zone, 2026, 10, 24, 12, 0)
    let monOct = Self.local(zone, 2026, 10, 26, 12, 0)
    #expect(night.openNanos(from: satOct, to: monOct) == 4 * 3600 * Self.ns)
  }

  @Test("a clock that starts and stops while closed counts 0; sub-minute ends are exact")
  func closedAndSeconds() throws {
    let zone = try ZoneRule.parse("Africa/Nairobi")
    let b = try BusinessHours.parse("Mon-Fri 09:00-17:00", zone: zone)
    let sat = Self.local(zone, 2026, 1, 24, 10, 0)
    #expect(b.openNanos(from: sat, to: sat + 3600 * Self.ns) == 0)
    let a = Self.local(zone, 2026, 1, 23, 16, 59, 59) + 250_000_000
    #expect(b.openNanos(from: a, to: a + 3 * Self.ns) == 750_000_000)
    #expect(b.openNanos(from: a, to: a) == 0)
    #expect(b.openNanos(from: a, to: a - Self.ns) == 0)
  }

  @Test(
    "fast arithmetic equals a minute-by-minute count on random spans",
    arguments: ["Africa/Nairobi", "Europe/Berlin", "America/New_York"])
  func matchesBruteForce(_ zoneName: String) throws {
    let zone = try ZoneRule.parse(zoneName)
    let holidays = [
      Self.day(2026, 1, 1), Self.day(2026, 3, 27), Self.day(2026, 3, 30), Self.day(2026, 4, 3),
      Self.day(2026, 10, 26), Self.day(2026, 11, 2), Self.day(2026, 12, 25),
    ]
    let hours = try BusinessHours.parse(
      "Mon-Fri 08:30-12:00,13:00-17:45; Sat 10:00-14:00; Sun 01:00-04:00,23:00-24:00",
      holidays: holidays, zone: zone)
    // Near the DST changes of Berlin and New York, and anywhere in 2026.
    let hotSpots: [Int64] = [
      Self.day(2026, 3, 8), Self.day(2026, 3, 29), Self.day(2026, 10, 25),
      Self.day(2026, 11, 1),
    ].map { $0 * 86_400 }
    let year = Self.day(2026, 1, 1) * 86_400
    var rng = SeededGenerator(seed: 0x18_B0_5E)
    var nonZero = 0
    for k in 0..<1200 {
      let startSecond: Int64
      if k % 3 == 0 {
        startSecond =
          hotSpots[k % hotSpots.count] - 5 * 86_400
          + Int64(rng.next() % (10 * 86_400))
      } else {
        startSecond = year + Int64(rng.next() % (365 * 86_400))
      }
      let minutes: Int64 =
        k % 25 == 0 ? Int64(rng.next() % (40 * 1440)) : Int64(rng.next() % (3 * 1440))
      let a = (startSecond / 60 * 60) * Self.ns
      let e = a + minutes * 60 * Self.ns
      let fast = hours.openNanos(from: a, to: e)
      let slow = Self.bruteForce(hours, from: a, to: e)
      #expect(fast == slow, "\(zoneName) from \(a / Self.ns) for \(minutes) min")
      if fast != slow { return }
      if fast > 0 { nonZero += 1 }
    }
    #expect(nonZero > 400)
  }

  @Test(
    "bad --business-hours say what is wrong and how to write it",
    arguments: [
      ("Mon-Fri 17:00-09:00", "ends before it starts"),
      ("Mon-Fri 09:00-12:00,11:00-17:00", "overlap"),
      ("Mon-Fri 09:00-12:00; Fri 11:00-13:00", "on Fri 09:00-12:00 and 11:00-13:00 overlap"),
      ("Mon-Fri 09:00-25:00", "'25:00' is not a time of day"),
      ("Mon-Fry 09:00-17:00", "unknown day 'Fry'"),
      ("Mon-Fri", "has no opening times"),
      ("Mon-Fri 9-17", "'9' is not a time; write HH:MM"),
      ("", "no opening times given"),
    ])
  func badSpecs(_ spec: String, _ expected: String) throws {
    let zone = ZoneRule.utc
    #expect {
      _ = try BusinessHours.parse(spec, zone: zone)
    } throws: { error in
      let message = (error as? BusinessHoursError)?.message ?? ""
      return message.contains(expected) && message.contains("--business-hours")
    }
  }

  @Test("spans: day lists, wrapping ranges, touching intervals, 24:00")
  func goodSpecs() throws {
    let b = try BusinessHours.parse(
      "sat-mon 10:00-12:00 ; Wed,Fri 12:00-14:00,14:00-24:00", zone: .utc)
    #expect(b.dayTotal == [7200, 0, 43_200, 0, 43_200, 7200, 7200])
    #expect(b.intervals[2].count == 1)
  }

  @Test("a holidays file with a bad date on line 7 names the line")
  func badHolidays() {
    let text = "# holidays\n2026-01-01\n\n2026-04-03 # Good Friday\n2026-05-01\n  \n2026-13-01\n"
    #expect {
      _ = try BusinessHours.parseHolidays(Array(text.utf8), name: "holidays.txt")
    } throws: { error in
      let message = (error as? BusinessHoursError)?.message ?? ""
      return message.contains("holidays.txt:7:") && message.contains("'2026-13-01'")
        && message.contains("YYYY-MM-DD")
    }
    #expect(BusinessHours.parseDate(Array("2026-02-29".utf8)) == nil)
    #expect(BusinessHours.parseDate(Array("2028-02-29".utf8)) == Self.day(2028, 2, 29))
  }
}
