import Foundation
import Testing

/// `wa-aggregate --window` as a user runs it: a 60-day generated stream against the
/// generator's per-day truth and the cumulative snapshot, and a live FIFO.
@Suite("wa-aggregate windows end to end")
struct WindowEndToEndTests {
  /// A 60-day stream in Nairobi, aggregated by day with every window held (so nothing is
  /// late and the windows must add up to the snapshot exactly).
  struct SixtyDays: @unchecked Sendable {
    var windows: [[String: Any]] = []
    var snapshot: [String: Any] = [:]
    var truth: [String: Any] = [:]
    var error: String? = nil
  }

  static let sixtyDays: SixtyDays = {
    var run = SixtyDays()
    let log = Subprocess.tempPath("sixty.ndjson")
    let truth = Subprocess.tempPath("sixty.truth.json")
    defer {
      unlink(log)
      unlink(truth)
    }
    let gen = Subprocess.shell(
      "python3 '\(Fixtures.path("scripts/watools/gen_events.py"))' --seed 16 --days 60 "
        + "--events 20000 --truth-tz Africa/Nairobi --truth '\(truth)' > '\(log)'", timeout: 300)
    guard gen.status == 0 else {
      run.error = "gen_events failed: \(gen.stderrText)"
      return run
    }
    let r = Subprocess.run(
      "wa-aggregate",
      ["--quiet", "--window", "1d", "--tz", "Africa/Nairobi", "--state-horizon", "61d", log],
      timeout: 300)
    guard r.status == 0 else {
      run.error = "wa-aggregate failed: \(r.stderrText)"
      return run
    }
    var latest: [String: [String: Any]] = [:]
    for line in r.stdoutText.split(separator: "\n") {
      let o = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
      if o["kind"] as? String == "wa.snapshot" {
        run.snapshot = o
        continue
      }
      let w = o["window"] as? [String: Any] ?? [:]
      let start = w["start"] as? String ?? ""
      let kept = (latest[start]?["window"] as? [String: Any])?["revision"] as? Int ?? 0
      if w["revision"] as? Int ?? 0 > kept { latest[start] = o }
    }
    run.windows = latest.keys.sorted().compactMap { latest[$0] }
    let data = FileManager.default.contents(atPath: truth) ?? Data()
    run.truth = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    return run
  }()

  /// Integer leaves of a section by path, zeros left out; numbers that do not add up by
  /// nature (distinct users, means, quantiles, maxima, rates) are skipped.
  static func additive(_ value: Any, _ path: String = "", into out: inout [String: Int]) {
    let skipped: Set<String> = [
      "users", "unique", "meanSeconds", "p50Seconds", "p90Seconds", "p99Seconds", "maxSeconds",
      "mean", "p50", "p90", "max", "avgDurationMinutes", "avgMessageCount",
    ]
    if let d = value as? [String: Any] {
      for (k, v) in d where !skipped.contains(k) { additive(v, path + "." + k, into: &out) }
    } else if let a = value as? [Any] {
      for (i, v) in a.enumerated() { additive(v, path + "[\(i)]", into: &out) }
    } else if let n = value as? Int, n != 0 {
      out[path, default: 0] += n
    }
  }

  @Test func everyDayStartsAt21UTCAndMatchesTheTruth() throws {
    let run = Self.sixtyDays
    try #require(run.error == nil, "\(run.error ?? "")")
    #expect(run.windows.count >= 60)
    let days = (run.truth["days"] as? [String: Any])?["byDay"] as? [String: [String: Int]] ?? [:]
    #expect(days.count == run.windows.count)
    for w in run.windows {
      let window = w["window"] as? [String: Any] ?? [:]
      let start = window["start"] as? String ?? ""
      #expect(start.hasSuffix("T21:00:00.000Z"), "\(start)")
      #expect(window["tz"] as? String == "Africa/Nairobi" && window["size"] as? String == "1d")
      // The local date of a Nairobi day starting at 21:00Z is the next UTC date.
      let formatter = ISO8601DateFormatter()
      formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
      let date = try #require(formatter.date(from: start)).addingTimeInterval(3 * 3600)
      let day = String(formatter.string(from: date).prefix(10))
      let messages = w["messages"] as? [String: Any] ?? [:]
      #expect(messages["received"] as? Int == days[day]?["received"], "\(day) received")
      #expect(messages["sent"] as? Int == days[day]?["sent"], "\(day) sent")
    }
  }

  @Test(
    arguments: [
      "input", "messages", "funnel", "responseTime", "agentResponseTime", "volumeByHour",
      "heatmap", "countries", "agents", "conversations", "contacts",
    ])
  func theLatestRevisionsAddUpToTheSnapshot(_ section: String) throws {
    let run = Self.sixtyDays
    try #require(run.error == nil, "\(run.error ?? "")")
    let input = run.snapshot["input"] as? [String: Any] ?? [:]
    try #require(input["late"] as? Int == 0 && input["outOfRange"] as? Int == 0)
    var expected: [String: Int] = [:]
    Self.additive(run.snapshot[section] ?? [:], into: &expected)
    if section == "input" {
      // A window's input holds only events and duplicates (the rest has no event time).
      expected = expected.filter { $0.key == ".events" || $0.key == ".duplicates" }
    }
    var sum: [String: Int] = [:]
    for w in run.windows { Self.additive(w[section] ?? [:], into: &sum) }
    #expect(!expected.isEmpty)
    #expect(sum == expected, "\(section)")
  }

  /// `tail -F … | wa-aggregate --window 1h --interval 1s`: the open hour appears with
  /// `complete:false`, and is written `complete:true` once the stream clock passes its end
  /// plus the grace (5 minutes).
  @Test func theOpenWindowBecomesCompleteOnAFIFO() throws {
    let fifo = Subprocess.tempPath("windows-fifo")
    try #require(mkfifo(fifo, 0o600) == 0)
    defer { unlink(fifo) }
    let p = Subprocess.start(
      "wa-aggregate", ["--quiet", "--window", "1h", "--interval", "1s", fifo], stdout: .pipe)
    let writer = open(fifo, O_WRONLY)
    try #require(writer >= 0)
    defer { close(writer) }
    func send(_ line: String) { _ = line.withCString { write(writer, $0, strlen($0)) } }
    func windowRecord(_ predicate: ([String: Any]) -> Bool) -> [String: Any]? {
      let deadline = Date().addingTimeInterval(15)
      while Date() < deadline {
        for line in p.readLines(1, within: 1) {
          let o = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
          if let o, o["kind"] as? String == "wa.window",
            predicate(o["window"] as? [String: Any] ?? [:])
          {
            return o
          }
        }
      }
      return nil
    }
    let hour = "2026-03-02T10:00:00.000Z"
    send(
      AggregateEndToEndTests.event(
        "message.received", at: "10:00", #""messageId":"a","chatId":"c""#))
    let open = try #require(windowRecord { $0["start"] as? String == hour }, "no open window")
    #expect((open["window"] as? [String: Any])?["complete"] as? Bool == false)
    // 11:04 is within the grace: still not complete; 11:06 is past it.
    send(AggregateEndToEndTests.event("message.sent", at: "11:04", #""messageId":"b""#))
    send(AggregateEndToEndTests.event("message.sent", at: "11:06", #""messageId":"c""#))
    let complete = try #require(
      windowRecord { $0["start"] as? String == hour && $0["complete"] as? Bool == true },
      "the 10:00 window was never written complete")
    let w = complete["window"] as? [String: Any] ?? [:]
    #expect(w["revision"] as? Int == 2 && w["end"] as? String == "2026-03-02T11:00:00.000Z")
    p.send(SIGTERM)
    let r = p.wait(timeout: 10, closingStdin: false)
    #expect(r.status == 0 && r.signal == nil)
  }

  @Test(
    arguments: [
      (["--window", "5m"], "unknown size '5m'"),
      (["--since", "2026-01-12", "--until", "2026-01-05"], "is not before --until"),
      (["--since", "2026-02-29"], "no such day in the calendar"),
      (["--tz", "Pacific/Apia", "--since", "2011-12-30"], "does not exist in Pacific/Apia"),
    ] as [([String], String)])
  func badWindowOptionsAreUsageErrors(_ args: [String], _ reason: String) {
    let r = Subprocess.run("wa-aggregate", args, stdin: .bytes([]))
    #expect(r.status == 2)
    #expect(r.stderrText.contains(reason), "\(r.stderrText)")
  }
}
