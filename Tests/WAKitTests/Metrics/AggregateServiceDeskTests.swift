import Foundation
import Testing

@testable import WAKit

/// Service-desk metrics (SPEC §5, version 2): first response per conversation, buckets,
/// business time, waiting users, SLAs, handling, observed conversations, records.
@Suite("wa-aggregate: service desk")
struct AggregateServiceDeskTests {
  static let office = ["--tz", "Africa/Nairobi", "--business-hours", "Mon-Fri 09:00-17:00"]

  static func sent(
    _ id: String, user: String = Ev.kenya, chat: String? = nil, at time: String,
    agent: String? = nil, automated: Bool? = nil
  ) -> String {
    Ev.sent(
      id, user: user, at: time, agent: agent, automated: automated,
      extra: chat.map { #","chatId":"\#($0)""# } ?? "")
  }

  static func clock(_ s: Snapshot, _ name: String) -> Snapshot.Latency? {
    switch name {
    case "responseTime": return s.responseTime
    case "agentResponseTime": return s.agentResponseTime
    case "firstResponseTime": return s.firstResponseTime
    case "agentFirstResponseTime": return s.agentFirstResponseTime
    default: return s.assignmentResponseTime
    }
  }

  static func buckets(_ c: Snapshot.Latency?) -> [Double] { c?.buckets.map(\.value) ?? [] }

  /// `conversations.started` of the final snapshot line (wa-report does not read it).
  static func started(_ run: AggregateRun) -> Int? {
    guard let line = run.lines.last(where: { $0.hasPrefix(#"{"kind":"wa.snapshot""#) }),
      let r = line.range(of: #""started":"#)
    else { return nil }
    return Int(line[r.upperBound...].prefix { $0.isNumber })
  }

  static func assigned(
    _ chat: String, agent: String, previous: String? = nil, at time: String,
    type: String = "manual"
  ) -> String {
    var p = #""chatId":"\#(chat)","agentId":"\#(agent)","assignmentType":"\#(type)""#
    p += previous.map { #","previousAgentId":"\#($0)""# } ?? #","previousAgentId":null"#
    return Ev.line("chat.assigned", user: Ev.kenya, at: time, p)
  }

  static func holidaysFile(_ text: String) -> String {
    let path = NSTemporaryDirectory() + "wa-holidays-\(getpid())-\(UUID().uuidString.prefix(8))"
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
  }

  // MARK: Hand-computed scenarios

  @Test("Friday 16:55 answered Monday 09:10 in Nairobi: 15 min business, 64 h 15 min calendar")
  func fridayToMonday() throws {
    let run = try aggregate(
      [
        Ev.received("in1", at: "2026-01-23T13:55:00Z"),  // Friday 16:55 in Nairobi
        Self.sent("out1", at: "2026-01-26T06:10:00Z", agent: "agent_1"),  // Monday 09:10
      ], Self.office)
    let s = run.final
    let calendar = Double(64 * 3600 + 15 * 60)
    for name in [
      "responseTime", "agentResponseTime", "firstResponseTime", "agentFirstResponseTime",
    ] {
      let c = Self.clock(s, name)
      #expect(c?.count == 1 && c?.max == calendar, "\(name)")
      #expect(c?.business?.count == 1 && c?.business?.max == 900, "\(name)")
      #expect(Self.buckets(c) == [0, 0, 0, 0, 0, 0, 1], "\(name)")
    }
    #expect(s.agent("agent_1")?.responseTime.business?.max == 900)
    #expect(run.lines[0].contains(#""version":2"#))
  }

  @Test("the same across a holiday Monday: answered Tuesday 09:10, still 15 min of business time")
  func acrossHoliday() throws {
    let path = Self.holidaysFile("# Kenya\n2026-01-26\n")
    defer { unlink(path) }
    let run = try aggregate(
      [
        Ev.received("in1", at: "2026-01-23T13:55:00Z"),
        Self.sent("out1", at: "2026-01-27T06:10:00Z", agent: "agent_1"),
      ], Self.office + ["--holidays", path])
    let c = Self.clock(run.final, "firstResponseTime")
    #expect(c?.max == Double(88 * 3600 + 15 * 60))
    #expect(c?.business?.max == 900)
  }

  @Test("across Berlin's change to summer time: 63 h 15 min calendar, 15 min business")
  func berlinDST() throws {
    let run = try aggregate(
      [
        Ev.received("in1", at: "2026-03-27T15:55:00Z"),  // Friday 16:55 CET
        Self.sent("out1", at: "2026-03-30T07:10:00Z", agent: "agent_1"),  // Monday 09:10 CEST
      ], ["--tz", "Europe/Berlin", "--business-hours", "Mon-Fri 09:00-17:00"])
    let c = Self.clock(run.final, "firstResponseTime")
    #expect(c?.max == Double(63 * 3600 + 15 * 60))
    #expect(c?.business?.max == 900)
  }

  @Test("a bot answers at once, an agent after the hand-off: FRT by any reply and by an agent")
  func botThenAgent() throws {
    let run = try aggregate([
      Ev.received("in1", at: at(10)),
      Self.sent("bot1", chat: "chat_\(Ev.kenya)", at: at(10, 0, 5), automated: true),
      Self.sent("out1", chat: "chat_\(Ev.kenya)", at: at(10, 7), agent: "agent_1"),
      Ev.resolved("chat_\(Ev.kenya)", at: at(10, 30), messages: 3, minutes: 30, agent: "agent_1"),
    ])
    let s = run.final
    #expect(Self.clock(s, "firstResponseTime")?.max == 5)
    #expect(Self.clock(s, "agentFirstResponseTime")?.max == 420)
    #expect(Self.buckets(Self.clock(s, "firstResponseTime")) == [1, 0, 0, 0, 0, 0, 0])
    #expect(Self.buckets(Self.clock(s, "agentFirstResponseTime")) == [0, 0, 1, 0, 0, 0, 0])
    #expect(s.handling?.handedOff == 1)
    #expect(s.handling?.botOnly == 0)
  }

  @Test(
    "a bot at once, the agent after a hand-off assignment: FRT by any, by agent, from assignment")
  func botHandOffAssignment() throws {
    let chat = "chat_\(Ev.kenya)"
    let run = try aggregate([
      Ev.received("in1", at: at(10)),
      Self.sent("bot1", chat: chat, at: at(10, 0, 5), automated: true),
      Self.assigned(chat, agent: "agent_1", at: at(10, 2), type: "bot_handoff"),
      Self.sent("out1", chat: chat, at: at(10, 7), agent: "agent_1"),
      Ev.resolved(chat, at: at(10, 30), messages: 3, minutes: 30, agent: "agent_1"),
    ])
    let s = run.final
    #expect(s.firstResponseTime?.max == 5)
    #expect(s.agentFirstResponseTime?.max == 420)
    #expect(s.assignmentResponseTime?.count == 1 && s.assignmentResponseTime?.max == 300)
    #expect(s.agent("agent_1")?.assignmentResponseTime?.max == 300)
    #expect(s.handling?.handedOff == 1 && s.handling?.assignments == 1)
    #expect(s.handling?.reassigned == 0)
  }

  @Test("a chat re-assigned twice: three assignments, one reassigned, the last agent's clock")
  func reassignedTwice() throws {
    let chat = "chat_\(Ev.kenya)"
    let run = try aggregate(
      [
        Ev.received("in1", at: at(10)),
        Self.assigned(chat, agent: "agent_1", at: at(10, 1)),
        Self.assigned(chat, agent: "agent_2", previous: "agent_1", at: at(10, 5)),
        Self.assigned(chat, agent: "agent_2", previous: "agent_1", at: at(10, 5)),  // replayed
        Self.assigned(chat, agent: "agent_3", previous: "agent_2", at: at(10, 10)),
        Ev.contact(user: Ev.kenya2, at: at(10, 30)),
      ], ["--sla", "first-response=15m"])
    // Before the reply: the running clock is missed (30 min) and goes to the last agent.
    #expect(run.final.agent("agent_3")?.sla?.firstResponse?.missed == 1)
    #expect(run.final.input.duplicates == 1)
    let more = try aggregate(
      [
        Ev.received("in1", at: at(10)),
        Self.assigned(chat, agent: "agent_1", at: at(10, 1)),
        Self.assigned(chat, agent: "agent_2", previous: "agent_1", at: at(10, 5)),
        Self.assigned(chat, agent: "agent_3", previous: "agent_2", at: at(10, 10)),
        Self.sent("out1", chat: chat, at: at(10, 12), agent: "agent_3"),
        Ev.resolved(chat, at: at(10, 40), messages: 2, minutes: 40, agent: "agent_3"),
      ])
    let s = more.final
    #expect(s.handling?.assignments == 3 && s.handling?.reassigned == 1)
    #expect(s.handling?.agentOnly == 1)
    #expect(s.assignmentResponseTime?.count == 1 && s.assignmentResponseTime?.max == 120)
    #expect(s.agent("agent_3")?.assignmentResponseTime?.count == 1)
    // agent_1 answered nothing: no sample (agents are rows only once something counts).
    #expect((s.agent("agent_1")?.assignmentResponseTime?.count ?? 0) == 0)
  }

  @Test("three waiting episodes in one conversation: one first response, three responses")
  func threeEpisodes() throws {
    let run = try aggregate([
      Ev.received("in1", at: at(10)),
      Self.sent("out1", at: at(10, 1), agent: "agent_1"),
      Ev.received("in2", at: at(11)),
      Self.sent("out2", at: at(11, 5), agent: "agent_1"),
      Ev.received("in3", at: at(12)),
      Self.sent("out3", at: at(12, 10), agent: "agent_1"),
    ])
    let s = run.final
    #expect(s.responseTime.count == 3)
    #expect(Self.buckets(Self.clock(s, "responseTime")) == [1, 1, 1, 0, 0, 0, 0])
    let first = Self.clock(s, "firstResponseTime")
    #expect(first?.count == 1 && first?.max == 60)
    #expect(Self.clock(s, "agentFirstResponseTime")?.count == 1)
    #expect(Self.started(run) == 1)
    #expect(Self.clock(s, "responseTime")?.business == nil)  // no --business-hours
  }

  @Test("bucket edges: a sample of exactly 300 s is in ≤300s, 301 s in ≤900s")
  func bucketEdges() {
    var b = LatencyBuckets()
    for v in [0, 60, 60.001, 300, 301, 900, 3600, 14_400, 86_400, 86_400.5] { b.add(v) }
    #expect(b.counts == [2, 2, 2, 1, 1, 1, 1])
    #expect(LatencyBuckets.keys.first == "≤60s" && LatencyBuckets.keys.last == ">86400s")
  }

  // MARK: Waiting and SLA

  @Test("waiting: users with a running clock, and those past the reply window")
  func waiting() throws {
    let run = try aggregate(
      [
        Ev.received("a1", user: Ev.kenya, at: at(day: 2, 10)),  // waits 26 h
        Ev.received("b1", user: Ev.kenya2, at: at(day: 3, 11)),  // waits 1 h
        Ev.received("c1", user: Ev.usa, at: at(day: 3, 9)),
        Self.sent("c2", user: Ev.usa, at: at(day: 3, 9, 30)),
        Ev.contact(user: Ev.usa, at: at(day: 3, 12)),  // the stream clock: 12:00 on day 3
      ], ["--reply-window", "24h"])
    #expect(run.final.waiting?.now == 2)
    #expect(run.final.waiting?.overWindow == 1)
  }

  @Test("SLA: met + missed + pending is every conversation; agents add up to the totals")
  func sla() throws {
    let users = (0..<6).map { "+25471200000\($0)" }
    let run = try aggregate(
      [
        Ev.received("a", user: users[0], at: at(10)),
        Self.sent("a1", user: users[0], at: at(10, 10), agent: "agent_1"),  // met (600 s)
        Ev.received("b", user: users[1], at: at(10)),
        Self.sent("b1", user: users[1], at: at(10, 20), agent: "agent_2"),  // missed
        Ev.received("c", user: users[2], at: at(10)),
        Self.sent("c1", user: users[2], at: at(10, 1), automated: true),  // a bot: still running
        Ev.received("d", user: users[3], at: at(10, 50)),  // pending at 11:00
        Ev.received("e", user: users[4], at: at(10)),
        Self.sent("e1", user: users[4], at: at(10, 15), agent: "agent_1"),  // exactly 15 m: met
        Ev.received("f", user: users[5], at: at(10)),
        Ev.resolved("chat_\(users[5])", user: users[5], at: at(10, 5), messages: 1, minutes: 5),
        Ev.contact(user: users[0], at: at(11)),
      ], ["--sla", "first-response=15m,resolution=30m"])
    let s = run.final
    let fr = s.sla?.firstResponse
    #expect(fr?.target == 900)
    // a, e met; b missed; c missed while running (60 min > 15 min); d pending;
    // f closed within the target before anyone answered: met.
    #expect(fr?.met == 3 && fr?.missed == 2 && fr?.pending == 1)
    #expect(fr?.rate == 0.6)
    let res = s.sla?.resolution
    // f resolved in 5 min: met; a, b, c, e running 60 min: missed; d 10 min: pending.
    #expect(res?.met == 1 && res?.missed == 4 && res?.pending == 1)
    #expect(Self.started(run) == 6)
    for x in [fr, res] {
      #expect(Int((x?.met ?? 0) + (x?.missed ?? 0) + (x?.pending ?? 0)) == Self.started(run))
    }
    var sums = [String: Double]()
    for a in s.agents {
      for (name, x) in [("firstResponse", a.sla?.firstResponse), ("resolution", a.sla?.resolution)]
      {
        guard let x else { continue }
        sums[name + ".met", default: 0] += x.met
        sums[name + ".missed", default: 0] += x.missed
        sums[name + ".pending", default: 0] += x.pending
      }
    }
    #expect(sums["firstResponse.met"] == 3 && sums["firstResponse.missed"] == 2)
    #expect(sums["firstResponse.pending"] == 1 && sums["resolution.missed"] == 4)
    #expect(s.agent("agent_1")?.sla?.firstResponse?.met == 2)
    #expect(s.agent("unassigned")?.sla?.firstResponse?.pending == 1)
  }

  @Test("SLA in business time: answered Monday 09:10 after Friday 16:55 meets a 15 m target")
  func slaInBusinessTime() throws {
    let run = try aggregate(
      [
        Ev.received("in1", at: "2026-01-23T13:55:00Z"),
        Self.sent("out1", at: "2026-01-26T06:10:00Z", agent: "agent_1"),
      ], Self.office + ["--sla", "first-response=15m"])
    let fr = run.final.sla?.firstResponse
    #expect(fr?.met == 1 && fr?.missed == 0)
    #expect(run.final.sla?.resolution == nil)
  }

  // MARK: Conversations

  @Test("observed numbers, disagreement with the producer, and the conversation record")
  func observedAndRecords() throws {
    let chat = "chat_\(Ev.kenya)"
    let run = try aggregate(
      [
        Ev.received("in1", at: at(10)),
        Self.sent("out1", chat: chat, at: at(10, 4), agent: "agent_1"),
        Ev.received("in2", at: at(10, 10)),
        Self.sent("out2", chat: chat, at: at(10, 20), agent: "agent_1"),
        Ev.resolved(chat, at: at(10, 40), messages: 4, minutes: 40, agent: "agent_1"),
        Ev.received("x1", user: Ev.kenya2, at: at(10)),
        // The producer says 20 messages and 2 minutes: it disagrees.
        Ev.resolved(
          "chat_\(Ev.kenya2)", user: Ev.kenya2, at: at(10, 30), messages: 20, minutes: 2,
          resolution: "solved"),
      ], ["--emit", "conversations", "--sla", "first-response=5m"])
    let s = run.final
    #expect(s.conversations.observedMessageCount?.max == 4)
    #expect(s.conversations.observedDurationMinutes?.max == 40)
    #expect(s.conversations.disagree == 1)
    let records = run.lines.filter { $0.contains(#""kind":"wa.conversation""#) }
    #expect(records.count == 2)
    #expect(!records.joined().contains("userId"))
    #expect(
      records[0]
        == #"{"kind":"wa.conversation","version":2,"chatId":"chat_+254712345678","#
        + #""resolvedAt":"2026-03-02T10:40:00.000Z","agentId":"agent_1","resolution":null,"#
        + #""firstInboundAt":"2026-03-02T10:00:00.000Z","firstResponseSeconds":240,"#
        + #""firstResponseBusinessSeconds":null,"messageCount":4,"observedMessageCount":4,"#
        + #""durationMinutes":40,"observedDurationMinutes":40,"handling":"agentOnly","#
        + #""sla":{"firstResponse":"met","resolution":null}}"#)
    #expect(records[1].contains(#""handling":"noReply""#))
    #expect(records[1].contains(#""sla":{"firstResponse":"missed""#))
  }

  @Test("a resolved chat closes its conversation: the next inbound message starts another")
  func resolvedClosesTheConversation() throws {
    let chat = "chat_\(Ev.kenya)"
    let run = try aggregate([
      Ev.received("in1", at: at(10)),
      Self.sent("out1", chat: chat, at: at(10, 1), automated: true),
      Ev.resolved(chat, at: at(10, 5), messages: 2, minutes: 5),
      Ev.received("in2", at: at(12)),
      Self.sent("out2", chat: chat, at: at(12, 2), agent: "agent_1"),
    ])
    let s = run.final
    #expect(Self.started(run) == 2)
    #expect(Self.clock(s, "firstResponseTime")?.count == 2)
    #expect(s.handling?.botOnly == 1)
  }

  // MARK: Flags

  @Test(
    "bad --sla and --emit values are usage errors that say how to write them",
    arguments: [
      (["--sla", "first-response=0s"], "not a duration above 0"),
      (["--sla", "first-reply=15m"], "is not a target"),
      (["--sla", "resolution=soon"], "not a duration"),
      (["--emit", "chats"], "--emit conversations"),
      (["--holidays", "/dev/null"], "needs --business-hours"),
      (["--business-hours", "Mon-Fri 17:00-09:00"], "ends before it starts"),
      (["--business-hours", "Mon-Fri 09:00-12:00,11:00-17:00"], "overlap"),
      (["--business-hours", "Mon-Fri 09:00-25:00"], "'25:00' is not a time of day"),
      (["--business-hours", "Mon-Fry 09:00-17:00"], "unknown day 'Fry'"),
    ])
  func badFlags(_ flags: [String], _ expected: String) throws {
    let args = try FlagParser.parse(flags, flags: AggregateOptions.flags)
    #expect {
      _ = try AggregateOptions(args)
    } throws: { error in
      let message = (error as? UsageError)?.message ?? ""
      // What is wrong, and how to write it.
      let howTo = ["write", "e.g.", "give each", "hours run 00", "use --emit", "needs"]
      return message.contains(expected) && howTo.contains { message.contains($0) }
    }
  }

  @Test("a holidays file with a bad date on line 7 is a usage error naming the line")
  func badHolidaysFile() throws {
    let path = Self.holidaysFile(
      "# 2026\n2026-01-01\n\n2026-04-03\n2026-05-01\n# next\n2026-02-30\n")
    defer { unlink(path) }
    let args = try FlagParser.parse(
      ["--business-hours", "Mon-Fri 09:00-17:00", "--holidays", path],
      flags: AggregateOptions.flags)
    #expect {
      _ = try AggregateOptions(args)
    } throws: { error in
      let message = (error as? UsageError)?.message ?? ""
      return message.contains("\(path):7:") && message.contains("2026-02-30")
    }
  }

  // MARK: Merging

  @Test("service-desk partials merge: two shards by user equal the whole stream")
  func merge() throws {
    let (base, statuses) = AggregateInvariantTests.stream(seed: 21, count: 400)
    // The seeds of AggregateMergeTests: its stream quotes no message across shards.
    let lines = AggregateInvariantTests.interleave(base, statuses, seed: 5)
    var configuration = AggregatorConfiguration()
    configuration.businessHours = try BusinessHours.parse("Mon-Fri 09:00-17:00", zone: .utc)
    var whole = Aggregator(configuration)
    AggregateMergeTests.fold(lines, into: &whole)
    var shards = [Aggregator(configuration), Aggregator(configuration)]
    for line in lines {
      let even = ["00", "20", "40"].contains { line.contains("+2547120000\($0)\"") }
      AggregateMergeTests.fold([line], into: &shards[even ? 0 : 1])
    }
    var merged = shards[0].metrics
    merged.merge(shards[1].metrics)
    #expect(whole.metrics.desk.firstResponseTime.count > 3)
    #expect(merged.desk.firstResponseTime.count == whole.metrics.desk.firstResponseTime.count)
    #expect(merged.desk.firstResponse.buckets == whole.metrics.desk.firstResponse.buckets)
    #expect(merged.desk.firstResponse.business.sum == whole.metrics.desk.firstResponse.business.sum)
    #expect(merged.desk.started == whole.metrics.desk.started)
    #expect(merged.desk.handling == whole.metrics.desk.handling)
    let a = Array(AggregateMergeTests.render(merged).utf8)
    let b = Array(AggregateMergeTests.render(whole.metrics).utf8)
    let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
    #expect(
      a == b,
      "differs at: \(String(decoding: b[max(0, i - 120)..<min(b.count, i + 80)], as: UTF8.self))")
  }

  // MARK: wa-report

  @Test("wa-report shows the service desk in text (within 100 columns) and in Prometheus")
  func report() throws {
    let chat = "chat_\(Ev.kenya)"
    let run = try aggregate(
      [
        Ev.received("in1", at: "2026-01-23T13:55:00Z"),
        Self.sent("bot1", chat: chat, at: "2026-01-23T13:55:04Z", automated: true),
        Self.assigned(
          chat, agent: "agent_with_a_rather_long_identifier_1", at: "2026-01-23T14:00:00Z"),
        Self.sent(
          "out1", chat: chat, at: "2026-01-26T06:10:00Z",
          agent: "agent_with_a_rather_long_identifier_1"),
        Ev.resolved(chat, at: "2026-01-26T07:00:00Z", messages: 3, minutes: 3905),
        Ev.received("w1", user: Ev.kenya2, at: "2026-01-26T06:30:00Z"),
      ], Self.office + ["--sla", "first-response=15m,resolution=24h"])
    let text = TextDashboard(style: TextStyle(color: false, ascii: false)).render(run.final)
    for needle in [
      "Service desk", "first agent response", "in business hours", "from assignment", "≤86400s",
      "SLA first response", "SLA resolution", "handed off 1", "waiting now 1 users",
      "SLA by agent",
    ] {
      #expect(text.contains(needle), "\(needle)")
    }
    for line in text.split(separator: "\n") {
      #expect(DisplayWidth.of(String(line)) <= 100, "too wide: \(line)")
    }
    let prom = PrometheusExposition().render(run.final)
    for family in [
      "wa_conversation_first_response_seconds", "wa_conversation_first_agent_response_seconds",
      "wa_conversation_first_response_business_seconds", "wa_assignment_response_seconds",
      "wa_response_bucket_total", "wa_waiting_users", "wa_sla_total", "wa_sla_pending",
      "wa_agent_sla_total", "wa_handling_total", "wa_agent_first_response_business_seconds",
      "wa_agent_assignment_response_seconds",
    ] {
      #expect(prom.contains("# TYPE \(family) "), "\(family)")
    }
    #expect(prom.contains(#"wa_sla_total{outcome="met",sla="first_response"} 1"#))
    // Every sample belongs to the family declared last (promtool rejects a split family).
    var declared = Set<String>()
    var current = ""
    for line in prom.split(separator: "\n") {
      if line.hasPrefix("# TYPE ") {
        current = String(line.split(separator: " ")[2])
        #expect(declared.insert(current).inserted, "family \(current) declared twice")
      } else if !line.hasPrefix("#") {
        let name = String(line.prefix { $0 != "{" && $0 != " " })
        #expect(name.hasPrefix(current), "\(name) outside its family")
      }
    }
  }
}
