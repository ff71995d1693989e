import Testing

@testable import WAKit

/// The envelope of SPEC §2 (`type`, `event`, `userId`, `properties`, `context`,
/// `context.channel`), the JSON-level rejections, and the shape of the problem lists.
@Suite("EventValidator envelope")
struct EventValidatorTests {
  @Test("the base event of every kind is valid, without warnings", arguments: EventKind.allCases)
  func baseEventIsValid(_ kind: EventKind) {
    let verdict = validate(EventLine(kind))
    #expect(verdict.valid, "\(verdict)")
    #expect(verdict.errors.isEmpty && verdict.warnings.isEmpty)
    #expect(verdict.event.kind == kind)
  }

  @Test("the seed document's example is valid")
  func seedExample() {
    let line =
      #"{"type":"track","event":"message.received","userId":"+254712345678","#
      + #""timestamp":"2026-01-23T10:00:00.000Z","receivedAt":"2026-01-23T10:00:00.250Z","#
      + #""messageId":"top-level-is-not-checked","anonymousId":null,"integrations":{"x":[1]},"#
      + #""properties":{"messageId":"wamid.HBgL","chatId":"chat_254712345678","#
      + #""contentType":"text","hasMedia":false,"extra":{"nested":[null]}},"#
      + #""context":{"channel":"whatsapp","library":{"name":"collector"}}}"#
    let verdict = validate(line)
    #expect(verdict.valid, "\(verdict)")
    #expect(verdict.warnings.isEmpty)
  }

  // MARK: type

  @Test(
    "type",
    arguments: [
      (nil, "missing_field type"), ("null", "missing_field type"), ("1", "wrong_type type"),
      ("true", "wrong_type type"), ("[]", "wrong_type type"), (#"{"t":1}"#, "wrong_type type"),
      (q("identify"), "invalid_value type"), (q("Track"), "invalid_value type"),
      (q("TRACK"), "invalid_value type"), (q("track "), "invalid_value type"),
      (q(""), "invalid_value type"), (#""track\u0000""#, "invalid_value type"),
      (q("track"), nil), (#""tr\u0061ck""#, nil), (#""\u0074\u0072\u0061\u0063\u006B""#, nil),
    ] as [(String?, String?)])
  func type(_ raw: String?, _ expected: String?) {
    let verdict = validate(EventLine(.read).with("type", raw))
    #expect(verdict.only == expected, "\(verdict)")
    #expect(verdict.valid == (expected == nil))
  }

  // MARK: event

  @Test(
    "event",
    arguments: [
      (nil, "missing_field event"), ("null", "missing_field event"), ("7", "wrong_type event"),
      (#"["message.read"]"#, "wrong_type event"), (q("message.deleted"), "unknown_event event"),
      (q(""), "unknown_event event"), (q("MESSAGE.READ"), "unknown_event event"),
      (q("message.read "), "unknown_event event"), (q("message_read"), "unknown_event event"),
      (q("message."), "unknown_event event"), (q("identify"), "unknown_event event"),
      (#""message.read\u0020""#, "unknown_event event"),
      (q("message.read"), nil), (#""message.\u0072ead""#, nil), (#""message\u002eread""#, nil),
    ] as [(String?, String?)])
  func event(_ raw: String?, _ expected: String?) {
    let verdict = validate(EventLine(.read).with("event", raw))
    #expect(verdict.only == expected, "\(verdict)")
  }

  @Test("every event name is known", arguments: EventKind.allCases)
  func eventNames(_ kind: EventKind) {
    // The names of SPEC §2, and nothing close to them.
    #expect(
      [
        "message.received", "message.sent", "message.delivered", "message.read",
        "message.failed", "chat.resolved", "contact.created", "chat.assigned", "campaign.sent",
      ].contains(kind.name))
    let escaped = kind.name.unicodeScalars.map { "\\u" + hex4($0.value) }.joined()
    #expect(validate(EventLine(kind).with("event", q(escaped))).valid)
    #expect(
      validate(EventLine(kind).with("event", q(kind.name + "s"))).only == "unknown_event event")
    #expect(
      validate(EventLine(kind).with("event", q(String(kind.name.dropLast())))).only
        == "unknown_event event")
  }

  func hex4(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 4 - s.count) + s
  }

  @Test func anUnknownEventStillHasItsEnvelopeChecked() {
    let verdict = validate(
      EventLine(.read).with("event", q("message.edited")).with("userId", q("123"))
        .withContext("channel", q("sms")))
    #expect(
      Set(verdict.errors)
        == ["unknown_event event", "invalid_e164 userId", "invalid_value context.channel"])
  }

  // MARK: properties and context

  @Test(
    "properties",
    arguments: [
      (nil, "missing_field properties"), ("null", "missing_field properties"),
      ("[]", "wrong_type properties"), (#"[{"messageId":"m"}]"#, "wrong_type properties"),
      (q("{}"), "wrong_type properties"), ("1", "wrong_type properties"),
      ("false", "wrong_type properties"),
    ] as [(String?, String)])
  func properties(_ raw: String?, _ expected: String) {
    let verdict = validate(EventLine(.read).with("properties", raw))
    #expect(verdict.only == expected, "\(verdict)")
    let message = verdict.problems.first?.message ?? ""
    #expect(raw != "null" || message.contains("null"))
  }

  @Test(
    "context",
    arguments: [
      (nil, "missing_field context"), ("null", "missing_field context"),
      ("[]", "wrong_type context"), (q("whatsapp"), "wrong_type context"),
      ("{}", "missing_field context.channel"),
      (#"{"channel":null}"#, "missing_field context.channel"),
      (#"{"Channel":"whatsapp"}"#, "missing_field context.channel"),
      (#"{"x":{"channel":"whatsapp"}}"#, "missing_field context.channel"),
      (#"{"channel":1}"#, "wrong_type context.channel"),
      (#"{"channel":["whatsapp"]}"#, "wrong_type context.channel"),
      (#"{"channel":"sms"}"#, "invalid_value context.channel"),
      (#"{"channel":"WhatsApp"}"#, "invalid_value context.channel"),
      (#"{"channel":""}"#, "invalid_value context.channel"),
      (#"{"channel":"whatsapp "}"#, "invalid_value context.channel"),
      (#"{"channel":"whatsapp"}"#, nil), (#"{"channel":"wh\u0061tsapp"}"#, nil),
      (#"{"library":{"name":"x"},"channel":"whatsapp","ip":"1.2.3.4"}"#, nil),
    ] as [(String?, String?)])
  func context(_ raw: String?, _ expected: String?) {
    let verdict = validate(EventLine(.read).with("context", raw))
    #expect(verdict.only == expected, "\(verdict)")
  }

  @Test func aTopLevelChannelIsNotContextChannel() {
    let verdict = validate(EventLine(.read).with("channel", q("whatsapp")).with("context", "{}"))
    #expect(verdict.only == "missing_field context.channel")
  }

  @Test func otherMembersArePassedThroughUnchecked() {
    let event = EventLine(.read).with("receivedAt", q("not a time")).with("anonymousId", "5")
      .with("messageId", "[]").with("integrations", #"{"All":true}"#)
      .withProperty("hasMedia", q("not checked for message.read"))
      .withProperty("contentType", "42").withProperty("chatId", "{}")
      .withContext("callingCode", "254").withContext("library", "null")
    let verdict = validate(event)
    #expect(verdict.valid, "\(verdict)")
    #expect(verdict.event.receivedAt == nil)
  }

  // MARK: JSON-level failures

  @Test(
    "JSON-level failures map to their codes",
    arguments: [
      (Array(#"{"type":"track","#.utf8), "invalid_json type"),
      (Array(#"{"a":1,}"#.utf8), "invalid_json a"),
      (Array(#"{'type':'track'}"#.utf8), "invalid_json"),
      (Array(#"{"a":1} {"b":2}"#.utf8), "invalid_json"),
      (Array(#"{"a":NaN}"#.utf8), "invalid_json a"),
      (Array("".utf8), "invalid_json"),
      (Array(#"{"type":"tr"#.utf8) + [0xFF] + Array(#"ack"}"#.utf8), "invalid_utf8 type"),
      ([0x7B, 0xC0, 0x80, 0x7D], "invalid_utf8"),
      (
        Array(
          (String(repeating: #"{"a":"#, count: 64) + "{}" + String(repeating: "}", count: 64)).utf8),
        "too_deep " + Array(repeating: "a", count: 64).joined(separator: ".")
      ),
      (
        Array(String(repeating: "[", count: 100_000).utf8),
        "too_deep " + String(repeating: "[0]", count: 64)
      ),
      (
        Array(#"{"properties":{"messageId":"a","messageId":"b"}}"#.utf8),
        "duplicate_key properties.messageId"
      ),
      (Array(#"{"type":"track","\u0074ype":"track"}"#.utf8), "duplicate_key type"),
      (Array("[]".utf8), "not_an_object"), (Array(#"[{"type":"track"}]"#.utf8), "not_an_object"),
      (Array(q("track").utf8), "not_an_object"), (Array("1".utf8), "not_an_object"),
      (Array("null".utf8), "not_an_object"), (Array("true".utf8), "not_an_object"),
    ] as [([UInt8], String)])
  func jsonFailures(_ bytes: [UInt8], _ expected: String) {
    let verdict = validate(bytes: bytes)
    #expect(!verdict.valid)
    #expect(verdict.errors.count == 1)
    let got = verdict.errors.first.map { $0.hasSuffix(" ") ? String($0.dropLast()) : $0 }
    #expect(got == expected, "\(verdict)")
    #expect(verdict.problems.allSatisfy { !$0.message.isEmpty })
  }

  @Test func notAnObjectSaysWhatItGot() {
    #expect(
      validate("[]").problems.first?.message == "an event must be a JSON object, got an array")
    #expect(validate(" 7 ").problems.first?.message.hasSuffix("got a number") == true)
  }

  @Test func jsonErrorMessagesSayWhereAndWhat() {
    let verdict = validate(#"{"type":"track","event":"message.read",}"#)
    #expect(verdict.only == "invalid_json event")
    #expect(verdict.problems.first?.message == "expected a string key, found '}' at byte 40")
  }

  // MARK: line_too_long

  @Test func aTruncatedLineIsTooLong() throws {
    let full = Array(EventLine(.read).json.utf8)
    for kept in [0, 1, 10, full.count - 1] {
      let verdict = validate(bytes: Array(full[..<kept]), length: full.count)
      #expect(verdict.only == "line_too_long ", "\(verdict)")
      let message = try #require(verdict.problems.first?.message)
      #expect(message.contains("\(full.count)") && message.contains("\(kept)"))
    }
    // Even when the kept prefix happens to be a valid event.
    let valid = Array(EventLine(.read).json.utf8)
    let verdict = validate(bytes: valid, length: valid.count + 1)
    #expect(verdict.only == "line_too_long ")
  }

  // MARK: the problem lists

  @Test func everyProblemIsListedWithItsPath() {
    let line =
      #"{"type":"identify","event":"message.received","userId":"254712345678","#
      + #""timestamp":7,"properties":{"messageId":"","hasMedia":"yes","countryCode":"KEN","#
      + #""replyTo":3,"contentType":false},"context":{"channel":"sms","countryCode":5}}"#
    let verdict = validate(line)
    #expect(!verdict.valid)
    let expected: Set<String> = [
      "invalid_value type", "invalid_e164 userId", "wrong_type timestamp",
      "invalid_value context.channel", "wrong_type context.countryCode",
      "invalid_country_code properties.countryCode", "invalid_value properties.messageId",
      "missing_field properties.chatId", "wrong_type properties.hasMedia",
      "wrong_type properties.replyTo", "wrong_type properties.contentType",
    ]
    #expect(Set(verdict.errors) == expected, "\(verdict)")
    #expect(verdict.errors.count == expected.count)
    #expect(verdict.problems.allSatisfy { !$0.message.isEmpty })
  }

  @Test func missingFieldsOfAnEmptyObject() {
    let verdict = validate("{}")
    #expect(
      Set(verdict.errors) == [
        "missing_field type", "missing_field event", "missing_field userId",
        "missing_field properties", "missing_field context",
      ])
  }

  @Test func theSpecsExampleMessage() throws {
    let verdict = validate(EventLine(.read).withProperty("messageId", nil))
    let problem = try #require(verdict.problems.first)
    #expect(verdict.errors == ["missing_field properties.messageId"])
    #expect(problem.message == "required for message.read")
    #expect(problem.code == .error(.missingField))
  }

  @Test func theValidatorIsReusedLineAfterLine() {
    let validator = EventValidator()
    #expect(!validate(#"{"type":1}"#, with: validator).valid)
    let good = validate(EventLine(.sent).json, with: validator)
    #expect(good.valid && good.errors.isEmpty && good.warnings.isEmpty)
    let warned = validate(
      EventLine(.sent).withProperty("contentType", q("gif")).json, with: validator)
    #expect(warned.valid && warned.warnings.count == 1)
    let bad = validate("[]", with: validator)
    #expect(bad.errors == ["not_an_object "] && bad.warnings.isEmpty)
    let again = validate(EventLine(.read).json, with: validator)
    #expect(again.valid && again.errors.isEmpty && again.warnings.isEmpty)
    #expect(again.event.kind == .read)
  }

  @Test func codeNamesAreStable() {
    #expect(
      ProblemCode.allCases.map(\.name) == [
        "invalid_utf8", "invalid_json", "line_too_long", "too_deep", "duplicate_key",
        "not_an_object", "missing_field", "wrong_type", "invalid_value", "unknown_event",
        "invalid_e164", "invalid_user_id", "invalid_timestamp", "invalid_country_code",
      ])
    #expect(
      WarningCode.allCases.map { Problem(.warning($0), path: "", message: "").codeName } == [
        "warning:unknown_content_type", "warning:missing_agent_id",
        "warning:missing_country_code", "warning:country_mismatch",
      ])
  }
}
