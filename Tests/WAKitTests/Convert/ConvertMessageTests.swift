import Testing

@testable import WAKit

/// `messages[]` → `message.received` (SPEC §7), on the shapes of Meta's reference pages.
@Suite("wa-convert: inbound messages")
struct ConvertMessageTests {
  @Test func inboundTextIsOneReceivedEventWithTheDocumentedKeyOrder() throws {
    let r = convert(
      cloudBody(messages: [
        message(
          "text", id: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
          #""text":{"body":"Does it come in another color?"}"#)
      ]))
    #expect(r.accepted && r.problems.isEmpty)
    let time = RFC3339.format(Timestamp(seconds: 1_749_416_383), fractionDigits: 0)
    #expect(
      r.lines == [
        #"{"type":"track","event":"message.received","userId":"+16505551234","#
          + #""timestamp":"\#(time)","properties":{"#
          + #""messageId":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","#
          + #""chatId":"wa:106540352242922:16505551234","contentType":"text","hasMedia":false},"#
          + #""context":{"channel":"whatsapp","source":"wa-convert"}}"#
      ])
    #expect(r.tally[.received] == 1 && r.tally.skippedCount == 0)
  }

  @Test func timestampsAreRFC3339UTCInWholeSeconds() throws {
    for (seconds, text) in [
      ("1749416383", "2025-06-08T20:59:43Z"), ("0", "1970-01-01T00:00:00Z"),
      ("1518694235", "2018-02-15T11:30:35Z"), ("253402300799", "9999-12-31T23:59:59Z"),
    ] {
      let r = convert(cloudBody(messages: [message("text", timestamp: "\"\(seconds)\"")]))
      #expect(r.events.first?["timestamp"] as? String == text, "\(seconds)")
    }
    // A JSON integer is accepted too (a logger that re-encoded the body).
    let number = convert(cloudBody(messages: [message("text", timestamp: "1749416383")]))
    #expect(number.events.first?["timestamp"] as? String == "2025-06-08T20:59:43Z")
  }

  @Test(arguments: [
    ("image", true), ("video", true), ("audio", true), ("document", true), ("sticker", true),
    ("text", false), ("location", false), ("contacts", false), ("interactive", false),
    ("button", false), ("order", false), ("unsupported", false),
  ])
  func hasMediaFollowsTheType(_ type: String, _ media: Bool) throws {
    let r = convert(cloudBody(messages: [message(type, #""\#(type)":{"id":"1003383421387256"}"#)]))
    #expect(r.accepted && r.events.count == 1)
    #expect(r.properties(0)["contentType"] as? String == type)
    #expect(r.properties(0)["hasMedia"] as? Bool == media)
  }

  @Test func imageWithCaptionIsMedia() throws {
    let image =
      #""image":{"caption":"This is an image caption","mime_type":"image/jpeg","#
      + #""sha256":"SfInY4rP3CFaBg+fUM4d+BmDuU1UbJmQ9mBhzkCGZ8w=","id":"1003383421387256"}"#
    let r = convert(cloudBody(messages: [message("image", image)]))
    #expect(r.properties(0)["hasMedia"] as? Bool == true)
    #expect(r.properties(0)["contentType"] as? String == "image")
  }

  @Test func buttonReplyCarriesReplyToFromContext() throws {
    let button = message(
      "button",
      #""context":{"from":"15550783881","id":"wamid.BUSINESS"},"#
        + #""button":{"payload":"Unsubscribe","text":"Unsubscribe"}"#)
    let r = convert(cloudBody(messages: [button]))
    #expect(r.properties(0)["replyTo"] as? String == "wamid.BUSINESS")
  }

  @Test func quotingOneselfOrForwardingIsNotAReply() throws {
    let selfQuote = message(
      "text", #""context":{"from":"+16505551234","id":"wamid.OWN"},"text":{"body":"this"}"#)
    let forwarded = message(
      "text", id: "wamid.M2", #""context":{"forwarded":true},"text":{"body":"fwd"}"#)
    let r = convert(cloudBody(messages: [selfQuote, forwarded]))
    #expect(r.events.count == 2)
    #expect(r.properties(0)["replyTo"] == nil && r.properties(1)["replyTo"] == nil)
  }

  @Test func reactionsAreSkippedUnlessAskedForAndRemovalsAlways() throws {
    let reaction = message(
      "reaction", #""reaction":{"message_id":"wamid.BUSINESS","emoji":"\uD83D\uDC4D"}"#)
    let removal = message(
      "reaction", id: "wamid.M2", #""reaction":{"message_id":"wamid.BUSINESS"}"#)
    let skipped = convert(cloudBody(messages: [reaction, removal]))
    #expect(skipped.accepted && skipped.lines.isEmpty)
    #expect(skipped.tally[.reaction] == 1 && skipped.tally[.reactionRemoved] == 1)
    let included = convert(cloudBody(messages: [reaction, removal]), .init(includeReactions: true))
    #expect(included.events.count == 1 && included.tally[.reactionRemoved] == 1)
    #expect(included.properties(0)["contentType"] as? String == "reaction")
    #expect(included.properties(0)["replyTo"] as? String == "wamid.BUSINESS")
    #expect(included.properties(0)["hasMedia"] as? Bool == false)
  }

  @Test func systemGroupAndIdentityLessMessagesAreSkippedWithTheirReason() throws {
    let system = message(
      "system", #""system":{"body":"changed","wa_id":"16505554321","type":"user_changed_number"}"#)
    let group = message(
      "text", id: "wamid.G", #""group_id":"Y2FwaV9ncm91cDox","text":{"body":"x"}"#)
    let nobody =
      #"{"from":"","id":"wamid.U","timestamp":"1779372805","type":"text","text":{"body":"Hey"}}"#
    let r = convert(cloudBody(messages: [system, group, nobody, message("text", id: "wamid.T")]))
    #expect(r.accepted && r.events.count == 1)
    #expect(r.tally[.system] == 1 && r.tally[.group] == 1 && r.tally[.noUserId] == 1)
  }

  /// A type outside the shared list (a future one) is still a user message, written as
  /// Meta's own `unknown` so that `wa-validate --strict` takes it.
  @Test func unsupportedAndFutureTypesAreStillUserMessages() throws {
    let unsupported = message(
      "unsupported", #""errors":[{"code":131051,"title":"Message type unknown"}]"#)
    let future = message("poll_vote", id: "wamid.M2", #""poll_vote":{}"#)
    let r = convert(cloudBody(messages: [unsupported, future]))
    #expect(
      r.events.map { ($0["properties"] as? [String: Any])?["contentType"] as? String } == [
        "unsupported", "unknown",
      ])
  }

  @Test func escapedInputStringsAreDecodedAndWrittenCanonically() throws {
    // `re\u0061ction` is "reaction"; escaped ids come out as plain text.
    let body = cloudBody(messages: [
      #"{"from":"\u0031\u0036505551234","id":"wamid.\u0041\/B","timestamp":"1749416383","#
        + #""type":"t\u0065xt","context":{"id":"wamid.\"Q\""}}"#,
      #"{"from":"16505551234","id":"x","timestamp":"1","type":"re\u0061ction","reaction":{}}"#,
    ])
    let r = convert(body)
    #expect(r.accepted && r.tally[.reactionRemoved] == 1)
    #expect(r.lines.first?.contains(#""userId":"+16505551234""#) == true)
    #expect(r.lines.first?.contains(#""messageId":"wamid.A/B""#) == true)
    #expect(r.lines.first?.contains(#""contentType":"text""#) == true)
    #expect(r.properties(0)["replyTo"] as? String == "wamid.\"Q\"")
  }

  @Test func onPremisesBodiesUseTheOnPremChatScope() throws {
    let body =
      #"{"contacts":[{"profile":{"name":"Kerry Fisher"},"wa_id":"16315551234"}],"messages":[{"#
      + #""from":"16315551234","id":"ABGGFlA5FpafAgo6EhoaLlJ0XkE","text":{"body":"Hello"},"#
      + #""timestamp":"1518694235","type":"text"}]}"#
    let r = convert(body)
    #expect(r.accepted && r.events.count == 1)
    #expect(r.properties(0)["chatId"] as? String == "wa:onprem:16315551234")
    #expect(r.events[0]["userId"] as? String == "+16315551234")
  }
}
