import Testing

@testable import WAKit

/// Persons across identifiers (SPEC §2 BSUID paragraph, §5 "Identity"): a phone number and
/// its BSUID, once an event names both, are one user for replies, response clocks and
/// distinct counts.
@Suite("wa-aggregate: identity")
struct AggregateIdentityTests {
  static let phone = "+254712345678"
  static let bsuid = "KE.13491208655302741918"
  static let link = #","bsuid":"KE.13491208655302741918""#

  @Test func aLinkedPhoneAndBSUIDAreOneUserForRepliesAndClocks() throws {
    let run = try aggregate([
      // The link: the phone number's message names its BSUID.
      Ev.received("in1", user: Self.phone, at: at(10), context: Self.link),
      // The business answers the BSUID (the number is hidden now): stops in1's clock.
      Ev.sent("out1", user: Self.bsuid, at: at(10, 5), agent: "agent_1"),
      // The user replies under the BSUID alone: out1 is replied, a new clock starts…
      Ev.received("in2", user: Self.bsuid, at: at(10, 7)),
      // …and the answer to the phone number stops it.
      Ev.sent("out2", user: Self.phone, at: at(10, 9), agent: "agent_1"),
    ])
    let s = run.final
    #expect(s.uniqueUsers == 1)
    #expect(s.byIdentity == Snapshot.Identity(phone: 1, bsuid: 0))
    #expect(s.funnel.sent == 2 && s.funnel.replied == 1)
    #expect(s.responseTime.count == 2 && s.agentResponseTime.count == 2)
    #expect(s.responseTime.max == 300 && s.responseTime.mean == 210)
    #expect(s.country("KE")?.users == 1 && s.country("KE")?.received == 2)
  }

  @Test func aBSUIDUserCountsByItsPrefixAndUnderBSUID() throws {
    let run = try aggregate([
      Ev.received("in1", user: "BR.1502576394655843", at: at(10)),
      Ev.sent("out1", user: "BR.1502576394655843", at: at(10, 1)),
      Ev.received("in2", user: "BR.1502576394655843", at: at(10, 2)),
      Ev.received("in3", user: "ZZ.abc", at: at(10, 3)),
      Ev.received("in4", user: Self.phone, at: at(10, 4)),
    ])
    let s = run.final
    #expect(s.uniqueUsers == 3)
    #expect(s.byIdentity == Snapshot.Identity(phone: 1, bsuid: 2))
    #expect(s.country("BR")?.users == 1 && s.country("BR")?.received == 2)
    #expect(s.country("ZZ")?.users == 1)
    #expect(s.funnel.replied == 1 && s.responseTime.count == 1)
  }

  @Test func aBSUIDUserWhoLaterShowsTheNumberStaysOneUserUnderBSUID() throws {
    let run = try aggregate([
      Ev.received("in1", user: Self.bsuid, at: at(10)),
      Ev.sent("out1", user: Self.bsuid, at: at(10, 1)),
      // Later the number is known too: the person is the BSUID's, first seen as a BSUID.
      Ev.received("in2", user: Self.phone, at: at(10, 2), context: Self.link),
      Ev.received("in3", user: Self.phone, at: at(10, 3)),
      Ev.contact(user: Self.phone, at: at(10, 4)),
      Ev.contact(user: Self.bsuid, at: at(10, 5)),  // the same person: a duplicate
    ])
    let s = run.final
    #expect(s.uniqueUsers == 1 && s.byIdentity == Snapshot.Identity(phone: 0, bsuid: 1))
    #expect(s.funnel.replied == 1)
    #expect(s.contacts.created == 1 && s.input.duplicates == 1)
  }

  @Test func twoKnownUsersLinkedLaterShareTheirStateFromThenOn() throws {
    let run = try aggregate([
      // Seen apart first: two users, each with state (a message waiting for a reply, a clock).
      Ev.sent("out1", user: Self.phone, at: at(10)),
      Ev.received("in1", user: Self.bsuid, at: at(10, 1)),
      // The link.
      Ev.status("read", "out1", user: Self.phone)
        .replacingOccurrences(
          of: #""channel":"whatsapp""#, with: #""channel":"whatsapp""# + Self.link),
      // The BSUID's next message replies to out1, sent to the phone number; the answer to the
      // phone number stops the clock in1 started.
      Ev.received("in2", user: Self.bsuid, at: at(10, 3)),
      Ev.sent("out2", user: Self.phone, at: at(10, 4)),
    ])
    let s = run.final
    // Counted apart before they were linked: "from then on" (SPEC §2).
    #expect(s.uniqueUsers == 2)
    #expect(s.funnel.replied == 1)
    #expect(s.responseTime.count == 1 && s.responseTime.max == 180)
  }

  @Test func anAliasIsEvictedWithTheStateHorizonAndCounted() throws {
    let run = try aggregate(
      [
        Ev.received("in1", user: Self.phone, at: at(10), context: Self.link),
        // Three hours of other traffic: the alias (and the user) pass the 1 h horizon.
        Ev.received("x1", user: Ev.usa, at: at(13)),
        Ev.received("x2", user: Ev.usa, at: at(13, 1)),
        // The BSUID alone is now a user of its own.
        Ev.received("in2", user: Self.bsuid, at: at(13, 2)),
      ], ["--state-horizon", "1h"])
    let s = run.final
    #expect(s.input.evicted >= 2)  // at least the user's entry and the alias
    #expect(s.uniqueUsers == 3)
  }

  @Test func theAliasTableIsCappedByMaxState() throws {
    var lines: [String] = []
    for i in 0..<20 {
      let n = String(100 + i)
      lines.append(
        Ev.received(
          "in\(i)", user: "+254712345\(n)", at: at(10, i),
          context: #","bsuid":"KE.77\#(n)""#))
    }
    var a = Aggregator(
      {
        var c = AggregatorConfiguration()
        c.maxState = 8
        return c
      }())
    AggregateMergeTests.fold(lines, into: &a)
    #expect(a.aliases.count <= 8 && a.users.count <= 8)
    #expect(a.metrics.input.evicted >= 24)  // 12 aliases and 12 users at least
    #expect(a.metrics.users.estimate == 20)
  }

  @Test func identityPartialsMerge() throws {
    let lines = [
      Ev.received("a1", user: Self.phone, at: at(10), context: Self.link),
      Ev.received("a2", user: Self.bsuid, at: at(10, 1)),
      Ev.received("b1", user: "US.555", at: at(10, 2)),
      Ev.received("b2", user: Ev.usa, at: at(10, 3)),
    ]
    var whole = Aggregator()
    AggregateMergeTests.fold(lines, into: &whole)
    var left = Aggregator()
    var right = Aggregator()
    AggregateMergeTests.fold(Array(lines[0..<2]), into: &left)
    AggregateMergeTests.fold(Array(lines[2...]), into: &right)
    var merged = left.metrics
    merged.merge(right.metrics)
    let expected = AggregateMergeTests.render(whole.metrics)
    #expect(expected.contains(#""users":{"unique":3,"byIdentity":{"phone":2,"bsuid":1}}"#))
    #expect(AggregateMergeTests.render(merged) == expected)
  }
}
