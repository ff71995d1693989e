import Foundation
import Testing

/// Generated collector logs (scripts/watools/gen_events.py `--batch-share`, `--foreign-share`)
/// and generated Meta bodies with the version 2 shapes (gen_meta.py), through the real
/// binaries: every line, batch element and foreign line accounted for as the generator's
/// truth says, and the numbers those of the same stream without collector lines.
@Suite("generated collector logs and version 2 webhook bodies end to end")
struct CollectorStreamEndToEndTests {
  static let args = "--seed 9 --events 6000 --invalid-rate 0.01 --blank-rate 0.005"
  static let collector = " --batch-share 0.3 --foreign-share 0.1 --bsuid-share 0.2 --both-share 0.1"

  /// IdentityEndToEndTests.linked without the collector's own counts (and blank lines, which
  /// wa-validate's output no longer has).
  static func linked(_ s: [String: Any]) -> NSDictionary {
    var s = s
    var input = s["input"] as? [String: Any] ?? [:]
    for key in ["batches", "batchItems", "foreign", "blank"] { input[key] = nil }
    s["input"] = input
    return IdentityEndToEndTests.linked(s)
  }

  static func counts(_ value: Any?) -> [String: Int] {
    (value as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
  }

  @Test func aCollectorLogIsAccountedForAsTheGeneratorWroteIt() throws {
    let (log, truth) = try IdentityEndToEndTests.generate(Self.args + Self.collector)
    let (plain, _) = try IdentityEndToEndTests.generate(
      Self.args + " --bsuid-share 0.2 --both-share 0.1")
    let summary = Subprocess.tempPath("summary")
    defer { for p in [log, plain, summary] { unlink(p) } }
    let t = Self.counts(truth)
    try #require((t["batches"] ?? 0) > 100 && (t["foreign"] ?? 0) > 300, "\(t)")

    // --foreign skip: the foreign lines counted, only the invalid lines rejected. The truth is
    // for the default (--foreign reject): an invalid line that lost its `type` or its event
    // name (SPEC §2) reads as foreign here, so the two shares move together.
    let skip = Subprocess.run(
      "wa-validate", ["--quiet", "--foreign", "skip", "--summary-json", summary, log],
      timeout: 120)
    #expect(skip.status == 1, "the stream has invalid lines")
    let s = Self.counts(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary))))
    for (mine, theirs) in [
      ("lines", "lines"), ("batches", "batches"), ("batchItems", "batchItems"),
      ("blank", "blank"), ("valid", "events"),
    ] {
      #expect(s[mine] == t[theirs], "\(mine): \(s[mine] ?? -1), truth \(t[theirs] ?? -1)")
    }
    let (foreign, rejected) = (t["foreign"] ?? 0, t["rejected"] ?? 0)
    #expect((s["foreign"] ?? 0) + (s["rejected"] ?? 0) == foreign + rejected)
    #expect((foreign...(foreign + rejected / 10)).contains(s["foreign"] ?? 0), "\(s)")
    // The default (--foreign reject): every foreign line is one more reject, nothing else moves.
    let reject = Subprocess.run(
      "wa-validate", ["--quiet", "--summary-json", summary, log], timeout: 120)
    #expect(reject.status == 1)
    let r = Self.counts(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary))))
    #expect(r["rejected"] == (t["rejected"] ?? 0) + (t["foreign"] ?? 0) && r["foreign"] == 0)
    #expect(r["valid"] == t["events"])

    // wa-aggregate: the snapshot's input says the same, and every number is that of the stream
    // without batches and foreign lines.
    let a = Subprocess.run(
      "wa-aggregate", ["--quiet", "--exit-zero", "--foreign", "skip", log], timeout: 120)
    try #require(a.status == 0, "\(a.stderrText)")
    let snapshot = try object(try #require(a.stdoutText.split(separator: "\n").last))
    let input = Self.counts(snapshot["input"])
    #expect(input["foreign"] == s["foreign"] && input["rejected"] == s["rejected"])
    for key in ["lines", "batches", "batchItems", "blank", "events"] {
      #expect(input[key] == t[key], "input.\(key): \(input[key] ?? -1), truth \(t[key] ?? -1)")
    }
    let p = try IdentityEndToEndTests.aggregate(plain)
    #expect(Self.linked(snapshot) == Self.linked(p))
    #expect(
      (snapshot["users"] as? [String: Any])?["unique"] as? Int == truth["persons"] as? Int)

    // wa-validate writes each element as a line: its output aggregates like the plain stream.
    let valid = Subprocess.tempPath("valid.ndjson")
    defer { unlink(valid) }
    let written = Subprocess.shell(
      "wa-validate --quiet --exit-zero --foreign skip '\(log)' > '\(valid)'", timeout: 120)
    #expect(written.status == 0)
    #expect(
      Self.linked(try IdentityEndToEndTests.aggregate(valid)) == Self.linked(p))
  }

  /// A malformed BSUID, as userId or as context.bsuid, in every filter: a clear error naming
  /// the field, the line counted as rejected, the next line kept.
  @Test func aMalformedBSUIDIsAClearRejectInEveryFilter() {
    let good =
      #"{"type":"track","event":"message.read","userId":"US.13491208655302741918","#
      + #""properties":{"messageId":"m1"},"context":{"channel":"whatsapp"}}"#
    let lines = [
      good.replacingOccurrences(of: "US.13491208655302741918", with: "XX.13491208655302741918"),
      good.replacingOccurrences(of: "US.13491208655302741918", with: "US.1349-1208"),
      good.replacingOccurrences(
        of: #""channel":"whatsapp""#, with: #""channel":"whatsapp","bsuid":"us.1""#
      ).replacingOccurrences(of: "US.13491208655302741918", with: "+254712345678"),
      good,
    ]
    let input = Array((lines.joined(separator: "\n") + "\n").utf8)
    for tool in ["wa-validate", "wa-enrich", "wa-aggregate"] {
      let r = Subprocess.run(tool, [], stdin: .bytes(input))
      #expect(r.status == 1, "\(tool): \(r.stderrText)")
      #expect(r.stderrText.contains("\(tool): <stdin>:1: userId: invalid_user_id: "), "\(tool)")
      #expect(r.stderrText.contains("\(tool): <stdin>:2: userId: invalid_user_id: "), "\(tool)")
      #expect(
        r.stderrText.contains("\(tool): <stdin>:3: context.bsuid: invalid_user_id: "),
        "\(tool): \(r.stderrText)")
      #expect(r.stderrText.contains("3 rejected"), "\(tool): \(r.stderrText)")
    }
  }

  /// gen_meta.py's version 2 shapes (edit, revoke, request_welcome, On-Premises voice, users
  /// known by number and BSUID, username-only users) through wa-convert: skipped under their
  /// own reasons, the rest events that pass `wa-validate --strict`.
  @Test func generatedVersion2BodiesConvertAsTheSpecSays() throws {
    let log = Subprocess.tempPath("meta.log")
    let truth = Subprocess.tempPath("truth.json")
    let summary = Subprocess.tempPath("summary")
    defer { for p in [log, truth, summary] { unlink(p) } }
    let script = Fixtures.path("scripts/watools/gen_meta.py")
    let g = Subprocess.shell(
      "python3 '\(script)' --bodies 6000 --seed 5 --out '\(log)' --truth '\(truth)'", timeout: 120)
    try #require(g.status == 0, "\(g.stderrText)")
    let raw = try String(contentsOfFile: log, encoding: .utf8)
    for shape in [
      #""type":"edit","#, #""type":"revoke","#, #""type":"request_welcome""#, #""type":"voice","#,
      #""recipient_id":"","#, #""from":"","#, #""username":"@"#,
    ] {
      #expect(raw.contains(shape), "gen_meta.py writes no \(shape)")
    }
    let t = try object(Substring(try String(contentsOfFile: truth, encoding: .utf8)))
    let skipped = Self.counts((t["convert"] as? [String: Any])?["skipped"])
    for reason in ["edit", "revoke", "request_welcome"] {
      #expect((skipped[reason] ?? 0) > 10, "\(reason): \(skipped)")
    }
    let c = Subprocess.run("wa-convert", ["--summary-json", summary, log], timeout: 120)
    #expect(c.status == 0, "\(c.stderrText)")
    let s = try object(Substring(try String(contentsOfFile: summary, encoding: .utf8)))
    #expect(Self.counts(s["skippedByReason"]) == skipped)
    var bsuidUsers = 0
    var both = 0
    var usernames = 0
    for line in c.stdoutText.split(separator: "\n") {
      let e = try object(line)
      let context = e["context"] as? [String: Any] ?? [:]
      if (e["userId"] as? String)?.hasPrefix("+") == false { bsuidUsers += 1 }
      if context["bsuid"] != nil { both += 1 }
      if context["username"] != nil { usernames += 1 }
    }
    #expect(bsuidUsers > 10 && both > 100 && usernames > 20, "\(bsuidUsers) \(both) \(usernames)")
    let v = Subprocess.run("wa-validate", ["--strict", "--quiet"], stdin: .bytes(c.stdout))
    #expect(v.status == 0, "\(v.stderrText)")
    // --include-welcome: each opener becomes a message.received of type request_welcome.
    let w = Subprocess.run("wa-convert", ["--include-welcome", log], timeout: 120)
    let welcomes = w.stdoutText.split(separator: "\n").filter {
      $0.contains(#""contentType":"request_welcome""#)
    }
    #expect(welcomes.count == skipped["request_welcome"])
  }
}
