import Foundation
import Testing

/// Pricing from Meta's raw status bodies to the snapshot: wa-convert carries each status's
/// `pricing` (both of Meta's models: conversation-based `CBP`, with its `conversation` object,
/// and per-message `PMP`), wa-aggregate counts each message's first one and prices it with
/// `--rate-card`. The shapes are those of Meta's status webhook reference
/// (developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status).
@Suite("templates, campaigns and pricing end to end")
struct PricingEndToEndTests {
  /// One Cloud API body with one status.
  static func body(_ status: String, id: String, to: String, time: Int, _ extra: String) -> String {
    #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":"#
      + #"{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","#
      + #""phone_number_id":"106540352242922"},"statuses":[{"id":"\#(id)","status":"\#(status)","#
      + #""timestamp":"\#(time)","recipient_id":"\#(to)",\#(extra)}]},"field":"messages"}]}]}"#
      + "\n"
  }

  static let kenya = "254711000001"
  static let nigeria = "2348031000001"

  /// CBP: billable marketing in a conversation opened by a marketing template.
  static let cbp =
    #""conversation":{"id":"6ceb9d929c4a4d3f8f5e3b2d1c0b9a88","expiration_timestamp":"1764763200","#
    + #""origin":{"type":"marketing"}},"#
    + #""pricing":{"billable":true,"pricing_model":"CBP","category":"marketing"}"#
  /// PMP, billable utility and a free service reply.
  static let pmpUtility =
    #""pricing":{"billable":true,"pricing_model":"PMP","type":"regular","category":"utility"}"#
  static let pmpFree =
    #""pricing":{"billable":false,"pricing_model":"PMP","type":"free_customer_service","#
    + #""category":"service"}"#

  @Test func statusPricingOfBothModelsReachesTheSnapshotAndTheCost() throws {
    let t = 1_764_676_800  // 2025-12-02T12:00:00Z
    let bodies =
      Self.body("sent", id: "wamid.K1", to: Self.kenya, time: t, Self.cbp)
      + Self.body("delivered", id: "wamid.K1", to: Self.kenya, time: t + 5, Self.cbp)
      + Self.body("sent", id: "wamid.N1", to: Self.nigeria, time: t + 10, Self.pmpUtility)
      + Self.body("read", id: "wamid.N1", to: Self.nigeria, time: t + 60, Self.pmpUtility)
      + Self.body("sent", id: "wamid.S1", to: Self.kenya, time: t + 20, Self.pmpFree)
      + Self.body("sent", id: "wamid.X1", to: Self.nigeria, time: t + 30, Self.cbp)
    let dir = Subprocess.tempPath("pricing-e2e")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { Subprocess.remove(dir) }
    let log = dir + "/bodies.log"
    let card = dir + "/card.csv"
    try bodies.write(toFile: log, atomically: true, encoding: .utf8)
    // No NG marketing row and no * row: wamid.X1 is billable and unpriced.
    try "country,category,price,currency\nKE,marketing,0.0225,USD\nNG,utility,0.0067,USD\n"
      .write(toFile: card, atomically: true, encoding: .utf8)
    let r = Subprocess.shell(
      "wa-convert --quiet '\(log)' | wa-validate --quiet --strict | wa-aggregate --quiet "
        + "--rate-card '\(card)'")
    #expect(r.status == 0, "\(r.stderrText)")
    let s = try AggregateEndToEndTests.object(r.stdoutText.split(separator: "\n").last ?? "")
    let pricing = try #require(s["pricing"] as? [String: Any])
    #expect(pricing["billable"] as? Int == 3 && pricing["free"] as? Int == 1, "\(pricing)")
    let byCategory = try #require(pricing["byCategory"] as? [String: [String: Int]])
    #expect(byCategory["marketing"] == ["billable": 2, "free": 0])
    #expect(byCategory["utility"] == ["billable": 1, "free": 0])
    #expect(byCategory["service"] == ["billable": 0, "free": 1])
    let countries = try #require(s["countries"] as? [String: [String: Any]])
    #expect(countries["KE"]?["billable"] as? Int == 1 && countries["NG"]?["billable"] as? Int == 2)
    let cost = try #require(s["cost"] as? [String: Any])
    #expect(cost["currency"] as? String == "USD")
    #expect(cost["total"] as? Double == 0.0292, "0.0225 + 0.0067: \(cost)")
    #expect(cost["unpriced"] as? Int == 1)
    #expect((cost["byCountry"] as? [String: Double]) == ["KE": 0.0225, "NG": 0.0067])
  }

  /// A template id of 10 kB and ids with control characters (BEL, ESC, a newline): capped to
  /// 256 bytes by wa-aggregate, and escaped in every output of wa-report.
  @Test func hugeAndHostileTemplateIdsAreCappedAndEscapedEverywhere() throws {
    let huge = String(repeating: "x", count: 10_240)
    let hostile = "promo\\u0007\\u001b[31mred\\n"
    var lines = ""
    for (i, id) in [huge, hostile].enumerated() {
      lines +=
        "{\"type\":\"track\",\"event\":\"message.sent\",\"userId\":\"+254711000001\","
        + "\"timestamp\":\"2026-11-02T10:00:0\(i)Z\",\"properties\":{\"messageId\":\"m\(i)\","
        + "\"chatId\":\"c\",\"templateId\":\"\(id)\",\"campaignId\":\"\(id)\","
        + "\"pricing\":{\"billable\":true,\"category\":\"\(id)\"}},"
        + "\"context\":{\"channel\":\"whatsapp\"}}\n"
    }
    let dir = Subprocess.tempPath("hostile-ids")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { Subprocess.remove(dir) }
    let events = dir + "/events.ndjson"
    let card = dir + "/card.csv"
    try lines.write(toFile: events, atomically: true, encoding: .utf8)
    try "country,category,price,currency\n*,marketing,0.01,USD\n".write(
      toFile: card, atomically: true, encoding: .utf8)
    let agg = Subprocess.run("wa-aggregate", ["--quiet", "--rate-card", card, events])
    #expect(agg.status == 0, "\(agg.stderrText)")
    let s = try AggregateEndToEndTests.object(agg.stdoutText.split(separator: "\n").last ?? "")
    for section in ["templates", "campaigns"] {
      let keys = try #require((s[section] as? [String: Any])?.keys.map { $0 })
      #expect(keys.count == 2, "\(section): \(keys)")
      #expect(keys.allSatisfy { $0.utf8.count <= 256 }, "\(section) ids are capped")
      #expect(keys.contains { $0.hasPrefix("xxxx") && $0.hasSuffix("…") })
    }
    let categories = try #require(
      ((s["pricing"] as? [String: Any])?["byCategory"] as? [String: Any])?.keys.map { $0 })
    #expect(categories.allSatisfy { $0.utf8.count <= 256 })
    let snapshot = dir + "/snapshot.ndjson"
    try agg.stdoutText.write(toFile: snapshot, atomically: true, encoding: .utf8)
    for format in [["--format", "text"], ["--format", "prometheus"], ["--format", "html"]] {
      let r = Subprocess.run("wa-report", format + [snapshot])
      #expect(r.status == 0, "\(format): \(r.stderrText)")
      let bytes = Array(r.stdout)
      #expect(!bytes.contains(0x07) && !bytes.contains(0x1B), "\(format): a raw control byte")
      #expect(!r.stdoutText.contains(huge), "\(format): the 10 kB id in full")
      if format[1] == "text" {
        #expect(r.stdoutText.contains("Templates") && r.stdoutText.contains("Campaigns"))
        for line in r.stdoutText.split(separator: "\n") {
          #expect(line.count <= 100, "\(line)")
        }
      }
    }
  }

  /// The example rate card loads, and its header says where its figures come from, their
  /// date, and that they are the user's to keep current.
  @Test func theExampleRateCardLoadsAndSaysWhereItsFiguresComeFrom() throws {
    let path = Fixtures.path("examples/rate-card.csv")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    for needle in ["Where the figures come from", "2025-07-01", "read 2026-", "Keep your own card"]
    {
      #expect(text.contains(needle), "examples/rate-card.csv says nothing of \(needle)")
    }
    let r = Subprocess.run(
      "wa-aggregate", ["--quiet", "--rate-card", path],
      stdin: .bytes([]))
    #expect(r.status == 0, "\(r.stderrText)")
    let cost = try AggregateEndToEndTests.object(r.stdoutText.split(separator: "\n").last ?? "")
    #expect((cost["cost"] as? [String: Any])?["currency"] as? String == "USD")
  }

  /// On a generated stream where templates have their own read and failure rates, every
  /// template's and campaign's sent, failed and clicked, and each campaign's audience, name and
  /// template, equal the generator's truth; `clicked ≤ replied` for each; the templates' `sent`
  /// add up to `messages.sentTemplate`, and every stage of their sums equals the funnel of the
  /// template messages alone.
  @Test(arguments: [3, 11])
  func templatesAndCampaignsEqualTheGeneratorsTruth(seed: Int) throws {
    let dir = Subprocess.tempPath("template-truth-\(seed)")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { Subprocess.remove(dir) }
    let gen = Subprocess.shell(
      "python3 '\(Fixtures.path("scripts/watools/gen_events.py"))' --seed \(seed) --events 4000 "
        + "--campaigns --template-rates --pricing-rate 0.6 --invalid-rate 0.02 "
        + "--out '\(dir)/s.ndjson' --truth '\(dir)/truth.json'", timeout: 120)
    #expect(gen.status == 0, "\(gen.stderrText)")
    let truth = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: dir + "/truth.json"))) as? [String: Any])
    let r = Subprocess.run("wa-aggregate", ["--quiet", dir + "/s.ndjson"])
    let s = try AggregateEndToEndTests.object(r.stdoutText.split(separator: "\n").last ?? "")
    for section in ["templates", "campaigns"] {
      let expected = try #require(truth[section] as? [String: [String: Any]])
      let got = try #require(s[section] as? [String: [String: Any]])
      #expect(!expected.isEmpty && Set(expected.keys) == Set(got.keys), "\(section) ids")
      for (id, numbers) in expected {
        for (name, value) in numbers {
          #expect(
            "\(got[id]?[name] ?? "nil")" == "\(value)", "\(section).\(id).\(name): truth \(value)")
        }
        let clicked = got[id]?["clicked"] as? Int ?? -1
        let replied = got[id]?["replied"] as? Int ?? -1
        #expect(
          clicked >= 0 && clicked <= replied, "\(section).\(id): clicked \(clicked) > replied")
      }
    }
    let templates = try #require(s["templates"] as? [String: [String: Any]])
    let funnel = try #require(s["funnel"] as? [String: Int])
    let sentTemplate = (s["messages"] as? [String: Any])?["sentTemplate"] as? Int
    #expect(templates.values.reduce(0) { $0 + ($1["sent"] as? Int ?? 0) } == sentTemplate)
    for stage in ["sent", "delivered", "read", "replied", "failed"] {
      let sum = templates.values.reduce(0) { $0 + ($1[stage] as? Int ?? 0) }
      #expect(sum <= funnel[stage] ?? 0, "templates' \(stage) \(sum) > funnel's")
    }
    // The same stream without the sent messages that name no template: its funnel is the
    // cumulative funnel of the template messages alone (a message's reply, read and delivery
    // do not depend on the other messages of its user), and equals the templates' sums.
    let filter = Subprocess.shell(
      """
      python3 -c '
      import json, sys
      for line in sys.stdin.buffer:
          try:
              e = json.loads(line)
          except Exception:
              e = None
          if (isinstance(e, dict) and e.get("event") == "message.sent" and isinstance(e.get("properties"), dict)
                  and not isinstance(e["properties"].get("templateId"), str)):
              continue
          sys.stdout.buffer.write(line)
      ' < '\(dir)/s.ndjson' > '\(dir)/templates-only.ndjson'
      """)
    #expect(filter.status == 0, "\(filter.stderrText)")
    let only = Subprocess.run("wa-aggregate", ["--quiet", dir + "/templates-only.ndjson"])
    let alone = try AggregateEndToEndTests.object(only.stdoutText.split(separator: "\n").last ?? "")
    let templateFunnel = try #require(alone["funnel"] as? [String: Int])
    for stage in ["sent", "delivered", "read", "replied", "failed"] {
      let sum = templates.values.reduce(0) { $0 + ($1[stage] as? Int ?? 0) }
      #expect(sum == templateFunnel[stage], "templates' \(stage) \(sum), template messages' funnel")
    }
    // The read rates differ as the generator's table makes them (a one-time password is read
    // far more than a promotion's reminder).
    let readRate = { (id: String) in
      ((templates[id]?["rates"] as? [String: Any])?["read"] as? Double) ?? -1
    }
    #expect(readRate("delivery_otp") > readRate("promo_nov"))
  }
}
