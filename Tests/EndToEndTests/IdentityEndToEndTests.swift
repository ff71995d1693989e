import Foundation
import Testing

/// Users known by phone number, by BSUID, or by both (SPEC §2, §5 "Identity"), and the same
/// stream pseudonymised (SPEC §4), through the real binaries on generated streams.
@Suite("identity and pseudonyms end to end")
struct IdentityEndToEndTests {
  /// A generated stream (scripts/watools/gen_events.py) and its truth file.
  static func generate(_ args: String) throws -> (log: String, truth: [String: Any]) {
    let log = Subprocess.tempPath("events.ndjson")
    let truth = Subprocess.tempPath("truth.json")
    let script = Fixtures.path("scripts/watools/gen_events.py")
    let r = Subprocess.shell(
      "python3 '\(script)' \(args) --out '\(log)' --truth '\(truth)'", timeout: 120)
    try #require(r.status == 0, "gen_events failed: \(r.stderrText)")
    defer { unlink(truth) }
    let t = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truth)))
    return (log, t as? [String: Any] ?? [:])
  }

  /// The final snapshot of `wa-aggregate` over a file.
  static func aggregate(_ path: String) throws -> [String: Any] {
    let r = Subprocess.run("wa-aggregate", ["--quiet", "--exit-zero", path], timeout: 120)
    try #require(r.status == 0, "\(r.stderrText)")
    let last = try #require(r.stdoutText.split(separator: "\n").last)
    return try object(last)
  }

  /// The numbers that link events, and must not depend on how users are named.
  static func linked(_ s: [String: Any]) -> NSDictionary {
    let keep = [
      "funnel", "rates", "responseTime", "agentResponseTime", "countries", "messages",
      "contacts", "agents", "conversations", "volumeByHour", "heatmap",
    ]
    var d: [String: Any] = [:]
    for k in keep { d[k] = s[k] }
    var users = s["users"] as? [String: Any] ?? [:]
    users["byIdentity"] = nil
    d["users"] = users
    var input = s["input"] as? [String: Any] ?? [:]
    input["lines"] = nil
    input["rejected"] = nil
    d["input"] = input
    return NSDictionary(dictionary: d)
  }

  static let args = "--seed 3 --events 8000 --invalid-rate 0.01 --duplicate-rate 0.02"

  @Test func personsAcrossPhoneAndBSUIDAreCountedAsTheGeneratorMadeThem() throws {
    // 20% of users only by BSUID, 10% under both; the same stream without BSUIDs (the
    // generator draws identities apart from everything else: same events, same times).
    let (mixed, truth) = try Self.generate(Self.args + " --bsuid-share 0.2 --both-share 0.1")
    let (plain, plainTruth) = try Self.generate(Self.args)
    defer {
      unlink(mixed)
      unlink(plain)
    }
    let identities = truth["identities"] as? [String: Int] ?? [:]
    let persons = try #require(truth["persons"] as? Int)
    #expect(persons > 300 && persons < 1500)  // exact counting: below the sketch's 1,536
    #expect((identities["bsuid"] ?? 0) * 100 / persons >= 15)
    #expect((identities["both"] ?? 0) * 100 / persons >= 6)
    let s = try Self.aggregate(mixed)
    let users = s["users"] as? [String: Any] ?? [:]
    #expect(users["unique"] as? Int == persons)
    let byIdentity = users["byIdentity"] as? [String: Int] ?? [:]
    #expect(byIdentity == truth["usersByIdentity"] as? [String: Int])
    #expect(plainTruth["persons"] as? Int == persons)
    // Replies and response times of BSUID users count as those of phone users: every number
    // equals the all-phone stream's.
    let p = try Self.aggregate(plain)
    #expect(Self.linked(s) == Self.linked(p))
    #expect((s["funnel"] as? [String: Int])?["replied"] ?? 0 > 500)
    #expect((s["responseTime"] as? [String: Any])?["count"] as? Int ?? 0 > 500)
  }

  @Test func aPseudonymisedStreamValidatesHoldsNoIdentifierAndAggregatesTheSame() throws {
    let (log, _) = try Self.generate(Self.args + " --bsuid-share 0.2 --both-share 0.1")
    let key = Subprocess.tempPath("key")
    let pseudo = Subprocess.tempPath("pseudo.ndjson")
    FileManager.default.createFile(
      atPath: key, contents: Data((0..<32).map { _ in UInt8.random(in: 0...255) }))
    chmod(key, 0o600)
    defer {
      for p in [log, key, pseudo] { unlink(p) }
    }
    let e = Subprocess.shell(
      "wa-enrich --quiet --exit-zero --pseudonymize '\(key)' '\(log)' > '\(pseudo)'",
      timeout: 120)
    try #require(e.status == 0, "\(e.stderrText)")
    let v = Subprocess.run("wa-validate", ["--quiet", pseudo], timeout: 120)
    #expect(v.status == 0, "\(v.stderrText)")
    // No phone number or BSUID of the input is left (with or without its '+').
    let input = Subprocess.run("wa-validate", ["--quiet", "--exit-zero", log], timeout: 120)
    var identifiers = Set<String>()
    for line in input.stdoutText.split(separator: "\n") {
      let d = try object(line)
      if let u = d["userId"] as? String { identifiers.insert(u) }
      if let b = (d["context"] as? [String: Any])?["bsuid"] as? String { identifiers.insert(b) }
    }
    #expect(identifiers.contains { !$0.hasPrefix("+") } && identifiers.count > 300)
    let output = try String(contentsOfFile: pseudo, encoding: .utf8)
    let leaked = identifiers.filter { output.contains($0) || output.contains($0.dropFirst()) }
    #expect(leaked.isEmpty, "\(leaked.prefix(5))")
    #expect(!output.contains(#""username""#))
    // The same numbers, users seen under both identifiers included; only byIdentity differs
    // (every pseudonym has the BSUID form).
    let a = try Self.aggregate(log)
    let b = try Self.aggregate(pseudo)
    #expect(Self.linked(a) == Self.linked(b))
    let users = b["users"] as? [String: Any] ?? [:]
    #expect(users["unique"] as? Int == (a["users"] as? [String: Any])?["unique"] as? Int)
    #expect((users["byIdentity"] as? [String: Int])?["phone"] == 0)
  }
}
