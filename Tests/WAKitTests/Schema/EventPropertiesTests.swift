import Testing

@testable import WAKit

/// The properties table of SPEC §2, event by event: required and optional properties, and
/// the type and value rules of each.
@Suite("EventValidator properties")
struct EventPropertiesTests {
  @Test("every optional property, valid, is accepted", arguments: EventKind.allCases)
  func optionalPropertiesAreAccepted(_ kind: EventKind) {
    var event = EventLine(kind)
    for (key, value) in PropertyTable.optional(kind) { event = event.withProperty(key, value) }
    let verdict = validate(event)
    #expect(verdict.valid, "\(verdict)")
    #expect(verdict.warnings.isEmpty, "\(verdict)")
  }

  @Test("optional properties may be null", arguments: EventKind.allCases)
  func optionalPropertiesMayBeNull(_ kind: EventKind) {
    var event = EventLine(kind)
    let quiet = Set(PropertyTable.quiet(kind).map(\.0))
    for (key, _) in PropertyTable.optional(kind) where !quiet.contains(key) {
      event = event.withProperty(key, "null")
    }
    #expect(validate(event).valid, "\(event)")
  }

  /// (event, required property).
  static let required: [(EventKind, String)] = EventKind.allCases.flatMap { kind in
    PropertyTable.required(kind).map { (kind, $0.0) }
  }

  @Test("a required property missing or null", arguments: required)
  func requiredPropertyMissing(_ kind: EventKind, _ key: String) throws {
    let missing = validate(EventLine(kind).withProperty(key, nil))
    #expect(missing.only == "missing_field properties.\(key)", "\(missing)")
    #expect(missing.problems.first?.message == "required for \(kind.name)")
    let null = validate(EventLine(kind).withProperty(key, "null"))
    #expect(null.only == "missing_field properties.\(key)", "\(null)")
    #expect(null.problems.first?.message == "required for \(kind.name) (is null)")
  }

  @Test func theRequiredTableIsTheSpecs() {
    let table = Dictionary(
      uniqueKeysWithValues: EventKind.allCases.map {
        ($0.name, PropertyTable.required($0).map(\.0))
      })
    #expect(
      table == [
        "message.received": ["messageId", "chatId"], "message.sent": ["messageId"],
        "message.delivered": ["messageId"], "message.read": ["messageId"],
        "message.failed": ["messageId"],
        "chat.resolved": ["chatId", "messageCount", "durationMinutes"], "contact.created": [],
        "chat.assigned": ["chatId", "agentId"], "campaign.sent": ["campaignId"],
      ])
    // And an empty `properties` object lists exactly those.
    for kind in EventKind.allCases {
      let verdict = validate(EventLine(kind).with("properties", "{}"))
      let missing = verdict.problems.filter { $0.code == .error(.missingField) }.map(\.path)
      #expect(missing == PropertyTable.required(kind).map { "properties." + $0.0 }, "\(kind)")
    }
  }

  // MARK: identifiers

  /// (event, identifier, required?).
  static let identifiers: [(EventKind, String, Bool)] = [
    (.received, "messageId", true), (.received, "chatId", true), (.received, "replyTo", false),
    (.sent, "messageId", true), (.sent, "chatId", false), (.sent, "templateId", false),
    (.sent, "agentId", false), (.delivered, "messageId", true), (.read, "messageId", true),
    (.failed, "messageId", true), (.resolved, "chatId", true), (.resolved, "agentId", false),
    (.sent, "campaignId", false), (.assigned, "chatId", true), (.assigned, "agentId", true),
    (.campaignSent, "campaignId", true), (.campaignSent, "templateId", false),
  ]

  @Test("identifiers are non-empty strings", arguments: identifiers)
  func identifier(_ kind: EventKind, _ key: String, _ required: Bool) {
    let path = "properties.\(key)"
    for raw in ["42", "0", "true", "{}", "[]", #"["m"]"#, #"{"id":"m"}"#] {
      #expect(
        validate(EventLine(kind).withProperty(key, raw)).only == "wrong_type \(path)", "\(raw)")
    }
    #expect(validate(EventLine(kind).withProperty(key, q(""))).only == "invalid_value \(path)")
    for raw in [q("x"), q(" "), q("wamid.HBgLMjU0NzEyMzQ1Njc4FQIAEhgg"), #""\u0000""#, q("é")] {
      #expect(validate(EventLine(kind).withProperty(key, raw)).valid, "\(raw)")
    }
    // An escaped empty string does not exist; an escape that decodes to something is fine.
    #expect(validate(EventLine(kind).withProperty(key, #""\n""#)).valid)
    if !required {
      // Null is as good as absent (chat.resolved then warns about the missing agentId).
      #expect(validate(EventLine(kind).withProperty(key, "null")).valid)
    }
  }

  // MARK: booleans

  @Test(
    "booleans", arguments: [(EventKind.received, "hasMedia"), (.sent, "isAutomated")])
  func boolean(_ kind: EventKind, _ key: String) {
    for raw in ["true", "false", "null"] {
      #expect(validate(EventLine(kind).withProperty(key, raw)).valid, "\(raw)")
    }
    for raw in [q("true"), q("false"), "1", "0", q("yes"), "[]", "{}", q("")] {
      let verdict = validate(EventLine(kind).withProperty(key, raw))
      #expect(verdict.only == "wrong_type properties.\(key)", "\(raw): \(verdict)")
      #expect(verdict.problems.first?.message.contains("a boolean") == true)
    }
  }

  // MARK: messageCount, durationMinutes, errorCode

  @Test(
    "messageCount is an integer ≥ 0",
    arguments: [
      ("0", nil), ("8", nil), ("8.0", nil), ("8e0", nil), ("1.6e1", nil), ("-0", nil),
      ("-0.0", nil), ("0.0", nil), ("123456789012345678901234567890", nil),
      ("8.5", "wrong_type"), ("0.1", "wrong_type"), ("1e-1", "wrong_type"), ("-0.5", "wrong_type"),
      (q("8"), "wrong_type"), ("true", "wrong_type"), ("[8]", "wrong_type"), ("{}", "wrong_type"),
      ("-1", "invalid_value"), ("-1.0", "invalid_value"), ("-8e0", "invalid_value"),
      ("-123456789012345678901234567890", "invalid_value"),
      ("null", "missing_field"),
    ] as [(String, String?)])
  func messageCount(_ raw: String, _ code: String?) {
    let verdict = validate(EventLine(.resolved).withProperty("messageCount", raw))
    #expect(verdict.only == code.map { "\($0) properties.messageCount" }, "\(raw): \(verdict)")
  }

  @Test(
    "durationMinutes is a number ≥ 0",
    arguments: [
      ("0", nil), ("12.5", nil), ("0.0", nil), ("-0", nil), ("-0.0", nil), ("1e2", nil),
      ("1E-300", nil), ("1440", nil),
      ("-0.5", "invalid_value"), ("-1", "invalid_value"), ("-1e-300", "invalid_value"),
      ("1e400", "invalid_value"), ("-1e400", "invalid_value"),
      (q("12"), "wrong_type"), ("false", "wrong_type"), ("[]", "wrong_type"),
      ("null", "missing_field"),
    ] as [(String, String?)])
  func durationMinutes(_ raw: String, _ code: String?) {
    let verdict = validate(EventLine(.resolved).withProperty("durationMinutes", raw))
    #expect(verdict.only == code.map { "\($0) properties.durationMinutes" }, "\(raw): \(verdict)")
  }

  @Test(
    "errorCode is an integer",
    arguments: [
      ("131047", nil), ("0", nil), ("-1", nil), ("131047.0", nil), ("null", nil),
      ("1.5", "wrong_type"), (q("131047"), "wrong_type"), ("true", "wrong_type"),
      ("{}", "wrong_type"), ("1e400", "wrong_type"),
    ] as [(String, String?)])
  func errorCode(_ raw: String, _ code: String?) {
    let verdict = validate(EventLine(.failed).withProperty("errorCode", raw))
    #expect(verdict.only == code.map { "\($0) properties.errorCode" }, "\(raw): \(verdict)")
  }

  // MARK: plain optional strings

  @Test(
    "optional strings",
    arguments: [
      (EventKind.failed, "errorTitle"), (.resolved, "resolution"), (.contactCreated, "source"),
      (.assigned, "previousAgentId"), (.assigned, "assignmentType"),
      (.campaignSent, "campaignName"),
    ])
  func optionalString(_ kind: EventKind, _ key: String) {
    for raw in [q("x"), q(""), "null"] {
      #expect(validate(EventLine(kind).withProperty(key, raw)).valid, "\(raw)")
    }
    for raw in ["5", "true", "[]", "{}"] {
      #expect(
        validate(EventLine(kind).withProperty(key, raw)).only == "wrong_type properties.\(key)")
    }
  }

  // MARK: contentType

  /// The project's list, and it holds at least Meta's types that SPEC §2 names.
  static let contentTypes = ContentTypes.all.map { $0.description }

  @Test func theListHoldsTheSpecsTypes() {
    let named = [
      "text", "image", "video", "audio", "document", "sticker", "location", "contacts",
      "interactive", "button", "reaction", "template", "order", "unsupported", "request_welcome",
      "system",
    ]
    #expect(Set(named).isSubset(of: Set(Self.contentTypes)))
  }

  @Test("known content types", arguments: [EventKind.received, .sent])
  func knownContentTypes(_ kind: EventKind) {
    for type in Self.contentTypes {
      let verdict = validate(EventLine(kind).withProperty("contentType", q(type)))
      #expect(verdict.valid && verdict.warnings.isEmpty, "\(type): \(verdict)")
    }
    let escaped = validate(EventLine(kind).withProperty("contentType", #""te\u0078t""#))
    #expect(escaped.valid && escaped.warnings.isEmpty)
  }

  @Test("unknown content types are a warning", arguments: [EventKind.received, .sent])
  func unknownContentTypes(_ kind: EventKind) {
    for type in ["gif", "Text", "TEXT", "", "text ", "voice", "contact", "templates", "orders"] {
      let verdict = validate(EventLine(kind).withProperty("contentType", q(type)))
      #expect(verdict.valid, "\(type)")
      #expect(verdict.warnings == ["warning:unknown_content_type properties.contentType"])
    }
    for raw in ["1", "true", "[]", #"{"type":"text"}"#] {
      let verdict = validate(EventLine(kind).withProperty("contentType", raw))
      #expect(verdict.only == "wrong_type properties.contentType", "\(raw)")
    }
    #expect(validate(EventLine(kind).withProperty("contentType", "null")).warnings.isEmpty)
  }

  // MARK: timestamp per event

  @Test(
    "timestamp is required for received and sent only",
    arguments: EventKind.allCases)
  func timestampRequirement(_ kind: EventKind) {
    let required = kind == .received || kind == .sent
    let missing = validate(EventLine(kind).with("timestamp", nil))
    let null = validate(EventLine(kind).with("timestamp", "null"))
    if required {
      #expect(missing.only == "missing_field timestamp")
      #expect(missing.problems.first?.message == "required for \(kind.name)")
      #expect(null.only == "missing_field timestamp")
    } else {
      #expect(missing.valid && null.valid)
      #expect(missing.event.timestamp == nil)
    }
    // When present, it is checked for every event.
    for raw in [q("yesterday"), q("2026-01-23"), q("")] {
      #expect(
        validate(EventLine(kind).with("timestamp", raw)).only == "invalid_timestamp timestamp")
    }
    for raw in ["1769162400", "true", "{}"] {
      #expect(validate(EventLine(kind).with("timestamp", raw)).only == "wrong_type timestamp")
    }
  }
}
