import Foundation
import Testing

/// Issue 18 on a generated stream: `gen_events.py --desk` models business-hours agents, bots
/// at any time, assignments, re-assignments, hand-offs and producers with wrong
/// `durationMinutes`; its truth (scripts/watools/desk_truth.py, the definitions read
/// independently in Python) must be what wa-aggregate reports: counts exactly, quantiles
/// within the sketch's 1%.
@Suite("Service desk against the generator's truth")
struct ServiceDeskTruthTests {
  static func dict(_ v: Any?) -> [String: Any] { (v as? [String: Any]) ?? [:] }

  @Test func everyServiceDeskNumberEqualsTheGeneratorsTruth() throws {
    let dir = NSTemporaryDirectory() + "wa-desk-truth-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let gen = Subprocess.shell(
      "python3 '\(Fixtures.path("scripts/watools/gen_events.py"))' --events 12000 --seed 18 "
        + "--days 4 --assign-rate 0.5 --desk --duplicate-rate 0.02 --out '\(dir)/s.ndjson' "
        + "--truth '\(dir)/truth.json'", timeout: 300)
    #expect(gen.status == 0, "\(gen.stderrText)")
    let truthData = try Data(contentsOf: URL(fileURLWithPath: dir + "/truth.json"))
    let truth = Self.dict(
      Self.dict(try JSONSerialization.jsonObject(with: truthData))["desk"])
    let flags = try #require(truth["flags"] as? [String])
    let r = Subprocess.run("wa-aggregate", ["--quiet"] + flags + [dir + "/s.ndjson"])
    #expect(r.status == 0, "\(r.stderrText)")
    let s = try AggregateEndToEndTests.object(r.stdoutText.split(separator: "\n").last ?? "")

    // The generator made what the numbers are about.
    let model = Self.dict(truth["model"])
    #expect((model["reassignments"] as? Int ?? 0) > 10)
    #expect((model["wrongDurationMinutes"] as? Int ?? 0) > 10)

    // Counts, exactly.
    let conversations = Self.dict(s["conversations"])
    let started = conversations["started"] as? Int
    #expect(started != nil && started == truth["started"] as? Int, "started")
    #expect(
      Self.dict(s["handling"]) as NSDictionary == Self.dict(truth["handling"]) as NSDictionary,
      "handling")
    #expect(conversations["disagree"] as? Int == truth["disagree"] as? Int, "disagree")
    // Every wrong durationMinutes is caught (and any other disagreement is a real one).
    #expect((truth["disagree"] as? Int ?? 0) >= (model["wrongDurationMinutes"] as? Int ?? 1))
    #expect(
      Self.dict(s["waiting"]) as NSDictionary == Self.dict(truth["waiting"]) as NSDictionary,
      "waiting")
    let sla = Self.dict(s["sla"])
    let truthSLA = Self.dict(truth["sla"])
    for name in ["firstResponse", "resolution"] {
      let got = Self.dict(sla[name])
      let want = Self.dict(truthSLA[name])
      var total = 0
      for key in ["met", "missed", "pending"] {
        #expect(got[key] as? Int == want[key] as? Int, "sla.\(name).\(key)")
        total += got[key] as? Int ?? 0
      }
      // Each conversation with an inbound message is in exactly one outcome.
      #expect(total == started, "sla.\(name): met + missed + pending = started")
    }

    // Distributions: counts exactly, quantiles within 1% (exact below 2,048 samples).
    func close(_ got: [String: Any], _ want: [String: Any], _ name: String) {
      #expect(got["count"] as? Int == want["count"] as? Int, "\(name).count")
      #expect((want["count"] as? Int ?? 0) > 100, "\(name): too few samples to mean much")
      for q in ["p50Seconds", "p90Seconds"] {
        let a = got[q] as? Double ?? -1
        let b = want[q] as? Double ?? 0
        #expect(abs(a - b) <= 0.01 * b + 0.001, "\(name).\(q): \(a) vs \(b)")
      }
    }
    for name in ["firstResponseTime", "agentFirstResponseTime", "assignmentResponseTime"] {
      close(Self.dict(s[name]), Self.dict(truth[name]), name)
    }
    close(
      Self.dict(Self.dict(s["firstResponseTime"])["business"]),
      Self.dict(truth["firstResponseBusiness"]), "firstResponseTime.business")
  }
}
