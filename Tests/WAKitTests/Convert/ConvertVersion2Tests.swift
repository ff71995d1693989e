import Testing

@testable import WAKit

/// SPEC §7 version 2, on bodies shaped like Meta's documented webhooks: username users
/// (BSUIDs), edits and deletions, `request_welcome`, On-Premises `voice`, status `pricing`.
@Suite("wa-convert: version 2 shapes")
struct ConvertVersion2Tests {
  /// Meta's BSUID webhook: a user who adopted a username has `"from": ""` and
  /// `from_user_id`; their contact carries `user_id` and `profile.username`.
  static let mixedBody =
    #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"#
    + #""value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","#
    + #""phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Pablo Morales","#
    + #""username":"@pablomorales"},"user_id":"US.13491208655302741918"},{"profile":{"#
    + #""name":"Sheena Nelson","username":"@realsheenanelson"},"wa_id":"16505551234","#
    + #""user_id":"US.ENT.11815799212886844830"},{"profile":{"name":"Kerry Fisher"},"#
    + #""wa_id":"16315551181"}],"messages":[{"from":"","from_user_id":"US.13491208655302741918","#
    + #""id":"wamid.U1","timestamp":"1779372805","type":"text","text":{"body":"Hi"}},{"#
    + #""from":"16505551234","from_user_id":"US.ENT.11815799212886844830","id":"wamid.B1","#
    + #""timestamp":"1779372806","type":"text","text":{"body":"Hello"}},{"from":"16315551181","#
    + #""id":"wamid.P1","timestamp":"1779372807","type":"text","text":{"body":"Hey"}}]},"#
    + #""field":"messages"}]}]}"#

  @Test func aBodyMixingUsernameAndPhoneUsersGivesEveryUsersEvents() throws {
    let r = convert(Self.mixedBody)
    #expect(r.accepted, "\(r.problemList)")
    try #require(r.events.count == 3)
    #expect(
      r.events.map { $0["userId"] as? String } == [
        "US.13491208655302741918", "+16505551234", "+16315551181",
      ])
    let contexts = r.events.map { $0["context"] as? [String: Any] ?? [:] }
    #expect(contexts[0]["bsuid"] == nil)
    #expect(contexts[0]["username"] as? String == "@pablomorales")
    #expect(contexts[1]["bsuid"] as? String == "US.ENT.11815799212886844830")
    #expect(contexts[1]["username"] as? String == "@realsheenanelson")
    #expect(contexts[2]["bsuid"] == nil && contexts[2]["username"] == nil)
    #expect(r.properties(0)["chatId"] as? String == "wa:106540352242922:US.13491208655302741918")
    for line in r.lines {
      let v = validate(line, strict: true)
      #expect(v.valid && v.warnings.isEmpty, "\(line): \(v)")
    }
  }

  /// Past `ContactIndex.walkLimit` contacts the usernames come from an index: the same
  /// answers as the walk, the first matching contact in document order, by `wa_id` or by
  /// `user_id`, whichever comes first; `+` and escapes in `wa_id` do not matter.
  @Test func manyContactsGiveTheFirstMatchingContactsUsernameAsAFewDo() throws {
    for padding in [0, ContactIndex.walkLimit + 4] {
      var contacts = (0..<padding).map {
        #"{"profile":{"username":"@pad\#($0)"},"wa_id":"4477\#($0)"}"#
      }
      contacts += [
        #"{"profile":{"name":"No username"},"wa_id":"16505551234"}"#,
        #"{"profile":{"username":"@by-bsuid"},"user_id":"US.1"}"#,
        #"{"profile":{"username":"@by-number"},"wa_id":"+1650555\u00312\u00334"}"#,
        #"{"profile":{"username":"@later-number"},"wa_id":"16505551234"}"#,
        #"{"profile":{"username":"@later-bsuid"},"user_id":"US.2","wa_id":"16315551181"}"#,
      ]
      let messages = [
        message("text", id: "wamid.1", from: "16505551234", #""from_user_id":"US.1""#),
        message("text", id: "wamid.2", from: "+16505551234"),
        message("text", id: "wamid.3", from: "", #""from_user_id":"US.2""#),
        message("text", id: "wamid.4", from: "16315551181", #""from_user_id":"US.1""#),
        message("text", id: "wamid.5", from: "16315551182"),
      ]
      let body = cloudBody(messages: messages).replacingOccurrences(
        of: #""contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}]"#,
        with: #""contacts":["# + contacts.joined(separator: ",") + "]")
      let r = convert(body)
      #expect(r.accepted, "\(r.problemList)")
      let names = r.events.map { ($0["context"] as? [String: Any])?["username"] as? String }
      #expect(
        names == ["@by-bsuid", "@by-number", "@later-bsuid", "@by-bsuid", nil],
        "\(padding) contacts before")
    }
  }

  /// A status sent to a BSUID has no `recipient_id`; its contact's `wa_id` (a valid number,
  /// the first contact with that `user_id`) makes the number the user, the BSUID
  /// `context.bsuid`, with few contacts (a walk) and many (an index) alike.
  @Test func aStatusSentToABSUIDTakesItsContactsNumberWithFewContactsAndMany() throws {
    for padding in [0, ContactIndex.walkLimit + 4] {
      var contacts = (0..<padding).map { #"{"wa_id":"4477009\#($0)","user_id":"GB.\#($0)"}"# }
      contacts += [
        #"{"wa_id":"12","user_id":"US.7"}"#,
        #"{"user_id":"US.7"}"#,
        #"{"wa_id":"+16505551234","user_id":"US.7"}"#,
        #"{"wa_id":"16315551181","user_id":"US.7"}"#,
      ]
      let statuses = [
        #"{"id":"wamid.1","status":"sent","timestamp":"1750030073","recipient_user_id":"US.7"}"#,
        #"{"id":"wamid.2","status":"read","timestamp":"1750030074","recipient_user_id":"US.8"}"#,
      ]
      let body = cloudBody(statuses: statuses).replacingOccurrences(
        of: #""statuses":"#,
        with: #""contacts":["# + contacts.joined(separator: ",") + #"],"statuses":"#)
      let r = convert(body)
      #expect(r.accepted, "\(r.problemList)")
      #expect(r.events.map { $0["userId"] as? String } == ["+16505551234", "US.8"], "\(padding)")
      #expect((r.events[0]["context"] as? [String: Any])?["bsuid"] as? String == "US.7")
      #expect(r.properties(0)["chatId"] as? String == "wa:106540352242922:16505551234")
    }
  }

  /// A status sent to a number without `recipient_user_id` takes the BSUID of its contact
  /// (the first with a valid number and BSUID), with few contacts and many alike.
  @Test func aStatusSentToANumberTakesItsContactsBSUIDWithFewContactsAndMany() throws {
    for padding in [0, ContactIndex.walkLimit + 4] {
      var contacts = (0..<padding).map { #"{"wa_id":"4477009\#($0)","user_id":"GB.\#($0)"}"# }
      contacts += [
        #"{"wa_id":"16505551234","user_id":"XX.1"}"#,
        #"{"wa_id":"16505551234"}"#,
        #"{"wa_id":"+16505551234","user_id":"US.7"}"#,
        #"{"wa_id":"16505551234","user_id":"US.9"}"#,
      ]
      let statuses = [
        status("sent", id: "wamid.1"), status("read", id: "wamid.2", recipient: "16315551181"),
      ]
      let body = cloudBody(statuses: statuses).replacingOccurrences(
        of: #""statuses":"#,
        with: #""contacts":["# + contacts.joined(separator: ",") + #"],"statuses":"#)
      let r = convert(body)
      #expect(r.accepted, "\(r.problemList)")
      let bsuids = r.events.map { ($0["context"] as? [String: Any])?["bsuid"] as? String }
      #expect(bsuids == ["US.7", nil], "\(padding)")
    }
  }

  /// Meta's BSUID status: `"recipient_id": ""` with `recipient_user_id`.
  @Test func aUsernameUsersStatusIsAnEventUnderTheBSUID() throws {
    let r = convert(
      cloudBody(statuses: [
        #"{"id":"wamid.S","status":"delivered","timestamp":"1750030073","recipient_id":"","#
          + #""recipient_user_id":"US.13491208655302741918"}"#,
        status("read", recipient: "16505551234", #""recipient_user_id":"BR.1502576394655843""#),
      ]))
    #expect(r.accepted, "\(r.problemList)")
    #expect(
      r.events.map { $0["userId"] as? String } == ["US.13491208655302741918", "+16505551234"])
    #expect(
      (r.events[1]["context"] as? [String: Any])?["bsuid"] as? String == "BR.1502576394655843")
    for line in r.lines { #expect(validate(line, strict: true).valid, "\(line)") }
  }

  @Test func anItemWithNoIdentityIsSkippedAndTheRestOfTheBodyKept() throws {
    let r = convert(
      cloudBody(
        messages: [
          #"{"from":"","id":"wamid.X","timestamp":"1779372805","type":"text","text":{"body":"?"}}"#,
          #"{"id":"wamid.Y","timestamp":"1779372805","type":"text","text":{"body":"?"}}"#,
          message("text"),
        ],
        statuses: [#"{"id":"wamid.S","status":"read","timestamp":"1","recipient_id":""}"#]))
    #expect(r.accepted && r.events.count == 1, "\(r.problemList)")
    #expect(r.tally[.noUserId] == 3)
  }

  @Test func aMalformedBSUIDRejectsTheBodyAsInvalidUserId() throws {
    let r = convert(
      cloudBody(messages: [
        #"{"from":"","from_user_id":"user.9373","id":"wamid.X","timestamp":"1","type":"text"}"#
      ]))
    #expect(!r.accepted)
    #expect(r.problemList == ["invalid_user_id entry[0].changes[0].value.messages[0].from_user_id"])
  }

  /// Meta's message edit and deletion webhooks, and the `unsupported` shape older API
  /// versions send for them.
  @Test func editsAndDeletionsAreSkippedUnderTheirOwnReasons() throws {
    let edit = message(
      "edit", id: "wamid.E",
      #""edit":{"original_message_id":"wamid.M0","message":{"type":"text","text":{"body":"fixed"}}}"#
    )
    let revoke = message("revoke", id: "wamid.R", #""revoke":{"original_message_id":"wamid.M0"}"#)
    let unsupportedEdit = message(
      "unsupported", id: "wamid.UE",
      #""errors":[{"code":131051,"title":"Message type unknown","message":"Message type unknown","#
        + #""error_data":{"details":"Message type is currently not supported."}}],"#
        + #""unsupported":{"type":"edit"}"#)
    let unsupportedRevoke = message(
      "unsupported", id: "wamid.UR",
      #""errors":[{"code":131051,"title":"Message type unknown"}],"unsupported":{"type":"revoke"}"#)
    let r = convert(
      cloudBody(messages: [edit, revoke, unsupportedEdit, unsupportedRevoke, message("text")]))
    #expect(r.accepted && r.events.count == 1)
    #expect(r.tally[.edit] == 2 && r.tally[.revoke] == 2)
  }

  @Test func requestWelcomeIsSkippedUnlessIncluded() throws {
    let body = cloudBody(messages: [message("request_welcome", id: "wamid.W")])
    let skipped = convert(body)
    #expect(skipped.accepted && skipped.events.isEmpty && skipped.tally[.requestWelcome] == 1)
    let included = convert(body, .init(includeWelcome: true))
    #expect(included.properties(0)["contentType"] as? String == "request_welcome")
    #expect(included.properties(0)["hasMedia"] as? Bool == false)
    #expect(validate(included.lines[0], strict: true).valid)
  }

  /// The On-Premises API's voice note.
  @Test func onPremisesVoiceIsAudioWithMedia() throws {
    let body =
      #"{"contacts":[{"profile":{"name":"Kerry Fisher"},"wa_id":"16315551234"}],"messages":[{"#
      + #""from":"16315551234","id":"ABGGFlA5FpafAgo6EhmKc_k_hFOyn9CS-x4k","#
      + #""timestamp":"1518694235","type":"voice","voice":{"#
      + #""file":"/usr/local/wamedia/shared/463e1ba7-2f56-4d8c-ad84-39a7b4e1a2e5","#
      + #""id":"463e1ba7-2f56-4d8c-ad84-39a7b4e1a2e5","mime_type":"audio/ogg; codecs=opus","#
      + #""sha256":"fa9e1807d936b7cebe63654ea3a7912b1fa9479220258d823590521ef53b0710"}}]}"#
    let r = convert(body)
    #expect(r.accepted, "\(r.problemList)")
    #expect(r.properties(0)["contentType"] as? String == "audio")
    #expect(r.properties(0)["hasMedia"] as? Bool == true)
    #expect(validate(r.lines[0], strict: true).valid)
  }

  @Test func aMediaTypeWithoutAMediaIdHasNoMedia() throws {
    let r = convert(
      cloudBody(messages: [
        message("image", #""image":{"caption":"no id","mime_type":"image/jpeg"}"#),
        message("audio", id: "wamid.A"),
      ]))
    #expect(
      r.events.map { ($0["properties"] as? [String: Any])?["hasMedia"] as? Bool } == [
        false, false,
      ])
  }

  /// Meta's status `pricing`: conversation-based (CBP, with a `conversation` object) and
  /// per-message (PMP, none).
  @Test func statusPricingIsCarriedAndConversationIgnored() throws {
    let cbp = status(
      "sent", id: "wamid.CBP",
      #""conversation":{"id":"6ceb9d929c4a4d3f8f5e3b2d1c0b9a88","expiration_timestamp":"1750116473","#
        + #""origin":{"type":"marketing"}},"pricing":{"billable":true,"pricing_model":"CBP","#
        + #""category":"marketing"}"#)
    let pmp = status(
      "delivered", id: "wamid.PMP",
      #""pricing":{"billable":false,"pricing_model":"PMP","category":"utility","#
        + #""type":"free_customer_service"}"#)
    let failed = status(
      "failed", id: "wamid.F",
      #""errors":[{"code":131049,"title":"Not delivered"}],"pricing":{"billable":false}"#)
    let r = convert(cloudBody(statuses: [cbp, pmp, failed]))
    #expect(r.accepted, "\(r.problemList)")
    #expect(
      r.lines[0].contains(
        #""pricing":{"billable":true,"model":"CBP","category":"marketing"}},"context""#))
    #expect(
      r.lines[1].contains(
        #""pricing":{"billable":false,"model":"PMP","category":"utility","#
          + #""type":"free_customer_service"}}"#))
    #expect(r.properties(2)["pricing"] == nil)
    #expect(!r.lines[0].contains("conversation"))
    for line in r.lines {
      let v = validate(line, strict: true)
      #expect(v.valid && v.warnings.isEmpty, "\(line): \(v)")
    }
  }
}
