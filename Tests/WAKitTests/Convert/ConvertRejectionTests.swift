import Foundation
import Testing

@testable import WAKit

/// Bodies that are not JSON or not a webhook, and items the mapping cannot trust: the body
/// is rejected with every problem listed (code and JSON path), and nothing of it is written.
@Suite("wa-convert: rejected bodies")
struct ConvertRejectionTests {
  @Test(arguments: [
    ("POST /webhook HTTP/1.1", "invalid_json "),
    (#"{"object":"whatsapp_business_account","entry":[],}"#, "invalid_json entry"),
    (#"{"object":"whatsapp_business_account","entry":[],"entry":[]}"#, "duplicate_key entry"),
    (#"[{"object":"whatsapp_business_account"}]"#, "not_an_object "),
    (#""whatsapp_business_account""#, "not_an_object "),
    (#"{"type":"track","event":"message.read"}"#, "missing_field object"),
    (#"{"object":"page","entry":[]}"#, "invalid_value object"),
    (#"{"object":null,"entry":[]}"#, "missing_field object"),
    (#"{"object":1,"entry":[]}"#, "wrong_type object"),
    (#"{"object":"whatsapp_business_account"}"#, "missing_field entry"),
    (#"{"object":"whatsapp_business_account","entry":{}}"#, "wrong_type entry"),
    (#"{"object":"whatsapp_business_account","entry":[7]}"#, "wrong_type entry[0]"),
    (#"{"object":"whatsapp_business_account","entry":[{}]}"#, "missing_field entry[0].changes"),
    (
      #"{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{}}]}]}"#,
      "missing_field entry[0].changes[0].field"
    ),
    (
      #"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages"}]}]}"#,
      "missing_field entry[0].changes[0].value"
    ),
    (#"{"messages":{"id":"x"}}"#, "wrong_type messages"),
  ])
  func envelopeProblems(_ body: String, _ expected: String) throws {
    let r = convert(body)
    #expect(!r.accepted && r.lines.isEmpty)
    #expect(r.problemList == [expected])
  }

  @Test func everyItemProblemIsListedAndNoEventOfTheBodyIsWritten() throws {
    let body = cloudBody(
      messages: [
        message("text", id: "", from: "+0123", timestamp: #""2025-06-08T20:59:43Z""#),
        message("text", id: "wamid.FINE"),
        // No identity at all: skipped (`no_user_id`), not a problem of the body.
        #"{"id":"wamid.X","timestamp":"1","type":"text"}"#,
        #"{"from":"16505551234","id":"wamid.Y","timestamp":"1","type":"text","context":{"id":7}}"#,
      ],
      statuses: [
        status("read", recipient: "99912345678", timestamp: "1750030075.5"),
        status("failed", #""errors":[{"code":"131049","title":"x"}]"#),
        #"{"id":"wamid.Z","timestamp":"1","recipient_id":"16505551234"}"#,
        "[]",
      ])
    let r = convert(body)
    #expect(!r.accepted && r.lines.isEmpty)
    let at = "entry[0].changes[0].value."
    #expect(
      r.problemList == [
        "invalid_e164 \(at)messages[0].from", "invalid_value \(at)messages[0].id",
        "invalid_timestamp \(at)messages[0].timestamp",
        "wrong_type \(at)messages[3].context.id",
        "invalid_e164 \(at)statuses[0].recipient_id",
        "invalid_timestamp \(at)statuses[0].timestamp",
        "wrong_type \(at)statuses[1].errors[0].code", "missing_field \(at)statuses[2].status",
        "wrong_type \(at)statuses[3]",
      ])
  }

  @Test func phoneNumbersMustBeE164Digits() throws {
    for (from, ok) in [
      ("16505551234", true), ("+16505551234", true), ("254712345678", true),
      ("1650555", true), ("165055", false), ("1234567890123456", false), ("06505551234", false),
      ("1650555123a", false), ("+", false), ("99912345678", false),
    ] {
      let r = convert(cloudBody(messages: [message("text", from: from)]))
      #expect(r.accepted == ok, "\(from)")
      if !ok { #expect(r.problemList.first?.hasPrefix("invalid_e164 ") == true, "\(from)") }
    }
    // An empty number is no identity: the item is skipped, the body kept.
    let empty = convert(cloudBody(messages: [message("text", from: "")]))
    #expect(empty.accepted && empty.lines.isEmpty && empty.tally[.noUserId] == 1)
  }

  @Test func timestampsMustBeUnixSeconds() throws {
    for (value, ok) in [
      (#""1749416383""#, true), ("1749416383", true), (#""0""#, true),
      (#""253402300799""#, true), (#""253402300800""#, false), (#""-1""#, false),
      (#""""#, false), (#""1749416383.5""#, false), ("-5", false), ("1e9", false),
      (#""1234567890123""#, false),
    ] {
      let r = convert(cloudBody(messages: [message("text", timestamp: value)]))
      #expect(r.accepted == ok, "\(value)")
      if !ok {
        #expect(
          r.problemList == ["invalid_timestamp entry[0].changes[0].value.messages[0].timestamp"],
          "\(value)")
      }
    }
    let missing = convert(
      cloudBody(statuses: [#"{"id":"x","status":"read","recipient_id":"16505551234"}"#]))
    #expect(
      missing.problemList == ["missing_field entry[0].changes[0].value.statuses[0].timestamp"])
    let wrong = convert(cloudBody(statuses: [status("read", timestamp: "true")]))
    #expect(wrong.problemList == ["wrong_type entry[0].changes[0].value.statuses[0].timestamp"])
  }

  @Test func theBusinessNumberIsRequiredWhenThereAreItems() throws {
    let body =
      #"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","#
      + #""value":{"metadata":{"phone_number_id":""},"messages":[\#(message("text"))]}}]}]}"#
    #expect(
      convert(body).problemList == [
        "invalid_value entry[0].changes[0].value.metadata.phone_number_id"
      ])
    let errorsOnly =
      #"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","#
      + #""value":{"errors":[{"code":1}]}}]}]}"#
    #expect(convert(errorsOnly).accepted)
  }

  @Test func tooLongBodiesAreRejectedWithTheirLength() throws {
    let converter = WebhookConverter()
    var fds: [Int32] = [-1, -1]
    #expect(pipe(&fds) == 0)
    defer { close(fds[0]); close(fds[1]) }
    let bytes = Array("{\"object\":".utf8)
    let accepted = bytes.withUnsafeBytes { raw in
      converter.convert(
        Line(bytes: raw, number: 3, length: 5_000_000),
        to: OutputBuffer(fd: FileDescriptor(rawValue: fds[1])))
    }
    #expect(!accepted)
    #expect(converter.problems.map(\.codeName) == ["line_too_long"])
    #expect(converter.problems.first?.message.contains("5000000") == true)
  }

  @Test func aConverterIsReusableAfterARejectedBody() throws {
    let converter = WebhookConverter()
    #expect(!convert("nope", with: converter).accepted)
    let r = convert(cloudBody(messages: [message("text")]), with: converter)
    #expect(r.accepted && r.problems.isEmpty && r.lines.count == 1)
    #expect(r.tally[.received] == 1)
  }
}
