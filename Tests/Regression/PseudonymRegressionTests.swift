import Foundation
import Testing

/// `wa-enrich --pseudonymize` (docs/privacy.md): what it must leave without a phone number.
@Suite("wa-enrich --pseudonymize regressions")
struct PseudonymRegressionTests {
  /// A scratch folder holding a pseudonymisation key file (mode 0600, as wa-enrich demands);
  /// the caller removes the folder.
  static func keyFile(_ tag: String) throws -> (folder: URL, key: String) {
    let folder = try Tools.scratchFolder(tag)
    let key = folder.appendingPathComponent("key").path
    _ = FileManager.default.createFile(
      atPath: key, contents: Data("0123456789abcdef0123456789abcdef".utf8))
    chmod(key, 0o600)
    return (folder, key)
  }

  /// `campaign.sent`'s `userId` may be any string, and wa-enrich took it as no user's: a
  /// phone number or a BSUID there was written out in clear, while the same event's
  /// `context.bsuid` was pseudonymised and privacy.md promises that `userId` is.
  @Test func aPhoneNumberOrABSUIDAsACampaignsUserIdIsPseudonymisedToo() throws {
    let (folder, key) = try Self.keyFile("campaign-pseudonym")
    defer { try? FileManager.default.removeItem(at: folder) }
    func campaign(_ userId: String) -> String {
      #"{"type":"track","event":"campaign.sent","userId":"\#(userId)","properties":{"campaignId":"c1"},"#
        + #""context":{"channel":"whatsapp","bsuid":"KE.998877"}}"#
    }
    let input = [
      campaign("+254712345678"), campaign("US.ENT.11815799212886844830"),
      campaign(#"+2547\u00312345678"#), campaign("system"),
      #"{"type":"track","event":"message.read","userId":"+254712345678","properties":{"messageId":"m1"},"context":{"channel":"whatsapp"}}"#,
    ].joined(separator: "\n")
    let r = try Tools.run(
      Tools.path("wa-enrich"), ["--pseudonymize", key], input: Data(input.utf8))
    #expect(r.status == 0, "\(r.stderr)")
    for secret in ["254712345678", "2547\\u00312345678", "11815799212886844830", "998877"] {
      #expect(!r.stdout.contains(secret), "\(secret) in \(r.stdout)")
    }
    let ids = try r.stdout.split(separator: "\n").map { line in
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      return object?["userId"] as? String ?? ""
    }
    try #require(ids.count == 5)
    // The number's pseudonym, whatever the event: linking is kept; escapes are decoded first.
    #expect(ids[0].hasPrefix("KE.") && ids[0].count == 35 && ids[0] == ids[4] && ids[2] == ids[4])
    #expect(ids[1].hasPrefix("US.") && ids[1].count == 35)
    // A userId that names no person is left as it was.
    #expect(ids[3] == "system")
    let check = try Tools.run(Tools.path("wa-validate"), ["--strict"], input: Data(r.stdout.utf8))
    #expect(check.status == 0, "\(check.stderr)")
  }
}

extension PseudonymRegressionTests {
  /// `wa-enrich --help` (and its man page) said that under `--pseudonymize` "the output holds
  /// no phone number or BSUID", but wa-convert's `chatId` (`wa:<id>:<wa_id>`) and its
  /// `messageId`s carry the number through it untouched, as docs/privacy.md says.
  @Test func theHelpDoesNotPromiseAnOutputFreeOfPhoneNumbers() throws {
    let (folder, key) = try Self.keyFile("pseudonym-help")
    defer { try? FileManager.default.removeItem(at: folder) }
    let body =
      #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"#
      + #""messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","#
      + #""phone_number_id":"106540352242922"},"messages":[{"from":"16505551234","id":"wamid.A","#
      + #""timestamp":"1750091045","type":"text","text":{"body":"hi"}}]},"field":"messages"}]}]}"#
    let converted = try Tools.run(Tools.path("wa-convert"), [], input: Data((body + "\n").utf8))
    let r = try Tools.run(
      Tools.path("wa-enrich"), ["--pseudonymize", key], input: Data(converted.stdout.utf8))
    #expect(r.status == 0, "\(r.stderr)")
    // The number is out of userId, but still in chatId: the help must not say otherwise.
    #expect(!r.stdout.contains("+16505551234") && r.stdout.contains("16505551234"))
    let help = try Tools.run(Tools.path("wa-enrich"), ["--help"])
    #expect(!help.stdout.contains("holds no phone number"))
    #expect(help.stdout.contains("chatId"))
  }
}
