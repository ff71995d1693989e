import Testing

@testable import WAKit

@Suite("SnapshotDecoder")
struct ReportSnapshotDecoderTests {
  @Test func decodesEverySectionOfTheFixture() throws {
    let s = try ReportFixtures.snapshot("snapshot.ndjson")
    #expect(s.seq == 42 && s.isFinal && s.generatedAt == "2026-11-23T21:00:04.118Z")
    #expect(s.firstEventTime == "2026-11-16T00:02:51.000Z")
    #expect(s.input.lines == 27052 && s.input.duplicates == 126)
    #expect(s.messages.received == 7234 && s.messages.sent == 6955)
    #expect(s.messages.failedByCode.first == Snapshot.Entry("131026", 71))
    #expect(s.funnel.replied == 2455)
    #expect(s.rates.read == 0.732566498921639)
    #expect(s.responseTime.p50 == 74.2 && s.agentResponseTime.count == 3012)
    #expect(s.volumeByHour.received.count == 24 && s.volumeByHour.received[11] == 768)
    #expect(s.heatmap.sent.count == 7 && s.heatmap.sent.allSatisfy { $0.count == 24 })
    // The hourly volume is the heatmap's column sums, as the fixture was built.
    for h in 0..<24 {
      #expect(s.heatmap.received.reduce(0) { $0 + $1[h] } == s.volumeByHour.received[h])
    }
    #expect(s.countries.map(\.code).prefix(3) == ["KE", "NG", "ZA"])
    #expect(s.countries.count == 12 && s.agents.count == 8)
    let unassigned = try #require(s.agents.first { $0.id == "unassigned" })
    #expect(unassigned.responseTime.p50 == nil && unassigned.chatsResolved == 17)
    #expect(s.conversations.durationMinutes.max == 187)
    #expect(s.contacts.bySource.count == 4 && s.uniqueUsers == 2486)
  }

  @Test func nullsStayNil() throws {
    let s = try ReportFixtures.snapshot("empty.ndjson")
    #expect(s.rates == Snapshot.Rates())
    #expect(s.responseTime == Snapshot.Latency())
    #expect(s.firstEventTime == nil && s.lastEventTime == nil)
    #expect(s.countries.isEmpty && s.agents.isEmpty)
  }

  @Test func escapedKeysAreDecodedAndUnknownMembersIgnored() throws {
    let s = try ReportFixtures.snapshot("hostile.ndjson")
    let ids = Set(s.agents.map(\.id))
    #expect(ids.contains("line\nbreak") && ids.contains("agent \"quoted\""))
    #expect(ids.contains("客服一号") && ids.contains("emoji 😀 agent"))
    #expect(s.countries.contains { $0.code == "K\"E" })
    #expect(s.uniqueUsers == 1234.6)
  }

  @Test(arguments: [
    ("[1,2]", "an array, not a JSON object"),
    ("{\"kind\":\"wa.event\",\"version\":1}", "no \"kind\":\"wa.snapshot\""),
    (
      "{\"kind\":\"wa.snapshot\",\"version\":3}",
      "snapshot version 3 (this wa-report reads 1 and 2)"
    ),
    ("{\"kind\":\"wa.window\",\"version\":1}", "window record version 1 (this wa-report reads 2)"),
    ("{\"kind\":\"wa.window\",\"version\":2,\"seq\":1}", "generatedAt: missing"),
    ("{\"kind\":\"wa.snapshot\"}", "version: missing or not a number"),
    ("{\"kind\":\"wa.snapshot\",\"version\":1}", "seq: missing"),
    ("{\"kind\":\"wa.snapshot\",\"version\":1,", "invalid JSON"),
    ("{\"a\":1,\"a\":1}", "duplicate key"),
  ])
  func rejectsWhatIsNotASnapshot(_ text: String, _ reason: String) {
    let message = ReportFixtures.failure(text)
    #expect(message?.hasPrefix(reason) == true, "\(message ?? "decoded")")
  }

  /// (path, the new value as JSON or nil to remove it, the reason expected)
  @Test(
    arguments: [
      ("funnel.read", nil, "funnel.read: missing"),
      ("funnel.read", "\"12\"", "funnel.read: expected a number ≥ 0, found \"12\""),
      ("messages.sent", "-1", "messages.sent: expected a number ≥ 0, found -1"),
      ("rates.read", "\"high\"", "rates.read: expected a number or null, found \"high\""),
      ("final", "1", "final: expected true or false, found 1"),
      ("volumeByHour.sent", "[1,2,3]", "volumeByHour.sent: expected an array of 24 numbers"),
      ("heatmap.received", "[[0]]", "heatmap.received: expected an array of 7 arrays"),
      ("users", "[]", "users: expected an object, found an array"),
      ("countries.KE", "5", "countries.KE: expected an object, found 5"),
      ("agents.agent_789.responseTime", nil, "agents.agent_789.responseTime: missing"),
      ("contacts.bySource.organic", "null", "contacts.bySource.organic: expected a number"),
    ] as [(String, String?, String)])
  func namesThePathOfAShapeError(_ path: String, _ json: String?, _ reason: String) throws {
    let text = try ReportFixtures.edited("snapshot.ndjson", path, json)
    let message = ReportFixtures.failure(text)
    #expect(message?.hasPrefix(reason) == true, "\(message ?? "decoded")")
  }

  @Test func oneDecoderServesManyLines() throws {
    let decoder = SnapshotDecoder()
    for name in ["snapshot.ndjson", "empty.ndjson", "snapshot.ndjson"] {
      var bytes = Array(ReportFixtures.line(name).utf8)
      let s = try bytes.withUnsafeMutableBytes { raw in
        try decoder.decode(UnsafeRawBufferPointer(raw))
      }
      #expect(s.seq == (name == "empty.ndjson" ? 0 : 42))
    }
  }
}
