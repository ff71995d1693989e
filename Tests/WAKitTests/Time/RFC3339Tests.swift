import Testing

@testable import WAKit

/// Parses `text` through the byte API, exactly as the validator calls it.
private func parse(_ text: String) -> Timestamp? {
  Array(text.utf8).withUnsafeBytes { RFC3339.parse($0) }
}

@Suite("RFC3339")
struct RFC3339Tests {
  @Test(
    arguments: [
      ("1970-01-01T00:00:00Z", 0, 0),
      ("2026-01-23T10:00:00Z", 1_769_162_400, 0),
      ("2026-01-23T10:00:00.123456789+03:00", 1_769_151_600, 123_456_789),
      ("2026-01-23T10:00:00.5Z", 1_769_162_400, 500_000_000),
      ("2026-01-23T10:00:00.000000001Z", 1_769_162_400, 1),
      ("2026-01-23T10:00:00.120Z", 1_769_162_400, 120_000_000),
      ("2026-01-23T10:00:00-00:00", 1_769_162_400, 0),
      ("2026-01-23T00:30:00+01:00", 1_769_124_600, 0),  // the previous UTC day
      ("2026-01-23T23:59:59-23:59", 1_769_299_139, 0),  // the next UTC day
      ("2024-02-29T12:00:00Z", 1_709_208_000, 0),  // leap year
      ("2000-02-29T00:00:00Z", 951_782_400, 0),  // divisible by 400: leap
      ("1969-07-20T20:17:40Z", -14_182_940, 0),
      ("1900-03-01T00:00:00Z", -2_203_891_200, 0),
      ("2038-01-19T03:14:08Z", 2_147_483_648, 0),  // past 32-bit time_t
      ("2100-03-01T00:00:00Z", 4_107_542_400, 0),
      ("0000-01-01T00:00:00Z", -62_167_219_200, 0),
      ("9999-12-31T23:59:59.999999999Z", 253_402_300_799, 999_999_999),
      ("2026-01-23t10:00:00z", 1_769_162_400, 0),  // lowercase t and z (RFC 3339 §5.6)
      ("2026-01-23t10:00:00.5z", 1_769_162_400, 500_000_000),
    ] as [(String, Int64, Int32)])
  func acceptsValidDateTimes(_ text: String, _ seconds: Int64, _ nanos: Int32) {
    #expect(parse(text) == Timestamp(seconds: seconds, nanoseconds: nanos), "\(text)")
  }

  @Test(
    arguments: [
      "2016-12-31T23:59:60Z", "2016-12-31T23:59:60.5Z", "2016-12-31T18:59:60-05:00",
      "2017-01-01T01:29:60+01:30",
    ])
  func readsLeapSecondAsLastInstantOfTheMinute(_ text: String) {
    #expect(parse(text) == Timestamp(seconds: 1_483_228_799, nanoseconds: 999_999_999))
  }

  @Test(
    arguments: [
      // Calendar
      "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
      "2024-02-30T00:00:00Z", "2026-04-31T00:00:00Z", "2026-06-31T00:00:00Z",
      "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-01-00T00:00:00Z",
      "2026-01-32T00:00:00Z",
      // Time of day
      "2026-01-23T24:00:00Z", "2026-01-23T23:60:00Z", "2026-01-23T23:59:61Z",
      "2026-01-23T10:00:60Z", "2016-12-31T23:59:60+01:00", "2016-12-31T22:59:60Z",
      // Offsets
      "2026-01-23T10:00:00+24:00", "2026-01-23T10:00:00+03:60", "2026-01-23T10:00:00+0300",
      "2026-01-23T10:00:00+03", "2026-01-23T10:00:00+3:00", "2026-01-23T10:00:00 +03:00",
      "2026-01-23T10:00:00+03:00Z", "2026-01-23T10:00:00ZZ", "2026-01-23T10:00:00UTC",
      "2026-01-23T10:00:00+03:00:00", "2026-01-23T10:00:00−03:00",
      // Missing offset
      "2026-01-23T10:00:00", "2026-01-23T10:00:00.123", "2026-01-23",
      // Fractions: none after the dot, ten digits, a comma
      "2026-01-23T10:00:00.Z", "2026-01-23T10:00:00.1234567890Z", "2026-01-23T10:00:00,5Z",
      // Shape
      "2026-01-23 10:00:00Z", "2026-01-23_10:00:00Z", "26-01-23T10:00:00Z",
      "+2026-01-23T10:00:00Z", "20260-01-23T10:00:00Z", "2026/01/23T10:00:00Z",
      "2026-1-23T10:00:00Z", "2026-01-23T1:00:00Z", " 2026-01-23T10:00:00Z",
      "2026-01-23T10:00:00Z ", "2026-01-23T10:00:00Z\n", "2026-01-23T10:00Z",
      "2026-01-23X10:00:00Z", "2026-01-23T10-00-00Z", "2026-01-23T10:00:00Zgarbage",
      "2O26-01-23T10:00:00Z", "２０２６-01-23T10:00:00Z", "",
      "garbage", "\"2026-01-23T10:00:00Z\"", "1769162400", "2026-01-23T10:00:00.+03:00",
    ])
  func rejectsInvalidDateTimes(_ text: String) {
    #expect(parse(text) == nil, "\(text)")
  }

  @Test(
    arguments: [
      "2026-01-23T10:00:00Z", "2026-01-23T10:00:00.123456789+03:00",
      "2026-01-23T10:00:00.5-05:30",
    ])
  func rejectsEveryTruncation(_ text: String) {
    let bytes = Array(text.utf8)
    for length in 0..<bytes.count {
      let prefix = bytes[0..<length].withUnsafeBytes { RFC3339.parse($0) }
      #expect(prefix == nil, "\(String(decoding: bytes[0..<length], as: UTF8.self))")
    }
    #expect(parse(text) != nil)
  }

  @Test func rejectsEverySingleByteCorruption() {
    let valid = Array("2026-01-23T10:00:00.123+03:00".utf8)
    let replacements: [UInt8] = [0x00, 0x20, 0x41, 0x2F, 0x3A, 0xFF]
    for position in valid.indices {
      for replacement in replacements where replacement != valid[position] {
        var bytes = valid
        bytes[position] = replacement
        #expect(bytes.withUnsafeBytes { RFC3339.parse($0) } == nil, "\(position): \(replacement)")
      }
    }
  }

  @Test func zeroLengthBufferWithoutBaseAddressIsInvalid() {
    #expect(RFC3339.parse(UnsafeRawBufferPointer(start: nil, count: 0)) == nil)
  }

  @Test(
    arguments: [
      (1_795_600_800, 0, 3, "2026-11-25T10:00:00.000Z"),
      (1_795_600_800, 0, 0, "2026-11-25T10:00:00Z"),
      (1_769_151_600, 123_456_789, 9, "2026-01-23T07:00:00.123456789Z"),
      (1_769_151_600, 123_456_789, 3, "2026-01-23T07:00:00.123Z"),  // truncated
      (1_769_151_600, 999_999_999, 1, "2026-01-23T07:00:00.9Z"),  // not rounded up
      (0, 0, 3, "1970-01-01T00:00:00.000Z"),
      (-1, 500_000_000, 3, "1969-12-31T23:59:59.500Z"),
      (-62_167_219_200, 0, 0, "0000-01-01T00:00:00Z"),
      (253_402_300_799, 0, 0, "9999-12-31T23:59:59Z"),
      (253_402_300_800, 0, 0, "+10000-01-01T00:00:00Z"),  // ISO 8601 expanded year
      (-62_167_219_201, 0, 0, "-0001-12-31T23:59:59Z"),
      (1_795_600_800, 0, -4, "2026-11-25T10:00:00Z"),  // digits clamped to 0...9
      (1_795_600_800, 7, 12, "2026-11-25T10:00:00.000000007Z"),
      (1_795_600_800, 1_500_000_000, 3, "2026-11-25T10:00:01.500Z"),  // nanos carried
      (1_795_600_800, -1, 3, "2026-11-25T09:59:59.999Z"),
    ] as [(Int64, Int32, Int, String)])
  func formatsUTC(_ seconds: Int64, _ nanos: Int32, _ digits: Int, _ text: String) {
    let t = Timestamp(seconds: seconds, nanoseconds: nanos)
    #expect(RFC3339.format(t, fractionDigits: digits) == text)
  }

  @Test func formatDefaultsToMilliseconds() {
    #expect(RFC3339.format(Timestamp(seconds: 1_795_600_800)) == "2026-11-25T10:00:00.000Z")
  }

  @Test func formatNeverTrapsAtTheEndsOfInt64() {
    #expect(RFC3339.format(Timestamp(seconds: .max, nanoseconds: 999_999_999)).hasPrefix("+"))
    #expect(RFC3339.format(Timestamp(seconds: .min)).hasPrefix("-"))
  }

  @Test func formatThenParseRoundTripsOverYears0To9999() {
    var state: UInt64 = 0x5EED
    func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    let low: Int64 = -62_167_219_200
    let span = UInt64(253_402_300_800 - low)
    for _ in 0..<20_000 {
      let t = Timestamp(
        seconds: low + Int64(next() % span), nanoseconds: Int32(next() % 1_000_000_000))
      let text = RFC3339.format(t, fractionDigits: 9)
      #expect(parse(text) == t, "\(text)")
      let millis = Timestamp(seconds: t.seconds, nanoseconds: t.nanoseconds / 1_000_000 * 1_000_000)
      #expect(parse(RFC3339.format(t)) == millis)
    }
  }

  @Test func timestampsOrderBySecondsThenNanoseconds() {
    let a = Timestamp(seconds: -1, nanoseconds: 999_999_999)
    let b = Timestamp(seconds: 0)
    let c = Timestamp(seconds: 0, nanoseconds: 1)
    #expect(a < b && b < c && !(c < a))
    #expect([c, a, b].sorted() == [a, b, c])
    #expect(Timestamp(seconds: 5) == Timestamp(seconds: 5, nanoseconds: 0))
  }

  /// `parseCommon` and `parseAny` on the same bytes: the fast path may decline (nil) but must
  /// never accept what the general parser rejects, nor read another instant.
  static func expectCommonAgrees(_ bytes: [UInt8]) -> Bool {
    let common = bytes.withUnsafeBytes { b in
      b.baseAddress.flatMap { RFC3339.parseCommon($0, b.count) }
    }
    let any = bytes.withUnsafeBytes { RFC3339.parseAny($0) }
    guard let common else { return true }
    #expect(common == any, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
    return common == any
  }

  @Test func theCommonShapesAreReadAsTheGeneralParserReadsThem() {
    var random = SeededGenerator(seed: 3339)
    func digits(_ value: UInt64, _ width: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    var taken = 0
    for round in 0..<100_000 {
      // Fields over their valid ranges and a little past them (day 29–31 in every month,
      // February of leap and common years, hour 24, minute and second 60).
      let year =
        round % 4 == 0 ? [1900, 2000, 2024, 2100, 0, 9999][round % 6] : Int(random.next() % 10_000)
      let month = Int(random.next() % 14)
      let day = Int(random.next() % 33)
      let hour = Int(random.next() % 25)
      let minute = Int(random.next() % 61)
      let second = Int(random.next() % 61)
      var text = "\(digits(UInt64(year), 4))-\(digits(UInt64(month), 2))-\(digits(UInt64(day), 2))"
      text += "\(round % 5 == 0 ? "t" : "T")\(digits(UInt64(hour), 2)):\(digits(UInt64(minute), 2))"
      text += ":\(digits(UInt64(second), 2))"
      switch round % 4 {
      case 0: break
      case 1: text += "." + digits(random.next() % 1000, 3)
      case 2: text += "." + digits(random.next() % 1_000_000_000, Int(random.next() % 10))
      default: text += "." + digits(random.next() % 1000, 3) + "+01:00"
      }
      text += round % 7 == 0 ? "z" : "Z"
      var bytes = Array(text.utf8)
      if round % 3 == 0 {
        // One byte replaced: digits, separators, letters, the fraction's dot.
        let alphabet = Array("0123456789-:.TtZz+ /A".utf8) + [0x00, 0xFF]
        bytes[Int(random.next() % UInt64(bytes.count))] =
          alphabet[Int(random.next() % UInt64(alphabet.count))]
      }
      guard Self.expectCommonAgrees(bytes) else { return }
      if bytes.withUnsafeBytes({ b in RFC3339.parseCommon(b.baseAddress!, b.count) }) != nil {
        taken += 1
      }
    }
    // The fast path took a good share of the valid ones (a fast path that declines
    // everything would pass the loop above).
    #expect(taken > 10_000)
  }

  @Test(
    arguments: [
      "2026-01-23T10:00:00Z", "2026-01-23T10:00:00.123Z", "2024-02-29T23:59:59.999Z",
      "2000-02-29T00:00:00z", "1900-02-28T12:34:56.007Z", "0000-01-01T00:00:00Z",
      "9999-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z",
    ])
  func theFastPathTakesTheCommonShapes(_ text: String) {
    let bytes = Array(text.utf8)
    let common = bytes.withUnsafeBytes { RFC3339.parseCommon($0.baseAddress!, $0.count) }
    #expect(common != nil, "\(text)")
    #expect(common == bytes.withUnsafeBytes { RFC3339.parseAny($0) }, "\(text)")
  }

  @Test(
    arguments: [
      "2016-12-31T23:59:60Z", "2016-12-31T23:59:60.500Z", "2023-02-29T00:00:00Z",
      "2026-01-23T10:00:00.12Z", "2026-01-23T10:00:00.1234Z", "2026-01-23T10:00:00+00:00",
      "2026-01-23T10:00:00.123+0", "2026-01-23T10:00:00,123Z", "2026-01-23T10:00:00.12aZ",
    ])
  func theFastPathDeclinesEverythingElse(_ text: String) {
    let bytes = Array(text.utf8)
    #expect(bytes.withUnsafeBytes { RFC3339.parseCommon($0.baseAddress!, $0.count) } == nil)
  }
}
