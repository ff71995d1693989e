import Testing

@testable import WAKit

/// The field table: while it validates, the scanner records where the fields of
/// `EventField` are (top level, `properties`, `context`), with their kind, flags and byte
/// ranges.
@Suite("JSONScanner field table")
struct JSONScannerFieldTests {
  static let event =
    #"{"type":"track","event":"message.sent","userId":"+254712345678","#
    + #""timestamp":"2026-01-23T10:00:00.000Z","receivedAt":"2026-01-23T10:00:01Z","#
    + #""properties":{"messageId":"wamid.\u0041B","chatId":"","contentType":"text","#
    + #""hasMedia":true,"replyTo":"r1","templateId":"t1","agentId":"agent_7","#
    + #""isAutomated":false,"messageCount":-0,"durationMinutes":1.5e3,"resolution":null,"#
    + #""source":"ads","countryCode":"KE","errorCode":131047,"errorTitle":"Re-engage","#
    + #""previousAgentId":null,"assignmentType":"auto","campaignId":"c1","campaignName":"C","#
    + #""recipientCount":3,"pricing":{"billable":true,"model":"PMP","category":"utility","#
    + #""type":"regular"}},"batch":[],"#
    + #""anonymousId":"x","context":{"channel":"whatsapp","countryCode":"ke","#
    + #""callingCode":"254","bsuid":"KE.1","username":"@a","other":{"channel":"no"}}}"#

  @Test func everyFieldIsRecorded() throws {
    try withScanned(Self.event) { s, ok, bytes in
      try #require(ok)
      func check(
        _ field: EventField, _ kind: JSONKind, _ text: String, flags: UInt8 = 0,
        sourceLocation: SourceLocation = #_sourceLocation
      ) {
        let ref = s[field]
        #expect(ref.kind == kind, "\(field)", sourceLocation: sourceLocation)
        #expect(ref.flags == flags, "\(field)", sourceLocation: sourceLocation)
        #expect(
          WAKitTests.text(of: ref, in: bytes) == text, "\(field)", sourceLocation: sourceLocation)
      }
      check(.type, .string, "track")
      check(.event, .string, "message.sent")
      check(.userId, .string, "+254712345678")
      check(.timestamp, .string, "2026-01-23T10:00:00.000Z")
      check(.receivedAt, .string, "2026-01-23T10:00:01Z")
      check(.messageId, .string, #"wamid.\u0041B"#, flags: ValueRef.hasEscapes)
      check(.chatId, .string, "")
      check(.contentType, .string, "text")
      check(.hasMedia, .bool, "true", flags: ValueRef.isTrue)
      check(.replyTo, .string, "r1")
      check(.templateId, .string, "t1")
      check(.agentId, .string, "agent_7")
      check(.isAutomated, .bool, "false")
      check(
        .messageCount, .number, "-0", flags: ValueRef.isIntegerLiteral | ValueRef.isNegative)
      check(.durationMinutes, .number, "1.5e3")
      check(.resolution, .null, "null")
      check(.source, .string, "ads")
      check(.countryCode, .string, "KE")
      check(.errorCode, .number, "131047", flags: ValueRef.isIntegerLiteral)
      check(.errorTitle, .string, "Re-engage")
      check(.channel, .string, "whatsapp")
      check(.contextCountryCode, .string, "ke")
      check(.contextCallingCode, .string, "254")
      check(.previousAgentId, .null, "null")
      check(.assignmentType, .string, "auto")
      check(.campaignId, .string, "c1")
      check(.campaignName, .string, "C")
      check(.recipientCount, .number, "3", flags: ValueRef.isIntegerLiteral)
      check(.pricingBillable, .bool, "true", flags: ValueRef.isTrue)
      check(.pricingModel, .string, "PMP")
      check(.pricingCategory, .string, "utility")
      check(.pricingType, .string, "regular")
      check(.bsuid, .string, "KE.1")
      check(.username, .string, "@a")
      #expect(s[.pricing].kind == .object && s[.batch].kind == .array)

      // Containers: from the opening bracket to the closing one (`end` is the offset of the
      // closing bracket, where wa-enrich splices its fields in).
      let properties = s[.properties]
      #expect(properties.kind == .object && !properties.has(ValueRef.isEmpty))
      #expect(bytes[Int(properties.start)] == UInt8(ascii: "{"))
      #expect(bytes[Int(properties.end)] == UInt8(ascii: "}"))
      #expect(WAKitTests.text(of: properties, in: bytes).hasPrefix(#"{"messageId""#))
      #expect(WAKitTests.text(of: properties, in: bytes).hasSuffix(#""type":"regular"}"#))
      let context = s[.context]
      #expect(context.kind == .object)
      #expect(Int(context.end) == bytes.count - 2)
      #expect(WAKitTests.text(of: context, in: bytes).hasSuffix(#"{"channel":"no"}"#))
    }
  }

  @Test(
    "flags of numbers",
    arguments: [
      ("0", ValueRef.isIntegerLiteral), ("-0", ValueRef.isIntegerLiteral | ValueRef.isNegative),
      ("8", ValueRef.isIntegerLiteral), ("-17", ValueRef.isIntegerLiteral | ValueRef.isNegative),
      ("8.0", 0), ("8e0", 0), ("8E+1", 0), ("-1.5", ValueRef.isNegative),
      ("-1e-3", ValueRef.isNegative), ("123456789012345678901234567890", ValueRef.isIntegerLiteral),
    ])
  func numberFlags(_ literal: String, _ flags: UInt8) {
    withScanned(#"{"properties":{"messageCount":\#(literal)}}"#) { s, ok, bytes in
      #expect(ok)
      #expect(s[.messageCount].kind == .number)
      #expect(s[.messageCount].flags == flags)
      #expect(WAKitTests.text(of: s[.messageCount], in: bytes) == literal)
    }
  }

  @Test(
    "kinds and flags of every value kind",
    arguments: [
      (#""x""#, JSONKind.string, UInt8(0), "x"), (#""""#, .string, 0, ""),
      (#""a\"b""#, .string, ValueRef.hasEscapes, #"a\"b"#),
      ("true", .bool, ValueRef.isTrue, "true"),
      ("false", .bool, 0, "false"), ("null", .null, 0, "null"),
      ("{}", .object, ValueRef.isEmpty, "{"),
      ("{ }", .object, ValueRef.isEmpty, "{ "), ("[]", .array, ValueRef.isEmpty, "["),
      (#"{"a":1}"#, .object, 0, #"{"a":1"#), ("[1, 2]", .array, 0, "[1, 2"),
    ])
  func valueKinds(_ value: String, _ kind: JSONKind, _ flags: UInt8, _ text: String) {
    withScanned(#"{"type": \#(value) }"#) { s, ok, bytes in
      #expect(ok)
      #expect(s[.type].kind == kind)
      #expect(s[.type].flags == flags)
      #expect(WAKitTests.text(of: s[.type], in: bytes) == text)
      #expect(s[.type].isPresent)
      #expect(s[.type].hasValue == (kind != .null))
    }
  }

  @Test func escapedKeysAreRecognised() {
    withScanned(#"{"\u0074ype":"track","properties":{"message\u0049d":"m"}}"#) { s, ok, _ in
      #expect(ok)
      #expect(s[.type].kind == .string)
      #expect(s[.messageId].kind == .string)
    }
  }

  @Test(
    "fields are only recognised at their own place",
    arguments: [
      // `messageId` at the top level or inside `context` is not `properties.messageId`.
      #"{"messageId":"m","context":{"messageId":"m"}}"#,
      // Deeper inside `properties`.
      #"{"properties":{"inner":{"messageId":"m"},"list":[{"messageId":"m"}]}}"#,
      // `properties` that is not a top-level member.
      #"{"x":{"properties":{"messageId":"m"}}}"#,
      #"{"list":[{"properties":{"messageId":"m"}}]}"#,
      // `properties` that is an array.
      #"{"properties":[{"messageId":"m"}]}"#,
      // A top-level array of events.
      #"[{"properties":{"messageId":"m"}}]"#,
      // Names of other scopes.
      #"{"channel":"whatsapp","properties":{"channel":"whatsapp","type":"track"}}"#,
      #"{"context":{"messageId":"m","type":"t","context":{"channel":"whatsapp"}}}"#,
      #"{"properties":{"context":{"channel":"whatsapp"},"properties":{"messageId":"m"}}}"#,
      // Case matters; so does the exact name.
      #"{"Type":"track","TYPE":"track","type ":"x","properties":{"MessageId":"m","messageid":"m"}}"#,
    ])
  func onlyAtTheRightDepth(_ document: String) {
    withScanned(document) { s, ok, _ in
      #expect(ok)
      for field in [EventField.messageId, .channel, .type] {
        #expect(s[field].kind == .absent, "\(field)")
      }
    }
  }

  @Test func nestedValuesOfAFieldStayTheFieldsOwn() {
    withScanned(#"{"properties":{"messageId":{"messageId":"x"}},"context":[{"channel":1}]}"#) {
      s, ok, bytes in
      #expect(ok)
      #expect(s[.messageId].kind == .object)
      #expect(WAKitTests.text(of: s[.messageId], in: bytes) == #"{"messageId":"x""#)
      #expect(s[.context].kind == .array)
      #expect(s[.channel].kind == .absent)
    }
  }

  @Test func fieldsResetBetweenLines() {
    let scanner = JSONScanner()
    #expect(scan(Self.event, with: scanner).accepted)
    for field in EventField.allCases { #expect(scanner[field].isPresent, "\(field)") }
    #expect(scan(#"{"type":"track"}"#, with: scanner).accepted)
    for field in EventField.allCases where field != .type {
      #expect(scanner[field].kind == .absent, "\(field)")
    }
    // A line that fails, then an empty object: nothing is left over from either.
    #expect(!scan(#"{"event":"x","properties":{"messageId":"m","#, with: scanner).accepted)
    #expect(scan("{}", with: scanner).accepted)
    for field in EventField.allCases { #expect(scanner[field].kind == .absent, "\(field)") }
    #expect(scan("[]", with: scanner).accepted)
    for field in EventField.allCases { #expect(scanner[field].kind == .absent, "\(field)") }
  }

  @Test func everyFieldHasItsPath() {
    let paths = EventField.allCases.map(\.path)
    #expect(Set(paths).count == EventField.count)
    #expect(EventField.messageId.path == "properties.messageId")
    #expect(EventField.contextCountryCode.path == "context.countryCode")
    #expect(EventField.countryCode.path == "properties.countryCode")
    for field in EventField.allCases {
      // The last component of the path is the key the scanner looks for.
      let key = String(field.path.split(separator: ".").last!)
      let document: String
      if field.path.hasPrefix("properties.pricing.") {
        document = #"{"properties":{"pricing":{"\#(key)":1}}}"#
      } else if field.path.hasPrefix("properties.") {
        document = #"{"properties":{"\#(key)":1}}"#
      } else if field.path.hasPrefix("context.") {
        document = #"{"context":{"\#(key)":1}}"#
      } else {
        document = #"{"\#(key)":1}"#
      }
      withScanned(document) { s, ok, _ in
        #expect(ok && s[field].kind == .number, "\(field)")
      }
    }
  }
}
