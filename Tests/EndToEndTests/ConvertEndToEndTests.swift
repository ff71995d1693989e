import Foundation
import Testing

/// wa-convert as a user runs it (issue #5): Meta's reference bodies to golden events, a
/// generated raw log through the whole pipeline against the generator's ground truth.
@Suite("wa-convert end to end")
struct ConvertEndToEndTests {
  static let reference = "Tests/Fixtures/convert/reference.log"
  static let rejects = "Tests/Fixtures/convert/rejects.log"

  @Test func referenceBodiesGiveTheGoldenEventsAndSummary() throws {
    let r = Subprocess.run("wa-convert", stdin: .file(Fixtures.path(Self.reference)))
    #expect(r.status == 0)
    #expect(
      Fixtures.matchesGolden(r.stdout, "Tests/Fixtures/convert/reference.events.ndjson"),
      "events differ from the golden file")
    #expect(
      Fixtures.matchesGolden(r.stderr, "Tests/Fixtures/convert/reference.stderr"),
      "summary differs from the golden file")
    // Every event is valid for the rest of the pipeline.
    let v = Subprocess.run("wa-validate", stdin: .bytes(r.stdout))
    #expect(v.status == 0 && v.stdout == r.stdout)
  }

  @Test func rejectedBodiesGiveTheGoldenRejectsRecordsAndSummary() throws {
    let rejects = Subprocess.tempPath("rejects")
    let summary = Subprocess.tempPath("summary")
    defer { unlink(rejects); unlink(summary) }
    let r = Subprocess.run(
      "wa-convert", ["--rejects", rejects, "--summary-json", summary],
      stdin: .file(Fixtures.path(Self.rejects)))
    #expect(r.status == 1)
    #expect(Fixtures.matchesGolden(r.stdout, "Tests/Fixtures/convert/rejects.events.ndjson"))
    #expect(Fixtures.matchesGolden(r.stderr, "Tests/Fixtures/convert/rejects.stderr"))
    let records = FileManager.default.contents(atPath: rejects).map(Array.init) ?? []
    #expect(Fixtures.matchesGolden(records, "Tests/Fixtures/convert/rejects.rejects.ndjson"))
    let s = try jsonObject(FileManager.default.contents(atPath: summary) ?? Data())
    let lines = Fixtures.bytes(Self.rejects).filter { $0 == 0x0A }.count
    #expect(intValue(s["lines"]) == lines)
    #expect(
      intValue(s["lines"]) == intValue(s["bodies"]) + intValue(s["rejected"]) + intValue(s["blank"])
    )
    #expect(intValue(s["items"]) == intValue(s["events"]) + intValue(s["skipped"]))
    let parsed = try String(decoding: records, as: UTF8.self).split(separator: "\n").map {
      try jsonObject(Data($0.utf8))
    }
    #expect(parsed.count == intValue(s["rejected"]))
    for record in parsed {
      let errors = record["errors"] as? [[String: Any]] ?? []
      #expect(record["tool"] as? String == "wa-convert" && record["line"] is Int)
      #expect(!errors.isEmpty && errors.allSatisfy { $0["code"] is String && $0["path"] is String })
    }
  }

  /// Thousands of generated bodies: the summary matches the generator's truth item for item,
  /// every event passes wa-validate, and the distinct messages they hold are the truth's.
  @Test func generatedRawLogConvertsToValidEventsMatchingTheTruth() throws {
    let (log, truth) = try generate(bodies: 6000, seed: 5)
    defer { unlink(log); unlink(truth) }
    let t = try jsonObject(FileManager.default.contents(atPath: truth) ?? Data())
    let summary = Subprocess.tempPath("summary")
    defer { unlink(summary) }
    let r = Subprocess.run("wa-convert", ["--summary-json", summary, log], timeout: 120)
    #expect(r.status == 0)
    let s = try jsonObject(FileManager.default.contents(atPath: summary) ?? Data())
    let expected = t["convert"] as? [String: Any] ?? [:]
    #expect(intValue(s["bodies"]) == intValue(t["bodies"]) && intValue(s["lines"]) == 6000)
    #expect(countsOf(s["eventsByType"]) == countsOf(expected["events"]))
    #expect(countsOf(s["skippedByReason"]) == countsOf(expected["skipped"]))
    let v = Subprocess.run("wa-validate", ["--quiet"], stdin: .bytes(r.stdout), timeout: 120)
    #expect(v.status == 0, "\(v.stderrText)")
    var ids: [String: Set<String>] = [:]
    for line in r.stdoutText.split(separator: "\n") {
      let e = try jsonObject(Data(line.utf8))
      let id = (e["properties"] as? [String: Any])?["messageId"] as? String ?? ""
      ids[e["event"] as? String ?? "", default: []].insert(id)
    }
    let sent = ids["message.sent"] ?? []
    let delivered = ids["message.delivered"] ?? []
    let read = ids["message.read"] ?? []
    // The staged funnel (a reply implies read) is wa-aggregate's: see the pipeline test.
    let truthFunnel = countsOf(t["funnel"])
    #expect(sent.count == truthFunnel["sent"])
    #expect(sent.intersection(ids["message.failed"] ?? []).count == truthFunnel["failed"])
    #expect(
      countsOf(t["messages"]) == [
        "received": ids["message.received"]?.count ?? 0, "sent": sent.count,
        "delivered": delivered.count, "read": read.count,
        "failed": ids["message.failed"]?.count ?? 0,
      ])
  }

  /// The issue's pipeline: `wa-convert | wa-validate | wa-aggregate` gives the funnel of the
  /// generator's ground truth.
  @Test func pipelineFunnelEqualsTheGeneratorsTruth() throws {
    let (log, truth) = try generate(bodies: 4000, seed: 11, viaGenEvents: true)
    defer { unlink(log); unlink(truth) }
    let t = try jsonObject(FileManager.default.contents(atPath: truth) ?? Data())
    let r = Subprocess.shell(
      "set -o pipefail; wa-convert '\(log)' | wa-validate | wa-aggregate | tail -n 1",
      timeout: 120)
    try #require(r.status == 0, "the pipeline failed: \(r.stderrText)")
    let snapshot = try jsonObject(Data(r.stdout))
    #expect(countsOf(snapshot["funnel"]) == countsOf(t["funnel"]))
    let messages = countsOf(snapshot["messages"])
    for (key, value) in countsOf(t["messages"]) { #expect(messages[key] == value, "\(key)") }
  }

  // MARK: Helpers

  /// Runs scripts/watools/gen_meta.py (or `scripts/watools/gen_events.py --format meta`, the
  /// same generator); returns the log and truth paths.
  func generate(bodies: Int, seed: Int, viaGenEvents: Bool = false) throws -> (String, String) {
    let log = Subprocess.tempPath("meta.log")
    let truth = Subprocess.tempPath("truth.json")
    let command =
      viaGenEvents
      ? "'\(Fixtures.path("scripts/watools/gen_events.py"))' --format meta --events \(bodies)"
      : "'\(Fixtures.path("scripts/watools/gen_meta.py"))' --bodies \(bodies)"
    let r = Subprocess.shell(
      "python3 \(command) --seed \(seed) --truth '\(truth)' > '\(log)'", timeout: 120)
    try #require(r.status == 0, "gen-meta failed: \(r.stderrText)")
    return (log, truth)
  }
}

private func jsonObject(_ data: Data) throws -> [String: Any] {
  try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
}

private func intValue(_ value: Any?) -> Int { value as? Int ?? -1 }

/// A JSON object of counts as a Swift dictionary (empty when it is not one).
private func countsOf(_ value: Any?) -> [String: Int] {
  (value as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
}

/// The shared vocabulary through the real binaries: a message of every content type
/// wa-convert knows (and one it does not) passes `wa-validate --strict`.
@Suite("wa-convert content types end to end")
struct ConvertContentTypesEndToEndTests {
  @Test func everyContentTypeWaConvertWritesPassesStrictValidation() {
    let c = Subprocess.run(
      "wa-convert",
      [
        "--include-reactions", "--include-welcome",
        Fixtures.path("Tests/Fixtures/convert/content-types.log"),
      ])
    #expect(c.status == 0, "\(c.stderrText)")
    let events = c.stdout.filter { $0 == 0x0A }.count
    #expect(events >= 17, "\(c.stderrText)")  // every body but the skipped system message
    let v = Subprocess.run("wa-validate", ["--strict"], stdin: .bytes(c.stdout))
    #expect(v.status == 0, "\(v.stderrText)")
    #expect(v.stdout == c.stdout)
    #expect(v.stderrText.contains("0 rejected") && v.stderrText.contains("0 warnings"))
  }
}
