import Testing

@testable import WAKit

/// Properties that hold for any stream: random ones, from a seeded generator.
@Suite("wa-aggregate: invariants")
struct AggregateInvariantTests {
  /// A random conversation-shaped stream: inbound and outbound messages of a few users, each
  /// outbound one with some of its statuses, and resolutions. Events are 0–30 minutes apart,
  /// so a stream of a few hundred spans days, but less than the default 7-day state horizon:
  /// no state is evicted, wherever a status lands.
  static func stream(seed: UInt64, count: Int) -> (base: [String], statuses: [String]) {
    var rng = SeededGenerator(seed: seed)
    let users = (0..<6).map { "+2547120000\($0)0" }
    let agents = ["agent_1", "agent_2", "agent_3"]
    var base: [String] = []
    var statuses: [String] = []
    var minute = 0
    for i in 0..<count {
      minute += Int.random(in: 0...30, using: &rng)
      let time = "2026-03-\(10 + minute / 1440)T\(pad(minute / 60 % 24)):\(pad(minute % 60)):00Z"
      let user = users.randomElement(using: &rng) ?? users[0]
      switch Int.random(in: 0..<10, using: &rng) {
      case 0..<4:
        let quote =
          Bool.random(using: &rng) && i > 0 ? "m\(Int.random(in: 0..<i, using: &rng))" : nil
        base.append(Ev.received("in\(i)", user: user, at: time, replyTo: quote))
      case 4..<9:
        let agent = Int.random(in: 0..<4, using: &rng) < 3 ? agents.randomElement(using: &rng) : nil
        let bot = Int.random(in: 0..<5, using: &rng) == 0
        base.append(Ev.sent("m\(i)", user: user, at: time, agent: agent, automated: bot))
        for kind in ["delivered", "read", "failed"] where Bool.random(using: &rng) {
          statuses.append(
            Ev.status(kind, "m\(i)", user: user, at: Bool.random(using: &rng) ? time : nil))
        }
      default:
        let agent = Bool.random(using: &rng) ? agents.randomElement(using: &rng) : nil
        base.append(
          Ev.resolved(
            "c\(i)", user: user, at: time, messages: Int.random(in: 0..<30, using: &rng),
            minutes: Double(Int.random(in: 0..<600, using: &rng)) / 4, agent: agent))
      }
    }
    return (base, statuses)
  }

  static func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

  /// Interleaves `statuses` into `base` at positions chosen by `seed`.
  static func interleave(_ base: [String], _ statuses: [String], seed: UInt64) -> [String] {
    var rng = SeededGenerator(seed: seed)
    var out = base
    for s in statuses { out.insert(s, at: Int.random(in: 0...out.count, using: &rng)) }
    return out
  }

  @Test func shufflingOnlyTheStatusEventsLeavesTheFunnelUnchanged() throws {
    let (base, statuses) = Self.stream(seed: 7, count: 300)
    let lines = Self.interleave(base, statuses, seed: 1)
    let reference = try aggregate(lines).final
    #expect(reference.input.evicted == 0)
    #expect(reference.funnel.sent > 50 && reference.funnel.read > 10)
    #expect(reference.funnel.replied > 10 && reference.funnel.failed > 10)
    var rng = SeededGenerator(seed: 99)
    for _ in 0..<8 {
      // Keep every non-status line where it is; permute the statuses among their slots.
      let isStatus = lines.map { statuses.contains($0) }
      var shuffled = lines.filter { statuses.contains($0) }
      shuffled.shuffle(using: &rng)
      var next = shuffled.makeIterator()
      let permuted = zip(lines, isStatus).map { line, status in status ? next.next() ?? line : line
      }
      let s = try aggregate(permuted).final
      #expect(s.funnel == reference.funnel)
      #expect(s.messages.delivered == reference.messages.delivered)
      #expect(s.messages.read == reference.messages.read)
    }
  }

  @Test func perAgentNumbersAddUpToTheTotals() throws {
    let (base, statuses) = Self.stream(seed: 11, count: 400)
    let s = try aggregate(Self.interleave(base, statuses, seed: 2)).final
    #expect(s.messages.sentByAgent > 0 && s.agentResponseTime.count > 0)
    #expect(s.agents.reduce(0) { $0 + $1.messagesSent } == s.messages.sentByAgent)
    #expect(s.agents.reduce(0) { $0 + $1.chatsResolved } == s.conversations.resolved)
    #expect(s.agents.reduce(0) { $0 + $1.responseTime.count } == s.agentResponseTime.count)
    #expect(s.messages.sentByAgent + s.messages.sentAutomated == s.messages.sent)
    #expect(s.responseTime.count >= s.agentResponseTime.count)
  }

  @Test func everyLineIsAccountedFor() throws {
    let (base, statuses) = Self.stream(seed: 5, count: 200)
    var lines = Self.interleave(base, statuses, seed: 3)
    var rng = SeededGenerator(seed: 4)
    for junk in ["", "   ", "\t", "not json", "{}", #"{"type":"track"}"#, "[1]", "{\"a\":1,}"] {
      lines.insert(junk, at: Int.random(in: 0...lines.count, using: &rng))
    }
    lines.append(lines[10])  // a duplicate line
    let run = try aggregate(lines, ["--every", "37"])
    #expect(run.snapshots.count == run.summary.valid / 37 + 1)
    for snapshot in run.snapshots {
      let i = snapshot.input
      #expect(i.lines == i.blank + i.rejected + i.events)
    }
    let i = run.final.input
    #expect(i.lines == Double(lines.count))
    #expect(i.blank == 3 && i.rejected == 5 && i.duplicates >= 1)
    #expect(i.lines == Double(run.summary.lines) && i.rejected == Double(run.summary.rejected))
    #expect(i.events == Double(run.summary.valid) && i.blank == Double(run.summary.blank))
  }
}
