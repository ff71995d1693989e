import Testing

@testable import WAKit

/// Version 2 of SPEC §2: a `userId` is a phone number or a BSUID, `context.bsuid` and
/// `context.username`, the `pricing` object, and the collector's `chat.assigned` and
/// `campaign.sent`.
@Suite("EventValidator identity and version 2 vocabulary")
struct EventIdentityTests {
  // MARK: BSUID userId

  @Test(
    "BSUIDs are user ids, and carry their region",
    arguments: [
      ("US.13491208655302741918", "US"), ("BR.1502576394655843", "BR"),
      ("US.ENT.11815799212886844830", "US"), ("ZZ.3f9a0b", "ZZ"), ("KE.a", "KE"),
      ("US.ENT", "US"),  // no second dot: an ordinary body that reads "ENT"
      ("GB." + String(repeating: "a", count: 128), "GB"),
      ("GB.ENT." + String(repeating: "Z9", count: 64), "GB"),
    ] as [(String, String)])
  func validBSUID(_ id: String, _ region: String) {
    let verdict = validate(EventLine(.received).with("userId", q(id)))
    #expect(verdict.valid && verdict.warnings.isEmpty, "\(id): \(verdict)")
    #expect(verdict.event.userIdForm == .bsuid)
    #expect(verdict.event.bsuidRegion?.string == region)
    #expect(verdict.event.region == nil)
    #expect(verdict.event.userRegion?.string == region)
    #expect(verdict.event.callingCode == 0)
  }

  @Test func aPhoneNumberIsThePhoneForm() {
    let verdict = validate(EventLine(.received))
    #expect(verdict.event.userIdForm == .phone)
    #expect(verdict.event.bsuidRegion == nil)
    #expect(verdict.event.userRegion?.string == "KE")
  }

  @Test(
    "malformed BSUIDs and other strings are invalid_user_id",
    arguments: [
      "", " ", "user.93731234", "us.13491208655302741918", "Us.1", "U.1", "US", "US.", "US-1",
      "USA.1", "XX.123", "EU.123", "UK.123", "US.ENT.", "US..1", "US.1.2", "US.12 34",
      "US.1234-5678", "US.é", " US.1", "US.1 ", "tel:+254712345678",
      "GB." + String(repeating: "a", count: 129),
      "GB.ENT." + String(repeating: "a", count: 129), "system",
    ])
  func invalidUserId(_ id: String) {
    let verdict = validate(EventLine(.received).with("userId", q(id)))
    #expect(verdict.only == "invalid_user_id userId", "\(id): \(verdict)")
    #expect(verdict.problems.first?.message.isEmpty == false)
  }

  @Test(
    "what looks like a number stays invalid_e164", arguments: ["254712345678", "+US.1", "1.23"])
  func looksLikeANumber(_ id: String) {
    #expect(validate(EventLine(.received).with("userId", q(id))).only == "invalid_e164 userId")
  }

  @Test func theMessagesSayWhatIsWrong() {
    func message(_ id: String) -> String {
      validate(EventLine(.received).with("userId", q(id))).problems.first?.message ?? ""
    }
    #expect(message("user.1").contains("BSUID such as US."))
    #expect(message("XX.1").contains("not an assigned ISO 3166-1"))
    #expect(message("US.a-b").contains("1 to 128 ASCII letters or digits"))
  }

  @Test func anEscapedBSUIDIsDecodedFirst() {
    let verdict = validate(EventLine(.received).with("userId", #""US.\u0031234""#))
    #expect(verdict.valid && verdict.event.bsuidRegion?.string == "US", "\(verdict)")
  }

  @Test func aCountryCodeIsCheckedAgainstTheBSUIDPrefix() {
    let event = EventLine(.contactCreated).with("userId", q("BR.1502576394655843"))
    #expect(validate(event.withProperty("countryCode", q("BR"))).warnings.isEmpty)
    #expect(
      validate(event.withProperty("countryCode", q("KE"))).warnings == [
        "warning:country_mismatch properties.countryCode"
      ])
    // ZZ says "unknown": nothing to disagree with.
    let unknown = EventLine(.contactCreated).with("userId", q("ZZ.1502576394655843"))
    #expect(validate(unknown.withProperty("countryCode", q("KE"))).warnings.isEmpty)
  }

  // MARK: context.bsuid, context.username

  @Test func contextBSUIDAndUsername() {
    let both = EventLine(.received).withContext("bsuid", q("KE.8812345")).withContext(
      "username", q("@amina"))
    #expect(validate(both).valid && validate(both).warnings.isEmpty)
    #expect(validate(EventLine(.received).withContext("bsuid", "null")).valid)
    #expect(validate(EventLine(.received).withContext("username", "null")).valid)
    #expect(validate(EventLine(.received).withContext("username", q(""))).valid)
    for raw in [q("user.1"), q(""), q("+254712345678"), q("KE.")] {
      let verdict = validate(EventLine(.received).withContext("bsuid", raw))
      #expect(verdict.only == "invalid_user_id context.bsuid", "\(raw): \(verdict)")
    }
    for raw in ["1", "true", "{}", "[]"] {
      #expect(
        validate(EventLine(.received).withContext("bsuid", raw)).only
          == "wrong_type context.bsuid")
      #expect(
        validate(EventLine(.received).withContext("username", raw)).only
          == "wrong_type context.username")
    }
  }

  // MARK: pricing

  @Test("pricing on sent, delivered and read", arguments: [EventKind.sent, .delivered, .read])
  func pricing(_ kind: EventKind) {
    for raw in [
      "{}", #"{"billable":true}"#, #"{"model":"CBP","category":"utility"}"#,
      #"{"billable":false,"model":"PMP","category":"authentication_international","type":"free_entry_point","extra":1}"#,
      #"{"billable":null,"model":null}"#, "null",
    ] {
      let verdict = validate(EventLine(kind).withProperty("pricing", raw))
      #expect(verdict.valid, "\(raw): \(verdict)")
    }
    for (raw, error) in [
      ("true", "wrong_type properties.pricing"), ("[]", "wrong_type properties.pricing"),
      (q("PMP"), "wrong_type properties.pricing"),
      (#"{"billable":"true"}"#, "wrong_type properties.pricing.billable"),
      (#"{"model":1}"#, "wrong_type properties.pricing.model"),
      (#"{"category":{}}"#, "wrong_type properties.pricing.category"),
      (#"{"type":[]}"#, "wrong_type properties.pricing.type"),
      (#"{"type":"a","type":"b"}"#, "duplicate_key properties.pricing.type"),
    ] {
      let verdict = validate(EventLine(kind).withProperty("pricing", raw))
      #expect(verdict.only == error, "\(raw): \(verdict)")
    }
  }

  @Test func pricingElsewhereIsPassedThrough() {
    // Only sent/delivered/read define it; on other events it is an unknown member.
    #expect(validate(EventLine(.received).withProperty("pricing", "5")).valid)
    // A member named like a pricing one outside `pricing` is not one.
    #expect(validate(EventLine(.read).withProperty("billable", q("yes"))).valid)
  }

  // MARK: chat.assigned, campaign.sent

  @Test func chatAssigned() {
    #expect(validate(EventLine(.assigned)).valid)
    #expect(validate(EventLine(.assigned)).event.kind == .assigned)
    #expect(validate(EventLine(.assigned).withProperty("previousAgentId", q("agent_1"))).valid)
    #expect(
      validate(EventLine(.assigned).withProperty("previousAgentId", "3")).only
        == "wrong_type properties.previousAgentId")
    #expect(
      validate(EventLine(.assigned).with("userId", q("nobody"))).only == "invalid_user_id userId")
    #expect(validate(EventLine(.assigned).with("timestamp", nil)).valid)
  }

  @Test func campaignSentUserIdIsFree() {
    let base = EventLine(.campaignSent)
    for raw in [q("system"), q("+254712345678"), q("x"), "null"] {
      let verdict = validate(base.with("userId", raw))
      #expect(verdict.valid, "\(raw): \(verdict)")
      #expect(verdict.event.userIdForm == .other)
      #expect(verdict.event.region == nil && verdict.event.bsuidRegion == nil)
    }
    #expect(validate(base.with("userId", nil)).valid)
    #expect(validate(base.with("userId", q(""))).only == "invalid_value userId")
    #expect(validate(base.with("userId", "5")).only == "wrong_type userId")
  }

  @Test(
    "recipientCount is an integer ≥ 0",
    arguments: [
      ("0", nil), ("1200", nil), ("12.0", nil), ("null", nil), ("-1", "invalid_value"),
      ("1.5", "wrong_type"), (q("12"), "wrong_type"),
    ] as [(String, String?)])
  func recipientCount(_ raw: String, _ code: String?) {
    let verdict = validate(EventLine(.campaignSent).withProperty("recipientCount", raw))
    #expect(verdict.only == code.map { "\($0) properties.recipientCount" }, "\(raw): \(verdict)")
  }

  @Test func newNamesAreEventNames() {
    #expect(EventKind.allCases.map(\.name).contains("chat.assigned"))
    #expect(EventKind.allCases.map(\.name).contains("campaign.sent"))
    #expect(!EventKind.assigned.isMessage && !EventKind.campaignSent.isMessage)
    #expect(EventKind.failed.isMessage && EventKind.received.isMessage)
  }

  // MARK: the content types

  @Test func everyListedContentTypeIsKnownAndNoOther() {
    for type in ContentTypes.all {
      let known = type.withUTF8Buffer { ContentTypes.isKnown($0.baseAddress!, $0.count) }
      #expect(known, "\(type)")
    }
    for other in ["voice", "orders", "Text", "requestwelcome", "unsupporte"] {
      var s = other
      #expect(!s.withUTF8 { ContentTypes.isKnown($0.baseAddress!, $0.count) }, "\(other)")
    }
  }
}
