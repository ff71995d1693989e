import Testing

@testable import WAKit

/// `responseTime` and `agentResponseTime`, overall and per agent (SPEC §5).
@Suite("wa-aggregate: response times")
struct AggregateResponseTimeTests {
  @Test func theClockRunsFromTheFirstUnansweredInboundMessage() throws {
    let run = try aggregate([
      Ev.received("in1", at: at(10)),
      Ev.received("in2", at: at(10, 2)),  // the clock keeps its 10:00 start
      Ev.sent("m1", at: at(10, 5), agent: "agent_1"),  // 300 s, both clocks
      Ev.sent("m2", at: at(10, 6), agent: "agent_1"),  // nothing running: no sample
      Ev.received("in3", at: at(11)),
      Ev.sent("m3", at: at(11, 1), automated: true),  // 60 s, response clock only
      Ev.sent("m4", at: at(11, 10), agent: "agent_2"),  // agent clock: 600 s
    ])
    let r = run.final.responseTime
    #expect(r.count == 2 && r.mean == 180 && r.max == 300)
    #expect(r.p50 == 60 && r.p90 == 300 && r.p99 == 300)  // nearest rank of [60, 300]
    let a = run.final.agentResponseTime
    #expect(a.count == 2 && a.mean == 450 && a.max == 600 && a.p50 == 300)
    #expect(run.final.agent("agent_1")?.responseTime.count == 1)
    #expect(run.final.agent("agent_1")?.responseTime.mean == 300)
    #expect(run.final.agent("agent_2")?.responseTime.max == 600)
  }

  @Test func aBotReplyStopsTheResponseClockButNotTheAgentClock() throws {
    let run = try aggregate([
      Ev.received("in1", at: at(10)),
      Ev.sent("bot1", at: at(10, 0, 5), agent: "bot", automated: true),
      Ev.sent("bot2", at: at(10, 1)),  // no agentId: automated too
      Ev.sent("m1", at: at(10, 3), agent: "agent_1"),
    ])
    let s = run.final
    #expect(s.responseTime.count == 1 && s.responseTime.max == 5)
    #expect(s.agentResponseTime.count == 1 && s.agentResponseTime.max == 180)
    #expect(s.agent("agent_1")?.responseTime.max == 180)
    #expect(s.agent("bot") == nil)
  }

  @Test func aMessageSentBeforeTheInboundOneDoesNotStopItsClock() throws {
    let run = try aggregate([
      Ev.received("in1", at: at(10)),
      Ev.sent("m0", at: at(9, 59), agent: "agent_1"),  // logged late, sent earlier
      Ev.sent("m1", at: at(10, 1), agent: "agent_1"),
    ])
    #expect(run.final.responseTime.count == 1 && run.final.responseTime.max == 60)
    #expect(run.final.agentResponseTime.max == 60)
  }

  @Test func aReplyAtTheSameInstantIsAZeroSecondResponse() throws {
    let run = try aggregate([
      Ev.received("in1", at: at(10)),
      Ev.sent("m1", at: at(10), agent: "agent_1"),
    ])
    #expect(run.final.responseTime.count == 1 && run.final.responseTime.max == 0)
  }

  @Test func eachUserHasItsOwnClock() throws {
    let run = try aggregate([
      Ev.received("in1", at: at(10)),
      Ev.received("in2", user: Ev.kenya2, at: at(10, 1)),
      Ev.sent("m1", user: Ev.kenya2, at: at(10, 2), agent: "agent_1"),  // 60 s
      Ev.sent("m2", at: at(10, 10), agent: "agent_2"),  // 600 s
    ])
    #expect(run.final.responseTime.count == 2)
    #expect(run.final.responseTime.mean == 330)
    #expect(run.final.agent("agent_1")?.responseTime.mean == 60)
    #expect(run.final.agent("agent_2")?.responseTime.mean == 600)
  }
}
