import Testing

@testable import WAKit

/// Version 2 records (SPEC §5) as wa-report reads them: the hand-written fixtures follow the
/// spec's names and shapes; a version 1 snapshot still decodes with every new section nil.
@Suite("SnapshotDecoder, version 2 records")
struct ReportVersion2Tests {
  @Test func decodesEveryVersion2SectionOfTheSnapshot() throws {
    let s = try ReportFixtures.snapshot("snapshot-v2.ndjson")
    #expect(s.version == 2 && s.window == nil)
    #expect(s.input.foreign == 4 && s.input.outOfRange == 0)
    #expect(s.responseTime.buckets.map(\.key) == Self.bucketKeys)
    #expect(s.responseTime.buckets.reduce(0) { $0 + $1.value } == s.responseTime.count)
    #expect(s.responseTime.business?.p50 == 51.9)
    let frt = try #require(s.firstResponseTime)
    #expect(frt.count == 1890 && frt.p50 == 61 && frt.business?.count == 1890)
    #expect(s.agentFirstResponseTime?.p90 == 1012.4)
    #expect(s.assignmentResponseTime?.business == nil)
    #expect(s.waiting == Snapshot.Waiting(now: 17, overWindow: 3))
    #expect(s.sla?.firstResponse?.target == 900 && s.sla?.firstResponse?.met == 1012)
    #expect(s.sla?.resolution?.missed == 18)
    #expect(s.handling?.handedOff == 187 && s.handling?.reassigned == 38)
    #expect(s.conversations.observedMessageCount?.p90 == 19)
    #expect(s.conversations.observedDurationMinutes?.max == 1422 && s.conversations.disagree == 12)
    let templates = try #require(s.templates)
    let script = try #require(templates.first { $0.id == "<script>alert(1)</script>" })
    #expect(script.sent == 212 && script.clicked == 25 && script.rates.read == 0.73)
    #expect(templates.first { $0.id == "unused_tpl" }?.rates == Snapshot.Rates())
    let campaign = try #require(s.campaigns?.first { $0.id == "bf-2026" })
    #expect(campaign.name == "Black Friday 2026" && campaign.templateId == "promo_nov")
    #expect(campaign.audience == 750 && campaign.funnel.sent == 702)
    #expect(s.pricing?.billable == 2310 && s.pricing?.byCategory.map(\.name).count == 3)
    #expect(s.countries.first { $0.code == "KE" }?.billable == 872)
    #expect(s.cost?.currency == "USD" && s.cost?.total == 123.4567 && s.cost?.unpriced == 14)
    #expect(s.cost?.byTemplate.first?.key == "promo_nov")
    #expect(s.byIdentity == Snapshot.Identity(phone: 2410, bsuid: 76))
    let hostile = try #require(s.agents.first { $0.id == "=cmd|' /C calc'!A0" })
    #expect(hostile.sla?.firstResponse?.met == 6 && hostile.assignmentResponseTime?.count == 3)
    #expect(hostile.responseTime.business?.count == 9)
  }

  static let bucketKeys = ["≤60s", "≤300s", "≤900s", "≤3600s", "≤14400s", "≤86400s", ">86400s"]

  @Test func aVersion1SnapshotHasNoVersion2Section() throws {
    let s = try ReportFixtures.snapshot("snapshot.ndjson")
    #expect(s.version == 1 && s.firstResponseTime == nil && s.sla == nil && s.templates == nil)
    #expect(s.campaigns == nil && s.cost == nil && s.pricing == nil && s.handling == nil)
    #expect(s.responseTime.buckets.isEmpty && s.responseTime.business == nil)
    #expect(s.input.foreign == nil && s.byIdentity == nil && s.conversations.disagree == nil)
  }

  @Test func decodesWindowAndConversationRecords() throws {
    let lines = ReportFixtures.lines("stream-v2.ndjson")
    guard case .window(let w) = try ReportFixtures.record(lines[0]) else {
      Issue.record("the first line is not a window")
      return
    }
    #expect(w.window?.size == "1d" && w.window?.start == "2026-11-16T00:00:00.000Z")
    #expect(w.window?.complete == true && w.window?.revision == 1)
    // A window's input holds only events and duplicates.
    #expect(w.input.events > 0 && w.input.lines == 0 && !w.isFinal && w.firstEventTime == nil)
    guard case .conversation(let c) = try ReportFixtures.record(lines[8]) else {
      Issue.record("line 9 is not a conversation record")
      return
    }
    #expect(c.chatId == "chat_1001" && c.firstResponseSeconds == 74 && c.handling == "handedOff")
    #expect(c.slaFirstResponse == "met" && c.observedDurationMinutes == 32)
    guard case .conversation(let n) = try ReportFixtures.record(lines[10]) else {
      Issue.record("line 11 is not a conversation record")
      return
    }
    #expect(n.agentId == nil && n.firstResponseSeconds == nil && n.slaFirstResponse == nil)
    #expect(n.slaResolution == "met")
  }

  /// (path, the new value as JSON, the reason expected): a version 2 section that is present
  /// is held to its shape.
  @Test(
    arguments: [
      ("sla.firstResponse.met", "null", "sla.firstResponse.met: expected a number ≥ 0"),
      ("handling.botOnly", nil, "handling.botOnly: missing"),
      ("cost.currency", "5", "cost.currency: expected a string, found 5"),
      ("waiting", "[]", "waiting: expected an object, found an array"),
      ("firstResponseTime.buckets", "3", "firstResponseTime.buckets: expected an object"),
    ] as [(String, String?, String)])
  func aPresentSectionIsHeldToItsShape(_ path: String, _ json: String?, _ reason: String)
    throws
  {
    let text = try ReportFixtures.edited("snapshot-v2.ndjson", path, json)
    let message = ReportFixtures.failure(text)
    #expect(message?.hasPrefix(reason) == true, "\(message ?? "decoded")")
  }

  @Test func aWindowOrConversationIsNotASnapshotWhereOneIsExpected() {
    let lines = ReportFixtures.lines("stream-v2.ndjson")
    #expect(ReportFixtures.failure(lines[0]) == "a window record (wa.window), not a snapshot")
    #expect(ReportFixtures.failure(lines[8])?.hasPrefix("a conversation record") == true)
  }
}

@Suite("ReportWindows and ReportState")
struct ReportWindowsTests {
  @Test func keepsTheHighestRevisionOfEachWindowInOrder() throws {
    let state = try ReportFixtures.state("stream-v2.ndjson")
    let windows = state.windows.windows
    #expect(windows.count == 7)
    #expect(windows.map { $0.window?.start.prefix(10) ?? "" } == (16...22).map { "2026-11-\($0)" })
    // The fixture sends revision 1 of the 18th (received 1), then revision 2.
    #expect(windows[2].window?.revision == 2 && windows[2].messages.received > 1)
    #expect(state.conversations.count == 4 && state.snapshot?.seq == 42)
  }

  @Test func anOlderRevisionArrivingLateDoesNotReplaceANewerOne() throws {
    var windows = ReportWindows()
    var w = Snapshot()
    w.window = Snapshot.Window(size: "1h", start: "2026-01-01T01:00:00.000Z", revision: 2)
    w.messages.received = 10
    windows.add(w)
    var old = w
    old.window?.revision = 1
    old.messages.received = 3
    windows.add(old)
    var earlier = w
    earlier.window?.start = "2026-01-01T00:00:00.000Z"
    windows.add(earlier)
    #expect(windows.windows.map(\.messages.received) == [10, 10])
    #expect(windows.windows.first?.window?.start == "2026-01-01T00:00:00.000Z")
  }

  @Test func theLatestCompleteWindowIsComparedWithTheOneBefore() throws {
    let state = try ReportFixtures.state("stream-v2.ndjson")
    let comparison = try #require(state.windows.comparison)
    // The 22nd is still open: the 21st is the latest complete window.
    #expect(comparison.current.window?.start == "2026-11-21T00:00:00.000Z")
    #expect(comparison.previous?.window?.start == "2026-11-20T00:00:00.000Z")
    let received = try #require(comparison.metrics.first)
    let (now, before) = (
      comparison.current.messages.received, comparison.previous?.messages.received
    )
    #expect(received.absolute == now - (before ?? 0))
    #expect(received.relative == (now - (before ?? 0)) / (before ?? 1))
    let read = comparison.metrics[2]
    #expect(read.kind == .rate && read.changeText?.hasSuffix(" pts") == true)
  }

  /// Two outputs concatenated, `--window 1d` and `--window 1h`: the trend and the comparison
  /// read the windows of the latest window's size only, never a day against an hour.
  @Test func mixedWindowSizesTrendAndCompareOnlyTheLatestSize() throws {
    var windows = ReportWindows()
    for day in 1...3 {
      var d = Snapshot()
      d.window = Snapshot.Window(
        size: "1d", start: "2026-01-0\(day)T00:00:00.000Z", complete: true)
      d.messages.received = Double(1000 * day)
      windows.add(d)
    }
    for hour in 10...12 {
      var h = Snapshot()
      h.window = Snapshot.Window(
        size: "1h", start: "2026-01-03T\(hour):00:00.000Z", complete: hour == 10)
      h.messages.received = Double(hour)
      windows.add(h)
    }
    #expect(windows.windows.count == 6, "every window is kept (the CSV table lists them)")
    #expect(windows.series.map(\.messages.received) == [10, 11, 12])
    // The latest complete hour is the first: there is no hour before it to compare with
    // (the day before it in the list is not one).
    let comparison = try #require(windows.comparison)
    #expect(comparison.current.window?.start == "2026-01-03T10:00:00.000Z")
    #expect(comparison.previous == nil, "\(comparison.previous?.window?.size ?? "")")
  }

  @Test func limitsDropTheOldestWindowsAndConversations() {
    var windows = ReportWindows(limit: 3)
    for hour in 0..<5 {
      var w = Snapshot()
      w.window = Snapshot.Window(size: "1h", start: "2026-01-01T0\(hour):00:00.000Z")
      windows.add(w)
    }
    #expect(windows.windows.count == 3 && windows.dropped == 2)
    #expect(windows.windows.first?.window?.start == "2026-01-01T02:00:00.000Z")
    var state = ReportState(conversationLimit: 3)
    for n in 0..<5 { state.add(.conversation(ConversationRecord(chatId: "c\(n)"))) }
    #expect(state.conversations.map(\.chatId) == ["c2", "c3", "c4"])
    #expect(state.droppedConversations == 2)
  }

  @Test(arguments: [
    (0.0, "±0.0"), (12.345, "+12.3"), (-4.0, "-4.0"), (-0.04, "±0.0"),
  ])
  func signedChanges(_ value: Double, _ text: String) {
    #expect(ReportNumbers.signed(value, decimals: 1) == text)
  }
}
