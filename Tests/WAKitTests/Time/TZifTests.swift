import Testing

@testable import WAKit

/// Builds a TZif file in memory: version `version` ("0" = v1 only; otherwise a minimal v1
/// block as `zic -b slim` writes it, then the 64-bit block and the footer). `leaps`: leap-second
/// records (occurrence, correction), as the `right/` zones have.
private func tzif(
  version: UInt8, times: [Int64], types: [UInt8], offsets: [Int32], footer: String,
  leaps: [(Int64, Int32)] = []
) -> [UInt8] {
  func be32(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
  func be64(_ v: Int64) -> [UInt8] {
    be32(UInt32(truncatingIfNeeded: v >> 32)) + be32(UInt32(truncatingIfNeeded: v))
  }
  func header(_ v: UInt8, timecnt: Int, typecnt: Int, charcnt: Int, leapcnt: Int = 0)
    -> [UInt8]
  {
    var h = Array("TZif".utf8) + [v] + [UInt8](repeating: 0, count: 15)
    for count in [0, 0, leapcnt, timecnt, typecnt, charcnt] { h += be32(UInt32(count)) }
    return h
  }
  func block(timeSize: Int) -> [UInt8] {
    var b: [UInt8] = []
    for t in times { b += timeSize == 8 ? be64(t) : be32(UInt32(truncatingIfNeeded: t)) }
    b += types
    for o in offsets { b += be32(UInt32(bitPattern: o)) + [0, 0] }
    b += [0x58, 0]  // designation "X"
    for (occurrence, correction) in leaps {
      b += timeSize == 8 ? be64(occurrence) : be32(UInt32(truncatingIfNeeded: occurrence))
      b += be32(UInt32(bitPattern: correction))
    }
    return b
  }
  if version == 0 {
    return header(0, timecnt: times.count, typecnt: offsets.count, charcnt: 2, leapcnt: leaps.count)
      + block(timeSize: 4)
  }
  var file = header(version, timecnt: 0, typecnt: 1, charcnt: 1) + [0, 0, 0, 0, 0, 0, 0]
  file += header(
    version, timecnt: times.count, typecnt: offsets.count, charcnt: 2, leapcnt: leaps.count)
  file += block(timeSize: 8)
  return file + [0x0A] + Array(footer.utf8) + [0x0A]
}

private let march2026 =
  CivilCalendar.daysFromCivil(year: 2026, month: 3, day: 8) * 86_400 + 7 * 3600

@Suite("TZif")
struct TZifTests {
  /// New York as a slim file: one transition in 2007, then only the footer rule.
  @Test func slimFileReliesOnTheFooter() throws {
    let bytes = tzif(
      version: 0x32, times: [1_173_596_400], types: [1], offsets: [-18_000, -14_400],
      footer: "EST5EDT,M3.2.0,M11.1.0")
    let zone = try ZoneRule.fromTZif(bytes, name: "Slim/New_York")
    #expect(zone.name == "Slim/New_York")
    #expect(zone.offset(atEpochSeconds: 1_000_000_000) == -18_000)  // 2001: before the list
    #expect(zone.offset(atEpochSeconds: march2026 - 1) == -18_000)
    #expect(zone.offset(atEpochSeconds: march2026) == -14_400)
    #expect(zone.offset(atEpochSeconds: 1_793_512_800) == -18_000)  // 2026-11-01 06:00Z
    #expect(zone.offset(atEpochSeconds: 10_429_430_400) == -14_400)  // July 2300
  }

  /// A `right/` zone counts leap seconds in its transition times ("UNIX leap time", RFC 8536
  /// §3.2): `right/America/New_York` said 2026's daylight saving began at 07:00:27Z, 27 s
  /// late, so `--window 1h` wrote a 27-second window and counted a message in hour 2, which
  /// New York skipped that night. Each transition is moved back by the leap seconds before it.
  @Test(arguments: [0, 0x32] as [UInt8])
  func aZoneWithLeapSecondsChangesItsOffsetAtThePOSIXInstant(_ version: UInt8) throws {
    let november2026: Int64 = 1_793_512_800  // 2026-11-01 06:00Z
    let bytes = tzif(
      version: version,
      times: [50_000_000, 50_003_600, march2026 + 27, november2026 + 27], types: [1, 0, 1, 0],
      offsets: [-18_000, -14_400], footer: "EST5EDT,M3.2.0,M11.1.0",
      leaps: [(78_796_800, 1), (1_483_228_826, 27)])
    let zone = try ZoneRule.fromTZif(bytes, name: "right/New_York")
    // Before the first leap second, no correction.
    #expect(zone.offset(atEpochSeconds: 49_999_999) == -18_000)
    #expect(zone.offset(atEpochSeconds: 50_000_000) == -14_400)
    #expect(zone.offset(atEpochSeconds: 50_003_600) == -18_000)
    #expect(zone.offset(atEpochSeconds: march2026 - 1) == -18_000)
    #expect(zone.offset(atEpochSeconds: march2026) == -14_400)
    #expect(zone.offset(atEpochSeconds: november2026 - 1) == -14_400)
    #expect(zone.offset(atEpochSeconds: november2026) == -18_000)
  }

  @Test(arguments: [0x33, 0x34] as [UInt8])
  func versionsThreeAndFourReadLikeTwo(_ version: UInt8) throws {
    let bytes = tzif(
      version: version, times: [], types: [], offsets: [-7200],
      footer: "<-02>2<-01>,M3.5.0/-1,M10.5.0/0")
    let zone = try ZoneRule.fromTZif(bytes, name: "v\(version)")
    #expect(zone.offset(atEpochSeconds: 1_783_987_200) == -3600)  // July 2026
    #expect(zone.offset(atEpochSeconds: 1_769_162_400) == -7200)  // January 2026
  }

  @Test func versionOneFileKeepsTheLastOffsetAfterItsLastTransition() throws {
    let bytes = tzif(
      version: 0, times: [-1_000_000, 500_000_000], types: [1, 0], offsets: [3600, 7200],
      footer: "")
    let zone = try ZoneRule.fromTZif(bytes, name: "v1")
    #expect(zone.offset(atEpochSeconds: -2_000_000) == 3600)  // before: type 0
    #expect(zone.offset(atEpochSeconds: 0) == 7200)
    #expect(zone.offset(atEpochSeconds: 499_999_999) == 7200)
    #expect(zone.offset(atEpochSeconds: 500_000_000) == 3600)
    #expect(zone.offset(atEpochSeconds: 4_000_000_000) == 3600)
  }

  @Test func fixedFooterWithoutTransitionsIsAFixedZone() throws {
    let bytes = tzif(version: 0x32, times: [], types: [], offsets: [10_800], footer: "<+03>-3")
    let zone = try ZoneRule.fromTZif(bytes, name: "Etc/GMT-3")
    #expect(zone.table == nil)
    #expect(zone.offset(atEpochSeconds: 123_456_789) == 10_800)
  }

  @Test func redundantTransitionsAreDropped() throws {
    let contents = TZif.Contents(
      times: [0, 100, 200, 300], offsets: [3600, 3600, 0, 0], initialOffset: 0, footer: nil)
    let table = ZoneTable(contents)
    #expect(table.times == [0, 200])
    #expect(table.offsets == [3600, 0])
  }

  @Test func everyTruncationIsAnInvalidFile() {
    let bytes = tzif(
      version: 0x32, times: [1_173_596_400], types: [1], offsets: [-18_000, -14_400],
      footer: "EST5EDT,M3.2.0,M11.1.0")
    for length in 0..<bytes.count {
      #expect(throws: ZoneError.self) { try ZoneRule.fromTZif(Array(bytes[0..<length]), name: "t") }
    }
  }

  @Test func malformedFilesAreInvalid() {
    func expectInvalid(_ bytes: [UInt8], _ label: Comment) {
      do {
        _ = try ZoneRule.fromTZif(bytes, name: "bad")
        Issue.record("accepted: \(label)")
      } catch {
        if case .invalidZoneFile = error {} else { Issue.record("\(label): \(error)") }
      }
    }
    let good = tzif(
      version: 0x32, times: [10, 20], types: [1, 0], offsets: [0, 3600], footer: "UTC0")
    var badMagic = good
    badMagic[0] = 0x74
    expectInvalid(badMagic, "magic")
    var badVersion = good
    badVersion[4] = 0x31
    expectInvalid(badVersion, "version")
    expectInvalid(
      tzif(version: 0x32, times: [20, 10], types: [1, 0], offsets: [0, 3600], footer: ""),
      "descending transitions")
    expectInvalid(
      tzif(version: 0x32, times: [10], types: [2], offsets: [0, 3600], footer: ""),
      "type index out of range")
    expectInvalid(
      tzif(version: 0x32, times: [], types: [], offsets: [Int32.min], footer: ""), "offset")
    expectInvalid(
      tzif(version: 0x32, times: [], types: [], offsets: [0], footer: "EST5EDT,M3"), "footer")
    expectInvalid(
      tzif(version: 0x32, times: [], types: [], offsets: [], footer: ""), "no types")
    #expect(throws: Never.self) { try ZoneRule.fromTZif(good, name: "good") }
  }
}
