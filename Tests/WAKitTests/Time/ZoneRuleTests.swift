import Testing

@testable import WAKit

/// Instants at which a zone changes offset, with the offsets and local hour:minute on
/// either side (one second before, and at, the transition).
private struct Change: Sendable, CustomStringConvertible {
  var zone: String
  var at: Int64
  var before: Int32, after: Int32
  var localBefore: (Int, Int, Int), localAfter: (Int, Int)
  var description: String { "\(zone) @\(at)" }
}

@Suite("ZoneRule")
struct ZoneRuleTests {
  @Test(arguments: ["UTC", "utc", "Z", "z"])
  func utcSpellings(_ spec: String) throws {
    let zone = try ZoneRule.parse(spec)
    #expect(zone.name == "UTC")
    #expect(zone.offset(atEpochSeconds: 1_772_953_200) == 0)
    #expect(ZoneRule.utc.offset(atEpochSeconds: -5_000_000_000) == 0)
  }

  @Test(
    arguments: [
      ("+03:00", 10_800, "+03:00"), ("-05:30", -19_800, "-05:30"), ("+0530", 19_800, "+05:30"),
      ("+03", 10_800, "+03:00"), ("-00:00", 0, "+00:00"), ("+23:59", 86_340, "+23:59"),
      ("-12:00", -43_200, "-12:00"), ("+05:45", 20_700, "+05:45"),
    ] as [(String, Int32, String)])
  func fixedOffsets(_ spec: String, _ offset: Int32, _ name: String) throws {
    let zone = try ZoneRule.parse(spec)
    #expect(zone.name == name)
    for t: Int64 in [-3_000_000_000, 0, 1_772_953_200, 4_000_000_000_000] {
      #expect(zone.offset(atEpochSeconds: t) == offset)
    }
    let civil = zone.civil(atEpochSeconds: 1_769_162_400)  // 2026-01-23T10:00:00Z
    #expect(civil.hour * 60 + civil.minute == (600 + Int(offset) / 60 + 1440) % 1440)
  }

  @Test func fixedFactoryNamesItsOffset() {
    #expect(ZoneRule.fixed(offsetSeconds: 0).name == "+00:00")
    #expect(ZoneRule.fixed(offsetSeconds: -16_200).name == "-04:30")
    #expect(ZoneRule.fixed(offsetSeconds: 20_730).name == "+05:45:30")
    #expect(ZoneRule.fixed(offsetSeconds: 3600).offset(atEpochSeconds: 123) == 3600)
  }

  @Test(
    arguments: [
      "+24:00", "+3", "+3:00", "+03:60", "+03:0", "+033", "+03:00:00", "-", "+", "+ab:cd",
      "+03-00",
    ])
  func rejectsMalformedOffsets(_ spec: String) {
    #expect(throws: ZoneError.invalidSpec(spec)) { try ZoneRule.parse(spec) }
  }

  @Test(
    arguments: [
      "../etc/passwd", "America/../../etc/passwd", "/etc/localtime", "/usr/share/zoneinfo/UTC",
      "America/New_York/..", "", "America/New York", "Africa/Nairobi\0", "03:00", "Europe\\Paris",
      String(repeating: "A", count: 300),
    ])
  func rejectsUnsafeOrMalformedNames(_ spec: String) {
    #expect(throws: ZoneError.invalidSpec(spec)) { try ZoneRule.parse(spec) }
  }

  @Test(arguments: ["Mars/Olympus_Mons", "America/Gotham", "America", "Etc"])
  func unknownZones(_ spec: String) {
    #expect(throws: ZoneError.unknownZone(spec)) { try ZoneRule.parse(spec) }
  }

  @Test func aFileThatIsNotTZifIsInvalid() {
    #expect(throws: ZoneError.self) { try ZoneRule.parse("zone1970.tab") }
    do {
      _ = try ZoneRule.parse("zone1970.tab")
    } catch {
      guard case .invalidZoneFile = error else {
        Issue.record("expected invalidZoneFile, got \(error)")
        return
      }
    }
  }

  @Test(
    arguments: [
      // New York, 2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST.
      Change(
        zone: "America/New_York", at: 1_772_953_200, before: -18_000, after: -14_400,
        localBefore: (1, 59, 59), localAfter: (3, 0)),
      Change(
        zone: "America/New_York", at: 1_793_512_800, before: -14_400, after: -18_000,
        localBefore: (1, 59, 59), localAfter: (1, 0)),
      // London, 2026-03-29 01:00 GMT → 02:00 BST; 2026-10-25 02:00 BST → 01:00 GMT.
      Change(
        zone: "Europe/London", at: 1_774_746_000, before: 0, after: 3600,
        localBefore: (0, 59, 59), localAfter: (2, 0)),
      Change(
        zone: "Europe/London", at: 1_792_890_000, before: 3600, after: 0,
        localBefore: (1, 59, 59), localAfter: (1, 0)),
      // Lord Howe: half-hour DST. 2026-04-05 02:00 +11 → 01:30 +10:30; 2026-10-04 02:00 → 02:30.
      Change(
        zone: "Australia/Lord_Howe", at: 1_775_314_800, before: 39_600, after: 37_800,
        localBefore: (1, 59, 59), localAfter: (1, 30)),
      Change(
        zone: "Australia/Lord_Howe", at: 1_791_041_400, before: 37_800, after: 39_600,
        localBefore: (1, 59, 59), localAfter: (2, 30)),
      // New York 1883-11-18 12:03:58 local mean time (-4:56:02) → 12:00 EST.
      Change(
        zone: "America/New_York", at: -2_717_650_800, before: -17_762, after: -18_000,
        localBefore: (12, 3, 57), localAfter: (12, 0)),
    ])
  fileprivate func daylightSavingChanges(_ change: Change) throws {
    let zone = try ZoneRule.parse(change.zone)
    #expect(zone.name == change.zone)
    #expect(zone.offset(atEpochSeconds: change.at - 1) == change.before)
    #expect(zone.offset(atEpochSeconds: change.at) == change.after)
    let before = zone.civil(atEpochSeconds: change.at - 1)
    let after = zone.civil(atEpochSeconds: change.at)
    #expect((before.hour, before.minute, before.second) == change.localBefore)
    #expect(
      (after.hour, after.minute, after.second) == (change.localAfter.0, change.localAfter.1, 0))
  }

  @Test func newYorkCivilTimeAcrossSpringForwardDay() throws {
    let zone = try ZoneRule.parse("America/New_York")
    let local = zone.civil(atEpochSeconds: 1_772_953_200)  // 2026-03-08T07:00:00Z
    #expect(
      local == CivilTime(year: 2026, month: 3, day: 8, hour: 3, minute: 0, second: 0, weekday: 6))
    let newYear = zone.civil(atEpochSeconds: 1_767_243_600 - 1)  // 2026-01-01T04:59:59Z
    #expect(
      newYear
        == CivilTime(year: 2025, month: 12, day: 31, hour: 23, minute: 59, second: 59, weekday: 2))
  }

  @Test func nairobiIsThreeHoursAheadToday() throws {
    let zone = try ZoneRule.parse("Africa/Nairobi")
    #expect(zone.offset(atEpochSeconds: 1_780_272_000) == 10_800)  // 2026-06-01
    #expect(zone.offset(atEpochSeconds: 1_769_162_400) == 10_800)  // 2026-01-23
    #expect(zone.offset(atEpochSeconds: -1_091_491_200) == 9000)  // 1935: +02:30
    #expect(zone.offset(atEpochSeconds: -933_638_400) == 9900)  // 1940: +02:45
    #expect(zone.offset(atEpochSeconds: 4_000_000_000_000) == 10_800)
    #expect(zone.civil(atEpochSeconds: 1_769_162_400).hour == 13)
  }

  @Test func farFutureInstantsFollowTheFooterRule() throws {
    let zone = try ZoneRule.parse("America/New_York")
    #expect(zone.offset(atEpochSeconds: 3_802_550_400) == -14_400)  // 2090-07-01: EDT
    #expect(zone.offset(atEpochSeconds: 3_786_912_000) == -18_000)  // 2090-01-01: EST
    // 2090-03-12 is the second Sunday in March: 07:00 UTC is 02:00 EST → 03:00 EDT.
    #expect(zone.offset(atEpochSeconds: 3_792_985_200 - 1) == -18_000)
    #expect(zone.offset(atEpochSeconds: 3_792_985_200) == -14_400)
    // Beyond the precomputed table (2101+): the rule is evaluated directly.
    #expect(zone.offset(atEpochSeconds: 10_429_430_400) == -14_400)  // 2300-07-01
    #expect(zone.offset(atEpochSeconds: 10_442_649_600) == -18_000)  // 2300-12-01
    let sydney = try ZoneRule.parse("Australia/Sydney")
    #expect(sydney.offset(atEpochSeconds: 3_786_912_000) == 39_600)  // January: summer
    #expect(sydney.offset(atEpochSeconds: 3_802_550_400) == 36_000)  // July: winter
  }

  @Test(arguments: ["America/New_York", "Australia/Lord_Howe", "Africa/Nairobi", "+05:30"])
  func extremeInstantsDoNotTrap(_ name: String) throws {
    let zone = try ZoneRule.parse(name)
    for t: Int64 in [.min, .min + 1, -1 << 59, 1 << 59, .max - 1, .max] {
      let offset = zone.offset(atEpochSeconds: t)
      #expect(abs(offset) < 86_400)
      _ = zone.civil(atEpochSeconds: t)
    }
  }
}
