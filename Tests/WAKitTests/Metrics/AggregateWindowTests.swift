import Foundation
import Testing

@testable import WAKit

/// What a run with `--window` wrote: window records and snapshots, as JSON objects.
struct WindowRun {
  var windows: [[String: Any]]
  var snapshots: [[String: Any]]

  /// The highest revision of each window, by start (what a consumer keeps).
  var latest: [String: [String: Any]] {
    var byStart: [String: [String: Any]] = [:]
    for w in windows {
      let start = w.window["start"] as? String ?? ""
      if (byStart[start]?.window["revision"] as? Int ?? 0) < w.window["revision"] as? Int ?? 0 {
        byStart[start] = w
      }
    }
    return byStart
  }

  /// The latest record of the window starting at `start` (RFC 3339 with milliseconds).
  func window(_ start: String) -> [String: Any]? { latest[start] }
  var final: [String: Any] { snapshots.last ?? [:] }
}

extension Dictionary where Key == String, Value == Any {
  var window: [String: Any] { self["window"] as? [String: Any] ?? [:] }
  /// `section.key` as an Int (nil when absent or not an integer).
  func int(_ section: String, _ key: String) -> Int? {
    (self[section] as? [String: Any])?[key] as? Int
  }
  func double(_ section: String, _ key: String) -> Double? {
    (self[section] as? [String: Any])?[key] as? Double
      ?? ((self[section] as? [String: Any])?[key] as? Int).map(Double.init)
  }
}

/// Runs `lines` through wa-aggregate's sink with `flags` and splits what it wrote.
func aggregateWindows(_ lines: [String], _ flags: [String]) throws -> WindowRun {
  let text = try aggregateOutput(bytes: Array((lines.joined(separator: "\n") + "\n").utf8), flags)
  var run = WindowRun(windows: [], snapshots: [])
  for line in text.split(separator: "\n") {
    let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
    if o["kind"] as? String == "wa.window" {
      run.windows.append(o)
    } else {
      run.snapshots.append(o)
    }
  }
  return run
}

func aggregateOutput(bytes: [UInt8], _ flags: [String]) throws -> String {
  try aggregateWritten(bytes: bytes, flags).text
}

/// The attribution rules (SPEC §5), each on a hand-computed scenario with daily UTC windows
/// over 2026-03-02 (Monday) and the days after (`at(day:_:_:)`).
@Suite("Aggregate windows")
struct AggregateWindowTests {
  static let day2 = "2026-03-02T00:00:00.000Z"
  static let day3 = "2026-03-03T00:00:00.000Z"
  static let day4 = "2026-03-04T00:00:00.000Z"
  static let day5 = "2026-03-05T00:00:00.000Z"

  @Test func aTemplateSentAt2350AndReadAt0010CountsInTheDayItWasSent() throws {
    let r = try aggregateWindows(
      [
        Ev.sent("m1", at: at(day: 2, 23, 50), template: "promo"),
        Ev.status("delivered", "m1", at: at(day: 2, 23, 51)),
        Ev.status("read", "m1", at: at(day: 3, 0, 10)),
      ], ["--window", "1d"])
    let sentDay = try #require(r.window(Self.day2))
    let readDay = try #require(r.window(Self.day3))
    #expect(sentDay.int("funnel", "sent") == 1 && sentDay.int("funnel", "read") == 1)
    #expect(sentDay.double("rates", "read") == 1)
    #expect(sentDay.int("messages", "sent") == 1 && sentDay.int("messages", "read") == 0)
    // The read's own day: the event counts (messages.read), the funnel does not move there.
    #expect(readDay.int("messages", "read") == 1 && readDay.int("funnel", "sent") == 0)
    #expect(readDay.int("funnel", "read") == 0 && readDay["rates"].map { "\($0)" } != nil)
    #expect((readDay["rates"] as? [String: Any])?["read"] is NSNull)
  }

  @Test func noWindowsReadRateExceeds100PercentOnTheSample() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let bytes = try Array(Data(contentsOf: root.appendingPathComponent("examples/webhook.log")))
    for size in ["1h", "1d"] {
      let text = try aggregateOutput(bytes: bytes, ["--window", size, "--no-snapshots"])
      for line in text.split(separator: "\n") {
        let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        #expect(o["kind"] as? String == "wa.window")
        let funnel = o["funnel"] as? [String: Int] ?? [:]
        #expect((funnel["read"] ?? 0) <= (funnel["sent"] ?? 0))
        #expect((funnel["replied"] ?? 0) <= (funnel["read"] ?? 0))
        #expect(o.double("rates", "read").map { $0 <= 1 } ?? true)
      }
    }
  }

  @Test func repliesAndFailuresGoToTheSentMessagesDay() throws {
    let r = try aggregateWindows(
      [
        Ev.sent("m1", at: at(day: 2, 23, 0)),
        Ev.sent("m2", user: Ev.kenya2, at: at(day: 2, 23, 30)),
        Ev.received("in1", at: at(day: 3, 1, 0)),  // a reply to m1, the next day
        Ev.status(
          "failed", "m2", user: Ev.kenya2, at: at(day: 3, 2, 0), extra: #","errorCode":131047"#),
      ], ["--window", "1d"])
    let d2 = try #require(r.window(Self.day2))
    let d3 = try #require(r.window(Self.day3))
    #expect(d2.int("funnel", "replied") == 1 && d2.int("funnel", "failed") == 1)
    #expect(d3.int("funnel", "replied") == 0 && d3.int("funnel", "failed") == 0)
    #expect(d3.int("messages", "received") == 1 && d3.int("messages", "failed") == 1)
    #expect(d2.int("messages", "failed") == 0)
  }

  @Test func responseTimesGoToTheClocksStartAndConversationsToTheResolution() throws {
    let r = try aggregateWindows(
      [
        Ev.received("in1", at: at(day: 2, 23, 58)),
        Ev.sent("m1", at: at(day: 3, 0, 3), agent: "agent_1"),  // 300 s after the inbound
        Ev.resolved("c1", at: at(day: 4, 9, 0), messages: 2, minutes: 5, agent: "agent_1"),
      ], ["--window", "1d"])
    let d2 = try #require(r.window(Self.day2))
    let d3 = try #require(r.window(Self.day3))
    let d4 = try #require(r.window(Self.day4))
    #expect(d2.int("responseTime", "count") == 1 && d2.double("responseTime", "p50Seconds") == 300)
    #expect(d2.int("agentResponseTime", "count") == 1)
    #expect(d3.int("responseTime", "count") == 0 && d3.int("messages", "sent") == 1)
    let agents3 = d3["agents"] as? [String: [String: Any]] ?? [:]
    #expect(agents3["agent_1"]?["messagesSent"] as? Int == 1)
    #expect(d4.int("conversations", "resolved") == 1)
    let agents4 = d4["agents"] as? [String: [String: Any]] ?? [:]
    #expect(agents4["agent_1"]?["chatsResolved"] as? Int == 1)
    #expect(d2.int("conversations", "resolved") == 0)
  }

  /// A read three days after its message re-emits the message's window with the next
  /// revision, only its funnel (and rates) changed, and counts in its own day's messages.
  @Test func aLateReadReEmitsItsWindowWithOnlyTheFunnelChanged() throws {
    let r = try aggregateWindows(
      [
        Ev.sent("m1", at: at(day: 2, 10, 0)),
        Ev.status("delivered", "m1", at: at(day: 2, 10, 1)),
        Ev.received("in9", user: Ev.kenya2, at: at(day: 3, 9, 0)),  // moves the clock: day 2 done
        Ev.received("in10", user: Ev.kenya2, at: at(day: 4, 9, 0)),
        Ev.status("read", "m1", at: at(day: 5, 10, 0)),
      ], ["--window", "1d"])
    let records = r.windows.filter { $0.window["start"] as? String == Self.day2 }
    try #require(records.count == 2)
    let (first, second) = (records[0], records[1])
    #expect(first.window["revision"] as? Int == 1 && second.window["revision"] as? Int == 2)
    #expect(first.window["complete"] as? Bool == true && second.window["complete"] as? Bool == true)
    #expect(first.int("funnel", "read") == 0 && second.int("funnel", "read") == 1)
    for (key, value) in first
    where !["funnel", "rates", "seq", "window", "generatedAt"].contains(key) {
      let a = try JSONSerialization.data(withJSONObject: [value], options: .sortedKeys)
      let b = try JSONSerialization.data(
        withJSONObject: [second[key] ?? NSNull()], options: .sortedKeys)
      #expect(a == b, "\(key) changed")
    }
    #expect(r.window(Self.day5)?.int("messages", "read") == 1)
    #expect(r.window(Self.day5)?.int("funnel", "read") == 0)
    #expect(r.final.int("input", "late") == 0)
  }

  @Test func aWindowPastTheHorizonIsForgottenAndLaterNumbersAreLate() throws {
    let r = try aggregateWindows(
      [
        Ev.sent("m1", at: at(day: 2, 10, 0)),
        Ev.status("delivered", "m1", at: at(day: 3, 12, 0)),  // keeps m1's state alive
        Ev.received("in9", user: Ev.kenya2, at: at(day: 4, 1, 0)),  // day 2 ended > 1 d ago
        Ev.status("read", "m1", at: at(day: 4, 2, 0)),  // its funnel would change day 2
      ], ["--window", "1d", "--state-horizon", "1d"])
    let records = r.windows.filter { $0.window["start"] as? String == Self.day2 }
    #expect(records.count == 1 && records.first?.int("funnel", "read") == 0)
    #expect(r.final.int("input", "late") == 1)
    #expect(r.final.int("funnel", "read") == 1)  // the cumulative snapshot still counts it
    #expect(r.window(Self.day4)?.int("messages", "read") == 1)
  }

  @Test func windowsAreWrittenOnceCompleteAndAgainOnlyWhenChanged() throws {
    let r = try aggregateWindows(
      [
        Ev.received("in1", at: at(day: 2, 23, 0)),
        Ev.received("in2", at: at(day: 3, 0, 4)),  // within grace: day 2 not complete yet
        Ev.received("in3", at: at(day: 3, 0, 6)),  // past grace: day 2 is complete
      ], ["--window", "1d", "--no-snapshots"])
    #expect(r.snapshots.isEmpty)
    #expect(r.windows.count == 2)
    #expect(r.windows[0].window["start"] as? String == Self.day2)
    #expect(r.windows[0].window["complete"] as? Bool == true)
    #expect(r.windows[1].window["start"] as? String == Self.day3)
    #expect(r.windows[1].window["complete"] as? Bool == false)
    #expect(r.windows.map { $0["seq"] as? Int } == [1, 2])
    let w = r.windows[0].window
    #expect(w["size"] as? String == "1d" && w["tz"] as? String == "UTC")
    #expect(w["end"] as? String == Self.day3)
    #expect(r.windows[0]["input"] as? [String: Int] == ["events": 1, "duplicates": 0])
  }

  @Test func everyWritesTheOpenWindowToo() throws {
    let r = try aggregateWindows(
      [Ev.received("in1", at: at(day: 2, 9, 0)), Ev.received("in2", at: at(day: 2, 10, 0))],
      ["--window", "1h", "--every", "1"])
    // After each event: its (open) hour, then the snapshot; at the end nothing changed.
    #expect(r.windows.count == 2 && r.snapshots.count == 3)
    #expect(r.windows.allSatisfy { $0.window["complete"] as? Bool == false })
  }

  /// `--since 2026-01-05 --until 2026-01-12` in +03:00: local midnights, 21:00Z the day before.
  @Test func sinceAndUntilInAZoneWithAnOffset() throws {
    let flags = ["--tz", "+03:00", "--since", "2026-01-05", "--until", "2026-01-12"]
    let r = try aggregateWindows(
      [
        Ev.received("out1", at: "2026-01-04T20:59:59Z"),  // 23:59:59 on the 4th: out
        Ev.sent("m1", at: "2026-01-04T21:00:00Z"),  // 00:00 on the 5th: in
        Ev.sent("m2", at: "2026-01-11T20:59:00Z"),  // the last minute of the 11th: in
        Ev.status("read", "m2", at: "2026-01-11T21:30:00Z"),  // after until: funnel only
        Ev.received("out2", user: Ev.kenya2, at: "2026-01-11T21:00:00Z"),  // out
      ], flags)
    let s = r.final
    #expect(s.int("messages", "sent") == 2 && s.int("messages", "received") == 0)
    #expect(s.int("funnel", "read") == 1 && s.int("messages", "read") == 0)
    #expect(s.int("input", "outOfRange") == 2 && s.int("input", "events") == 5)
    let windowed = try aggregateWindows(
      [Ev.received("out1", at: "2026-01-04T20:59:59Z"), Ev.sent("m1", at: "2026-01-04T21:00:00Z")],
      flags + ["--window", "1d"])
    #expect(windowed.windows.map { $0.window["start"] as? String } == ["2026-01-04T21:00:00.000Z"])
  }

  @Test(
    arguments: [
      (["--window", "2d"], "unknown size"),
      (["--window", "1d", "--since", "2026-01-12", "--until", "2026-01-05"], "not before"),
      (["--since", "2026-02-30"], "not a date"),
      (["--since", "2026-13-01"], "not a date"),
      (["--since", "yesterday"], "not an RFC 3339 time"),
      (["--tz", "Pacific/Apia", "--since", "2011-12-30"], "does not exist"),
      (["--grace", "5m"], "needs --window"),
      (["--no-snapshots"], "needs --window"),
    ] as [([String], String)])
  func badRangesAndSizesAreUsageErrors(_ flags: [String], _ reason: String) throws {
    let args = try FlagParser.parse(flags, flags: AggregateOptions.flags)
    #expect {
      try AggregateOptions(args)
    } throws: { error in
      (error as? UsageError)?.message.contains(reason) == true
    }
  }

  @Test func aZoneWithoutTheDatesRulesIsAUsageError() throws {
    // A version 1 zone file: one transition in 1990, no footer rule for later years.
    let zone = ZoneRule(
      name: "Test/V1", fixedOffset: 0,
      table: ZoneTable(
        TZif.Contents(times: [631_152_000], offsets: [3600], initialOffset: 0, footer: nil)))
    #expect(zone.hasRules(atEpochSeconds: 0))
    #expect(!zone.hasRules(atEpochSeconds: 1_767_225_600))
    #expect {
      try AggregateOptions.time("2026-01-01", flag: "since", zone: zone)
    } throws: { error in
      (error as? UsageError)?.message.contains("has no rules for 2026-01-01") == true
    }
  }
}

/// Wrong clocks and the windows held (`WindowConfiguration.maxOpen`, 10,000 in wa-aggregate).
@Suite("wa-aggregate: windows and wrong clocks")
struct WindowWrongClockTests {
  /// Valid events dated in distinct hours of 2090 among a stream of 2026 each opened a
  /// window that never completes nor is forgotten: 10,000 of them took every place for good
  /// (kept in the state file too), and from then on every number of the stream went into no
  /// window (`late`). A time more than a horizon ahead of the clock now opens none.
  @Test func wrongClocksInManyHoursDoNotTakeTheWindowsOfTheStream() {
    var c = AggregatorConfiguration()
    var window = WindowConfiguration(size: .hour, zoneName: "UTC")
    window.maxOpen = 40
    c.window = window
    var a = Aggregator(c)
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    AggregateMergeTests.fold(
      [Ev.received("m0", at: at(day: 2, 0)), Ev.received("m1", at: at(day: 2, 0, 1))], into: &a)
    for k in 0..<30 {
      let wrong = "2090-01-\(two(1 + k / 24))T\(two(k % 24)):00:00Z"
      AggregateMergeTests.fold(
        [
          Ev.contact(user: "+25471100\(1000 + k)", at: wrong),
          Ev.received("r\(k)", at: at(day: 2, 0, 2 + k)),
        ], into: &a)
    }
    // 30 hours of the stream after them, one message each.
    for h in 1...30 {
      AggregateMergeTests.fold([Ev.received("s\(h)", at: at(day: 2 + h / 24, h % 24))], into: &a)
    }
    let year2030: Int64 = 1_893_456_000 * EventTime.nanosPerSecond
    let real = a.windows.open.filter { $0.start < year2030 }
    #expect(a.windows.open.count == real.count, "windows of wrong clocks")
    #expect(a.metrics.input.late == 30, "the wrong clocks' events, and only them")
    // 31 hours of the stream (hour 0 and 30 more), each with its window, all events in them.
    #expect(real.count == 31)
    #expect(real.reduce(0) { $0 + $1.metrics.input.events } == 2 + 30 + 30)
  }
}

/// `WindowSet.merge` (`--merge` of shards run with `--window`).
@Suite("wa-aggregate: merging windows")
struct WindowMergeTests {
  /// Shards whose windows interleave (one shard's hours between another's, merged in any
  /// order) merge as the rule says: one window per start, sorted, counts added, the highest
  /// revision, changed if either changed, complete only if both wrote it complete. The
  /// merge finds each window by binary search and puts the new ones in place in one pass
  /// (one insert each moved every later window: 15.3 s for two shards of 5,760 windows
  /// merged newest first, against 2.7 s oldest first).
  @Test(arguments: [1, 2, 3])
  func windowsOfShardsInAnyOrderMergeAsTheRuleSays(seed: UInt64) {
    let hour: Int64 = 3_600 * EventTime.nanosPerSecond
    let base: Int64 = 1_000 * hour
    let configuration = WindowConfiguration(size: .hour, zoneName: "UTC")
    var rng = SeededGenerator(seed: seed)
    var shards: [WindowSet] = []
    for _ in 0..<6 {
      var set = WindowSet(configuration, zone: .utc, horizon: 1_000 * hour)
      for _ in 0..<Int.random(in: 0..<60, using: &rng) {
        let t = base + Int64.random(in: 0..<200, using: &rng) * hour + hour / 2
        _ = set.apply(at: t, clock: nil) { $0.input.events += 1 }
        // Now and then some records, so revisions, changes and completeness differ.
        if Int.random(in: 0..<15, using: &rng) == 0 {
          _ = set.collect(.tick, clock: base + Int64.random(in: 0..<200, using: &rng) * hour)
        }
      }
      shards.append(set)
    }
    shards.shuffle(using: &rng)
    var merged = WindowSet(configuration, zone: .utc, horizon: 1_000 * hour)
    for shard in shards { merged.merge(shard) }
    var expected: [Int64: (events: Int, revision: Int, dirty: Bool, complete: Bool)] = [:]
    for shard in shards {
      for w in shard.open {
        let e = expected[w.start] ?? (0, 0, false, true)
        expected[w.start] = (
          e.events + w.metrics.input.events, max(e.revision, w.revision), e.dirty || w.dirty,
          e.complete && w.announcedComplete
        )
      }
    }
    #expect(merged.open.map(\.start) == expected.keys.sorted())
    for w in merged.open {
      let e = expected[w.start]
      #expect(w.metrics.input.events == e?.events && w.revision == e?.revision)
      #expect(w.dirty == e?.dirty && w.announcedComplete == e?.complete)
    }
    #expect(merged.open.count > 50, "windows that interleave")
  }
}

/// `WindowSet.collect` visits only the windows that can be due on `.due`, and forgets windows
/// by moving a head over them; held to the plain rule it replaced (visit every window, every
/// time, and remove the forgotten ones) under random use.
@Suite("wa-aggregate: window collection")
struct WindowCollectTests {
  /// The rule as first written: every held window visited on every collection.
  struct Model {
    struct W {
      var start: Int64
      var end: Int64
      var revision = 0
      var dirty = true
      var announced = false
      var events = 0
    }
    var open: [W] = []
    let grace: Int64
    let horizon: Int64

    mutating func apply(start: Int64, end: Int64, clock: Int64?) -> Bool {
      if let i = open.firstIndex(where: { $0.start == start }) {
        if let clock, end < clock - horizon { return false }
        open[i].dirty = true
        open[i].events += 1
        return true
      }
      if let clock, end < clock - horizon { return false }
      let at = open.firstIndex { $0.start > start } ?? open.count
      open.insert(W(start: start, end: end, events: 1), at: at)
      return true
    }

    mutating func collect(_ emission: WindowSet.Emission, clock: Int64?) -> (
      records: [String], nextDue: Int64
    ) {
      var records: [String] = []
      var kept: [W] = []
      var nextDue = Int64.max
      for var w in open {
        let complete = clock.map { $0 > w.end + grace } ?? false
        let forgotten = clock.map { $0 > w.end + horizon } ?? false
        if (complete && !w.announced) || (w.dirty && (emission != .due || forgotten)) {
          w.revision += 1
          w.dirty = false
          if complete { w.announced = true }
          records.append("\(w.start)#\(w.revision)\(complete ? "c" : "")")
        }
        if forgotten { continue }
        nextDue = min(nextDue, w.announced ? w.end + horizon : w.end + grace)
        kept.append(w)
      }
      open = kept
      return (records, nextDue)
    }
  }

  @Test(arguments: [1, 2, 3])
  func collectingOnlyTheDueWindowsWritesWhatVisitingAllWould(seed: UInt64) {
    let hour: Int64 = 3_600 * EventTime.nanosPerSecond
    let horizon = 40 * hour
    var configuration = WindowConfiguration(size: .hour, zoneName: "UTC")
    configuration.grace = hour / 4
    var set = WindowSet(configuration, zone: .utc, horizon: horizon)
    var model = Model(grace: configuration.grace, horizon: horizon)
    var rng = SeededGenerator(seed: seed)
    var clock: Int64? = nil
    var mismatches = 0
    var written = 0
    var lateOpens = 0
    for step in 0..<6_000 {
      // The clock moves forward by up to half an hour, now and then by several hours (the
      // windows in between open later, behind complete ones), or stands still.
      let jump = Int.random(in: 0..<20, using: &rng) == 0 ? 10 * hour : hour / 2
      let now = (clock ?? 1_000 * hour) + Int64.random(in: 0...jump, using: &rng)
      if step > 0 { clock = now }
      // Numbers land near the clock, or up to two horizons back (late, maybe forgotten).
      let back = Int.random(in: 0..<10, using: &rng) == 0 ? 2 * horizon : hour
      let t = now - Int64.random(in: 0...back, using: &rng)
      let start = t - t % hour
      let before = set.open.count
      let expected = model.apply(start: start, end: start + hour, clock: clock)
      let applied = set.apply(at: t, clock: clock) { $0.input.events += 1 }
      if applied != expected { mismatches += 1 }
      if set.open.count > before, start < (set.open.last?.start ?? 0) { lateOpens += 1 }
      let emission: WindowSet.Emission? =
        (clock ?? .min) > set.nextDue
        ? .due : step % 250 == 249 ? .tick : nil
      guard let emission else { continue }
      let got = set.collect(emission, clock: clock).map {
        "\($0.window.start)#\($0.window.revision)\($0.complete ? "c" : "")"
      }
      let want = model.collect(emission, clock: clock)
      if got != want.records || set.nextDue != want.nextDue { mismatches += 1 }
      // The same windows held, each with the numbers given to it (forgotten windows' slots
      // are reused in place, so an index off by one would show here).
      let held = set.open.map { "\($0.start):\($0.metrics.input.events)" }
      if held != model.open.map({ "\($0.start):\($0.events)" }) { mismatches += 1 }
      written += got.count
    }
    let got = set.collect(.final, clock: clock).map { "\($0.window.start)#\($0.window.revision)" }
    let want = model.collect(.final, clock: clock).records.map {
      $0.replacingOccurrences(of: "c", with: "")
    }
    #expect(got == want)
    #expect(mismatches == 0)
    #expect(written > 500 && lateOpens > 50, "\(written) records, \(lateOpens) late opens")
  }
}
