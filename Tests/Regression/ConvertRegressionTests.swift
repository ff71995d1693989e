import Foundation
import Testing

@testable import WAKit

/// Bugs fixed in wa-convert, each replayed through the built tool from its input file, or
/// through the converter itself where the test counts its work.
@Suite struct ConvertRegressionTests {
  /// `JSONNumber.int64` returned nil for Int64.min (its magnitude was accumulated as a
  /// positive number, one more than Int64.max), so a body whose error code is
  /// -9223372036854775808 was rejected as `wrong_type` (de53651).
  @Test func anErrorCodeOfInt64MinIsConverted() throws {
    let r = try Tools.run(
      Tools.path("wa-convert"), [], input: try Tools.input("error-code-int64-min.webhook.log"))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains(#""event":"message.failed""#))
    #expect(r.stdout.contains(#""errorCode":-9223372036854775808,"#), "\(r.stdout)")
  }

  /// Every message looked its user's username up by walking the whole of `contacts`, so a
  /// body of n messages and n contacts cost n² steps: 20,000 of each (3.5 MB, under the
  /// default 4 MiB) took 21 s. Counted rather than timed: the contacts looked at, and each
  /// message still gets its own contact's username.
  @Test func manyMessagesWithManyContactsLookEachContactUpOnce() throws {
    let n = 5_000
    var contacts: [String] = []
    var messages: [String] = []
    for i in 0..<n {
      let phone = "2547\(10_000_000 + i)"
      contacts.append(#"{"profile":{"name":"N","username":"@u\#(i)"},"wa_id":"\#(phone)"}"#)
      messages.append(
        #"{"from":"\#(phone)","id":"wamid.\#(i)","timestamp":"1749416383","type":"text"}"#)
    }
    let body =
      #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"#
      + #""metadata":{"phone_number_id":"106540352242922"},"contacts":["#
      + contacts.joined(separator: ",") + #"],"messages":["# + messages.joined(separator: ",")
      + #"]},"field":"messages"}]}]}"#
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("wa-convert-contacts-\(getpid()).ndjson").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    try #require(fd >= 0)
    let converter = WebhookConverter()
    let out = OutputBuffer(fd: FileDescriptor(rawValue: fd))
    let bytes = Array(body.utf8)
    let converted = bytes.withUnsafeBytes { raw in
      converter.convert(Line(bytes: raw, number: 1, length: raw.count), to: out)
    }
    out.flush()
    close(fd)
    #expect(converted, "\(converter.problems.first?.message ?? "")")
    #expect(
      converter.contactIndex.visits <= 2 * n,
      "\(converter.contactIndex.visits) contacts looked at for \(n) messages")
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == n)
    for (i, line) in lines.enumerated() where !line.contains(#""username":"@u\#(i)"}"#) {
      Issue.record("event \(i) lacks its username: \(line)")
      break
    }
  }
  /// Meta sends a tap on a marketing message's link as `value.user_actions[]` on the
  /// `messages` field, with no message and no status; wa-convert read only `messages`,
  /// `statuses` and `errors`, so such a body was "1 bodies; 0 items": its clicks (and the
  /// items of any array Meta adds later, here `landing_page_views`) were passed over without
  /// a count. They are skipped items now, each counted under its reason.
  @Test func marketingClicksAndUnknownItemArraysAreCountedNotPassedOver() throws {
    let r = try Tools.run(
      Tools.path("wa-convert"), [], input: try Tools.input("marketing-clicks.webhook.log"))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.split(separator: "\n").count == 1)
    #expect(
      r.stderr.contains(
        "2 bodies, 0 rejected, 0 blank; 4 items: 1 events (message.received 1), 3 skipped "
          + "(user_action 2, other_item 1)"), "\(r.stderr)")
  }

  /// A user known only by a BSUID who quotes their own earlier message sends a `context`
  /// with `from_user_id` (their BSUID) and no `from`: wa-convert compared `context.from`
  /// alone, so it wrote the user's own message as `replyTo`, a business message that never
  /// comes. The same for a user with both, whose context names only the BSUID.
  @Test func aUsernameUserQuotingTheirOwnMessageIsNotAReply() throws {
    let r = try Tools.run(
      Tools.path("wa-convert"), [], input: try Tools.input("username-self-quote.webhook.log"))
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    try #require(lines.count == 3, "\(r.stdout)")
    #expect(!lines[0].contains("replyTo"), "\(lines[0])")
    #expect(lines[1].contains(#""replyTo":"wamid.offer-1""#), "\(lines[1])")
    #expect(!lines[2].contains("replyTo"), "\(lines[2])")
  }
  /// A status of a message the business sent to the user's BSUID has no `recipient_id`;
  /// its contact gives the number (`wa_id`) by the same rules that put it in the user's own
  /// messages as `from`. wa-convert wrote such a `message.sent` under the BSUID, with chatId
  /// `wa:…:ZA.90017`, while the user's messages went under the number: one conversation
  /// split in two, so wa-aggregate saw no first response in it (`firstResponseTime` count 0,
  /// `responseTime` 1). The contact's number is the user now, the BSUID `context.bsuid`.
  @Test func aStatusSentToABSUIDSharesTheChatOfTheUsersMessages() throws {
    let converted = try Tools.run(
      Tools.path("wa-convert"), [],
      input: try Tools.input("status-to-bsuid-with-contact-number.webhook.log"))
    #expect(converted.status == 0, "\(converted.stderr)")
    let lines = converted.stdout.split(separator: "\n").map(String.init)
    try #require(lines.count == 4, "\(converted.stdout)")
    let chat = #""chatId":"wa:208765432100002:27821234567""#
    #expect(lines[0].contains(chat) && lines[1].contains(chat), "\(lines[1])")
    #expect(lines[1].contains(#""userId":"+27821234567""#), "\(lines[1])")
    #expect(lines[1].contains(#""bsuid":"ZA.90017""#), "\(lines[1])")
    #expect(lines[2].contains(#""userId":"ZA.90018""#), "\(lines[2])")
    #expect(lines[3].contains(#""userId":"ZA.90019""#), "\(lines[3])")
    let aggregated = try Tools.run(
      Tools.path("wa-aggregate"), [], input: Data(converted.stdout.utf8))
    #expect(aggregated.status == 0, "\(aggregated.stderr)")
    let snapshot = aggregated.stdout.split(separator: "\n").last.map(String.init) ?? ""
    #expect(
      snapshot.contains(#""firstResponseTime":{"count":1,"#), "\(snapshot.prefix(2000))")
  }
  /// Meta puts a username user's `profile.username` in the contact of delivered and read
  /// statuses as of their messages, and the docs promise `context.username` from the
  /// contact matching the item; wa-convert looked it up for messages only.
  @Test func aStatusOfAUsernameUserCarriesTheUsername() throws {
    let r = try Tools.run(
      Tools.path("wa-convert"), [], input: try Tools.input("status-username.webhook.log"))
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    try #require(lines.count == 2, "\(r.stdout)")
    #expect(lines[0].contains(#""username":"@naledi.m""#), "\(lines[0])")
    #expect(lines[1].contains(#""bsuid":"ZA.90020","username":"@sipho""#), "\(lines[1])")
  }
  /// A status of a message sent to the user's number may carry no `recipient_user_id`, its
  /// contact alone giving the BSUID beside the number. wa-convert wrote no `context.bsuid`, so
  /// when the user answered under the BSUID alone (number hidden behind a username),
  /// wa-aggregate saw two users and no reply (`users.unique` 2, `funnel.replied` 0).
  @Test func aStatusSentToANumberLinksTheBSUIDOfItsContact() throws {
    let converted = try Tools.run(
      Tools.path("wa-convert"), [],
      input: try Tools.input("status-to-number-with-contact-bsuid.webhook.log"))
    #expect(converted.status == 0, "\(converted.stderr)")
    let lines = converted.stdout.split(separator: "\n").map(String.init)
    try #require(lines.count == 2, "\(converted.stdout)")
    #expect(lines[0].contains(#""userId":"+27841234567""#), "\(lines[0])")
    #expect(lines[0].contains(#""bsuid":"ZA.77001""#), "\(lines[0])")
    let aggregated = try Tools.run(
      Tools.path("wa-aggregate"), [], input: Data(converted.stdout.utf8))
    #expect(aggregated.status == 0, "\(aggregated.stderr)")
    let snapshot = aggregated.stdout.split(separator: "\n").last.map(String.init) ?? ""
    #expect(snapshot.contains(#""users":{"unique":1,"#), "\(snapshot.prefix(3000))")
    #expect(snapshot.contains(#""replied":1,"#), "\(snapshot.prefix(3000))")
  }
  /// From v2.45 the On-Premises API gives a status's recipient as `message.recipient_id`, no
  /// longer `recipient_id`; wa-convert, which reads the On-Premises shape, found no user in
  /// any such status and skipped them all as `no_user_id`: no message sent, delivered, read or
  /// failed in the whole log.
  @Test func anOnPremisesStatusWithItsRecipientInMessageIsConverted() throws {
    let r = try Tools.run(
      Tools.path("wa-convert"), [],
      input: try Tools.input("onprem-status-message-recipient.webhook.log"))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(
      r.stderr.contains(
        "4 items: 4 events (message.sent 1, message.delivered 1, message.read 1, "
          + "message.failed 1), 0 skipped"), "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    try #require(lines.count == 4, "\(r.stdout)")
    #expect(lines[0].contains(#""userId":"+254712000333""#), "\(lines[0])")
    #expect(lines[0].contains(#""chatId":"wa:onprem:254712000333""#), "\(lines[0])")
    #expect(lines[3].contains(#""userId":"+254712000444""#), "\(lines[3])")
    #expect(lines[3].contains(#""errorCode":1013"#), "\(lines[3])")
  }

  /// The Payments API reports an order message's payment as a status of that message, with
  /// `type` `"payment"` and a status of its own (`captured`, `pending`, `failed`):
  /// wa-convert read it as a delivery status, so a failed payment of a delivered order
  /// message was `message.failed` (the funnel's failed count and `failedByCode` grew for a
  /// message the user received and tried to pay), a captured one `status_unknown`, and an
  /// On-Premises one, with no recipient, `no_user_id`. All are skipped as `status_payment`.
  @Test func aPaymentStatusIsNoDeliveryStatusOfItsOrderMessage() throws {
    let r = try Tools.run(
      Tools.path("wa-convert"), [], input: try Tools.input("payment-statuses.webhook.log"))
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 2, "\(r.stdout)")
    #expect(!r.stdout.contains("message.failed"), "\(r.stdout)")
    #expect(
      r.stderr.contains(
        "4 bodies, 0 rejected, 0 blank; 5 items: 2 events (message.sent 1, message.delivered 1), "
          + "3 skipped (status_payment 3)"), "\(r.stderr)")
  }

  /// A business on the WhatsApp Business app, onboarded to the Cloud API beside it, answers
  /// from the app too; Meta sends those messages as `message_echoes[]` on the
  /// `smb_message_echoes` field. wa-convert skipped the change as `other_field`, so the chat
  /// it answered showed no message sent, no response time and a read of an unknown message.
  /// Echoes are `message.sent` now; an echo of an edit, a deletion or a reaction is skipped.
  @Test func aBusinessAppEchoIsAMessageSent() throws {
    let r = try Tools.run(
      Tools.path("wa-convert"), [], input: try Tools.input("smb-message-echoes.webhook.log"))
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    try #require(lines.count == 4, "\(r.stdout)")
    for (line, id) in zip(lines[1...2], ["wamid.app-answer", "wamid.app-photo"]) {
      #expect(line.contains(#""event":"message.sent","userId":"+27821234567""#), "\(line)")
      #expect(line.contains(#""messageId":"\#(id)","chatId":"wa:410987654321012:27821234567""#))
    }
    #expect(lines[2].contains(#""contentType":"image"}"#), "\(lines[2])")
    #expect(
      r.stderr.contains(
        "4 bodies, 0 rejected, 0 blank; 7 items: 4 events (message.received 1, "
          + "message.sent 2, message.read 1), 3 skipped (reaction 1, edit 1, revoke 1)"),
      "\(r.stderr)")
    let noSent = try Tools.run(
      Tools.path("wa-convert"), ["--no-sent"],
      input: try Tools.input("smb-message-echoes.webhook.log"))
    #expect(noSent.stdout == r.stdout, "echoes are in no send log: --no-sent keeps them")
  }
}
