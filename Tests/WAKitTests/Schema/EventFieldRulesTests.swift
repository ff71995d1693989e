import Testing

@testable import WAKit

/// The value rules that need more than a type: E.164 `userId`, RFC 3339 timestamps and
/// ISO 3166-1 country codes; and what a valid line leaves in `EventView`.
@Suite("EventValidator field rules")
struct EventFieldRulesTests {
  // MARK: userId (E.164)

  @Test(
    "valid E.164 numbers",
    arguments: [
      ("+254712345678", 254, "KE"), ("+14155550123", 1, "US"), ("+254700000000", 254, "KE"),
    ] as [(String, Int, String)])
  func validE164(_ number: String, _ callingCode: Int, _ region: String) {
    let verdict = validate(EventLine(.read).with("userId", q(number)))
    #expect(verdict.valid, "\(verdict)")
    #expect(verdict.event.callingCode == UInt16(callingCode))
    #expect(verdict.event.region?.string == region)
  }

  @Test(
    "7 and 15 digits are the bounds",
    arguments: ["+2547123", "+254712345678901", "+1415555", "+141555501234567"])
  func lengthBounds(_ number: String) {
    #expect(validate(EventLine(.read).with("userId", q(number))).valid, "\(number)")
  }

  @Test(
    "invalid E.164 numbers",
    arguments: [
      "254712345678",  // no +
      "+",  // no digits
      "+254712",  // 6 digits
      "+2547123456789012",  // 16 digits
      "+0254712345678",  // leading 0
      "+0712345678",
      "+25471234567a",  // a letter
      "+254 712 345 678",  // spaces
      "+254712345678 ",  // a trailing space
      "+254-712-345678",  // dashes
      "+(254)712345678",
      "++254712345678",
      "00254712345678",  // international prefix instead of +
      "+２５４712345678",  // full-width digits
      "+٢٥٤712345678",  // Arabic-Indic digits
      "+999123456789",  // unassigned calling code 999
      "+99912345678",
      "+9991234567890",
    ])
  func invalidE164(_ number: String) {
    let verdict = validate(EventLine(.read).with("userId", q(number)))
    #expect(verdict.only == "invalid_e164 userId", "\(number): \(verdict)")
  }

  @Test func userIdEscapesAreDecodedFirst() {
    #expect(validate(EventLine(.read).with("userId", #""\u002B254712345678""#)).valid)
    #expect(
      validate(EventLine(.read).with("userId", #""+254712345678\n""#)).only == "invalid_e164 userId"
    )
    #expect(validate(EventLine(.read).with("userId", #""+25471234567\u0038""#)).valid)
  }

  /// The digit check reads eight bytes at a time (two overlapping words); compared here, on
  /// numbers of every length with one byte anywhere made a non-digit, with the rule read one
  /// byte at a time.
  @Test func everyByteAfterThePlusIsCheckedWhateverTheLength() {
    var rng = SeededGenerator(seed: 164)
    let nonDigits = Array("/:+ a-.".utf8)
    for _ in 0..<3_000 {
      var digits = (0..<Int.random(in: 5...17, using: &rng)).map { _ in
        UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &rng)
      }
      digits[0] = UInt8(ascii: "2")  // +2… codes: the lookup is not what is tested here
      if Bool.random(using: &rng) {
        digits[Int.random(in: 0..<digits.count, using: &rng)] = nonDigits.randomElement(
          using: &rng)!
      }
      let number = "+" + String(decoding: digits, as: UTF8.self)
      let allDigits = digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
      let known = digits.withUnsafeBytes { PhoneRegions.lookup(digits: $0) } != nil
      let expected = (7...15).contains(digits.count) && allDigits && known
      let verdict = validate(EventLine(.read).with("userId", q(number)))
      #expect(verdict.valid == expected, "\(number): \(verdict)")
      if !expected { #expect(verdict.only == "invalid_e164 userId", "\(number): \(verdict)") }
    }
  }

  @Test(
    "userId type",
    arguments: [
      (nil, "missing_field userId"), ("null", "missing_field userId"),
      ("254712345678", "wrong_type userId"), ("+254712345678", nil), ("[]", "wrong_type userId"),
    ] as [(String?, String?)])
  func userIdType(_ raw: String?, _ expected: String?) {
    let verdict = validate(EventLine(.read).with("userId", raw))
    if raw == "+254712345678" {
      // Not even JSON: a number cannot start with '+'.
      #expect(verdict.only == "invalid_json userId")
    } else {
      #expect(verdict.only == expected, "\(verdict)")
    }
  }

  @Test func aNonGeographicCallingCodeHasNoRegion() {
    // +800 is International Freephone: an assigned calling code without a region.
    let verdict = validate(EventLine(.read).with("userId", q("+80012345678")))
    #expect(verdict.valid, "\(verdict)")
    #expect(verdict.event.region == nil)
    // So a countryCode cannot disagree with it.
    let withCountry = validate(
      EventLine(.read).with("userId", q("+80012345678")).withProperty("countryCode", q("KE")))
    #expect(withCountry.valid && withCountry.warnings.isEmpty)
  }

  // MARK: timestamp (RFC 3339)

  static let validTimestamps = [
    "2026-01-23T10:00:00.000Z", "2026-01-23T13:00:00+03:00", "2026-01-23T10:00:00Z",
    "2026-01-23T05:00:00-05:00", "2026-01-23T10:00:00.123456789Z", "2024-02-29T12:00:00Z",
    "2026-12-31T23:59:59.5+00:00",
  ]

  static let invalidTimestamps = [
    "2026-13-01T00:00:00Z",  // month 13
    "2026-02-30T00:00:00Z",  // 30 February
    "2025-02-29T00:00:00Z",  // not a leap year
    "2026-01-23T24:00:00Z",  // hour 24
    "2026-01-23T10:60:00Z",  // minute 60
    "2026-01-23T10:00:00",  // no offset
    "2026-01-23T10:00:00+0300",  // offset without a colon
    "2026-01-23T10:00:00.1234567890Z",  // 10 fractional digits
    "2026-01-23T10:00:00.Z",  // a point without digits
    "2026-01-23",  // a date only
    "10:00:00Z",  // a time only
    "yesterday", "", "1769162400", "2026-01-23T10:00:00ZZ", "26-01-23T10:00:00Z",
  ]

  @Test("valid timestamps", arguments: validTimestamps)
  func validTimestamp(_ text: String) {
    for kind in [EventKind.received, .read] {
      let verdict = validate(EventLine(kind).with("timestamp", q(text)))
      #expect(verdict.valid, "\(text): \(verdict)")
      #expect(verdict.event.timestamp != nil)
    }
  }

  @Test("invalid timestamps", arguments: invalidTimestamps)
  func invalidTimestamp(_ text: String) {
    for kind in [EventKind.sent, .contactCreated] {
      let verdict = validate(EventLine(kind).with("timestamp", q(text)))
      #expect(verdict.only == "invalid_timestamp timestamp", "\(text): \(verdict)")
      #expect(verdict.event.timestamp == nil || !verdict.valid)
    }
  }

  @Test func timestampValuesReachTheEventView() {
    let utc = validate(EventLine(.sent).with("timestamp", q("2026-01-23T10:00:00.000Z")))
    #expect(utc.event.timestamp == Timestamp(seconds: 1_769_162_400))
    let offset = validate(EventLine(.sent).with("timestamp", q("2026-01-23T13:00:00+03:00")))
    #expect(offset.event.timestamp == Timestamp(seconds: 1_769_162_400))
    let later = validate(EventLine(.sent).with("timestamp", q("2026-01-23T10:00:01Z")))
    #expect(later.event.timestamp != utc.event.timestamp)
    let received = validate(
      EventLine(.read).with("timestamp", nil).with("receivedAt", q("2026-01-23T10:00:00Z")))
    #expect(received.event.receivedAt == Timestamp(seconds: 1_769_162_400))
    // With a timestamp, receivedAt is not needed and not read.
    let both = validate(
      EventLine(.read).with("timestamp", q("2026-01-23T09:00:00Z"))
        .with("receivedAt", q("2026-01-23T10:00:00Z")))
    #expect(both.event.receivedAt == nil)
    // An escaped timestamp is decoded before parsing.
    let escaped = validate(EventLine(.sent).with("timestamp", #""2026-01-23T10:00:00\u002e000Z""#))
    #expect(escaped.valid && escaped.event.timestamp != nil)
  }

  // MARK: countryCode

  @Test(
    "valid country codes, either case",
    arguments: ["KE", "ke", "Ke", "kE", #"\u004bE"#])
  func validCountryCode(_ code: String) {
    for event in [
      EventLine(.read).withProperty("countryCode", q(code)),
      EventLine(.read).withContext("countryCode", q(code)),
      EventLine(.contactCreated).withProperty("countryCode", q(code)),
    ] {
      let verdict = validate(event)
      #expect(verdict.valid && verdict.warnings.isEmpty, "\(code): \(verdict)")
    }
  }

  @Test(
    "invalid country codes",
    arguments: ["XX", "xx", "KEN", "ken", "k1", "K", "", "1K", "12", "K E", "KE ", "É1", "ZZZ"])
  func invalidCountryCode(_ code: String) {
    let inProperties = validate(EventLine(.read).withProperty("countryCode", q(code)))
    #expect(inProperties.only == "invalid_country_code properties.countryCode", "\(code)")
    let inContext = validate(EventLine(.read).withContext("countryCode", q(code)))
    #expect(inContext.only == "invalid_country_code context.countryCode", "\(code)")
  }

  @Test func countryCodeTypes() {
    for raw in ["254", "true", #"["KE"]"#, #"{"code":"KE"}"#] {
      #expect(
        validate(EventLine(.read).withProperty("countryCode", raw)).only
          == "wrong_type properties.countryCode")
      #expect(
        validate(EventLine(.read).withContext("countryCode", raw)).only
          == "wrong_type context.countryCode")
    }
    #expect(validate(EventLine(.read).withProperty("countryCode", "null")).valid)
    #expect(validate(EventLine(.read).withContext("countryCode", "null")).valid)
  }

  // MARK: EventView

  @Test func eventViewOfValidLines() {
    let validator = EventValidator()
    let sent = validate(EventLine(.sent).json, with: validator)
    #expect(sent.valid)
    #expect(sent.event.kind == .sent)
    #expect(sent.event.timestamp != nil)
    #expect(sent.event.callingCode == 254)
    #expect(sent.event.region?.string == "KE")

    let us = validate(
      EventLine(.read).with("userId", q("+14155550123")).with("timestamp", nil).json,
      with: validator)
    #expect(us.valid)
    #expect(us.event.kind == .read)
    #expect(us.event.timestamp == nil)  // not carried over from the line before
    #expect(us.event.receivedAt == nil)
    #expect(us.event.callingCode == 1)
    #expect(us.event.region?.string == "US")

    for kind in EventKind.allCases {
      #expect(validate(EventLine(kind).json, with: validator).event.kind == kind)
    }
  }
}
