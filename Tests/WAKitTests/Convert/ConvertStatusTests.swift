import Testing

@testable import WAKit

/// `statuses[]` → `message.sent`, `.delivered`, `.read`, `.failed` (SPEC §7).
@Suite("wa-convert: statuses")
struct ConvertStatusTests {
  static let conversationAndPricing =
    #""conversation":{"id":"72b14d6bd5407799e66f64d1b338e567","#
    + #""expiration_timestamp":"1750116480","origin":{"type":"marketing"}},"#
    + #""pricing":{"billable":true,"pricing_model":"PMP","type":"regular","category":"marketing"}"#

  /// `conversation` is ignored; `pricing` is carried (SPEC §7, version 2).
  @Test func sentCarriesPricingAndIgnoresConversation() throws {
    let old = convert(cloudBody(statuses: [status("sent", Self.conversationAndPricing)]))
    let v24 = convert(cloudBody(statuses: [status("sent")]))
    #expect(old.accepted && v24.accepted)
    #expect(old.lines.count == 1 && v24.lines.count == 1)
    #expect(old.events[0]["event"] as? String == "message.sent")
    #expect(
      old.lines[0]
        == v24.lines[0].replacingOccurrences(
          of: #""chatId":"wa:106540352242922:16505551234""#,
          with: #""chatId":"wa:106540352242922:16505551234","pricing":{"billable":true,"#
            + #""model":"PMP","category":"marketing","type":"regular"}"#))
    #expect(
      isExactly(
        v24.properties(0),
        [
          "messageId": "wamid.S1", "chatId": "wa:106540352242922:16505551234",
        ]))
  }

  @Test func deliveredReadAndFailedCarryOnlyWhatTheSchemaNames() throws {
    let failed = status(
      "failed", id: "wamid.F",
      #""errors":[{"code":131049,"title":"This message was not delivered to maintain healthy "#
        + #"ecosystem engagement.","message":"…","error_data":{"details":"…"},"href":"/x"}]"#)
    let r = convert(
      cloudBody(statuses: [
        status("delivered", id: "wamid.D", #""pricing":{"billable":true,"category":"utility"}"#),
        status("read", id: "wamid.R"), failed,
      ]))
    #expect(
      r.events.map { $0["event"] as? String } == [
        "message.delivered", "message.read", "message.failed",
      ])
    #expect(r.properties(0).count == 2 && r.properties(0)["messageId"] as? String == "wamid.D")
    #expect(
      r.lines[0].contains(
        #""properties":{"messageId":"wamid.D","#
          + #""pricing":{"billable":true,"category":"utility"}}"#))
    #expect(isExactly(r.properties(1), ["messageId": "wamid.R"]))
    #expect(r.properties(2)["errorCode"] as? Int == 131049)
    #expect(
      r.properties(2)["errorTitle"] as? String
        == "This message was not delivered to maintain healthy ecosystem engagement.")
    #expect(r.events.allSatisfy { ($0["timestamp"] as? String)?.isEmpty == false })
  }

  @Test func failedWithoutErrorsOrTitleUsesWhatIsThere() throws {
    let r = convert(
      cloudBody(statuses: [
        status("failed", id: "wamid.A"),
        status("failed", id: "wamid.B", #""errors":[{"code":131026,"message":"Undeliverable"}]"#),
        status("failed", id: "wamid.C", #""errors":[]"#),
      ]))
    #expect(r.accepted && r.events.count == 3)
    #expect(isExactly(r.properties(0), ["messageId": "wamid.A"]))
    #expect(r.properties(1)["errorTitle"] as? String == "Undeliverable")
    #expect(isExactly(r.properties(2), ["messageId": "wamid.C"]))
  }

  @Test func playedUnknownAndGroupStatusesAreSkippedWithTheirReason() throws {
    let group = status(
      "delivered", id: "wamid.G", recipient: "Y2FwaV9ncm91cDox",
      #""recipient_type":"group","recipient_participant_id":"16505551234""#)
    let r = convert(
      cloudBody(statuses: [
        status("played"), status("deleted"), group,
        #"{"id":"wamid.U","status":"read","timestamp":"1","recipient_id":""}"#,
      ]))
    #expect(r.accepted && r.lines.isEmpty)
    #expect(r.tally[.statusPlayed] == 1 && r.tally[.statusUnknown] == 1)
    #expect(r.tally[.group] == 1 && r.tally[.noUserId] == 1)
  }

  @Test func noSentSkipsOnlySentStatuses() throws {
    let body = cloudBody(statuses: [status("sent"), status("delivered"), status("read")])
    let r = convert(body, .init(noSent: true))
    #expect(r.events.map { $0["event"] as? String } == ["message.delivered", "message.read"])
    #expect(r.tally[.statusSent] == 1)
  }

  @Test func everyEntryChangeAndItemIsWalkedInDocumentOrder() throws {
    let value1 =
      #"{"metadata":{"phone_number_id":"111"},"statuses":[\#(status("read", id: "wamid.1"))],"#
      + #""messages":[\#(message("text", id: "wamid.2")),\#(message("image", id: "wamid.3"))],"#
      + #""errors":[{"code":131000,"title":"Something went wrong"}]}"#
    let value2 =
      #"{"metadata":{"phone_number_id":"222"},"statuses":[\#(status("sent", id: "wamid.4")),"#
      + #"\#(status("delivered", id: "wamid.5"))]}"#
    let body =
      #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":["#
      + #"{"field":"messages","value":\#(value1)},{"field":"account_update","value":{}}]},"#
      + #"{"id":"2","changes":[{"value":\#(value2),"field":"messages"}]}]}"#
    let r = convert(body)
    #expect(r.accepted)
    #expect(
      r.events.map { ($0["properties"] as? [String: Any])?["messageId"] as? String } == [
        "wamid.1", "wamid.2", "wamid.3", "wamid.4", "wamid.5",
      ])
    #expect(r.properties(3)["chatId"] as? String == "wa:222:16505551234")
    #expect(r.tally[.valueError] == 1 && r.tally[.otherField] == 1)
    #expect(r.tally.eventCount == 5)
  }

  @Test func otherFieldsAndEmptyBodiesAreAcceptedWithoutEvents() throws {
    let template =
      #"{"object":"whatsapp_business_account","entry":[{"id":"1","time":1751247548,"changes":[{"#
      + #""value":{"event":"APPROVED","message_template_id":1689556908129832},"#
      + #""field":"message_template_status_update"}]}]}"#
    let r = convert(template)
    #expect(r.accepted && r.lines.isEmpty && r.tally[.otherField] == 1)
    let empty = convert(#"{"object":"whatsapp_business_account","entry":[]}"#)
    #expect(empty.accepted && empty.lines.isEmpty && empty.tally.skippedCount == 0)
  }

  @Test func onPremisesStatusesAndErrors() throws {
    let r = convert(
      #"{"statuses":[\#(status("sent", id: "gBGG")),\#(status("read", id: "gBGG"))],"#
        + #""errors":[{"code":1000,"title":"x"}]}"#)
    #expect(r.events.map { $0["event"] as? String } == ["message.sent", "message.read"])
    #expect(r.properties(0)["chatId"] as? String == "wa:onprem:16505551234")
    #expect(r.tally[.valueError] == 1)
  }
}

/// Whether `properties` holds exactly these string members, nothing more.
func isExactly(_ properties: [String: Any], _ expected: [String: String]) -> Bool {
  properties.count == expected.count
    && expected.allSatisfy { properties[$0.key] as? String == $0.value }
}
