import Testing

@testable import WAKit

/// `conversations`, `agents` (resolutions), `contacts` and `countries` (SPEC §5).
@Suite("wa-aggregate: conversations, contacts, countries")
struct AggregateConversationTests {
  @Test func chatResolvedWithoutAgentCountsAsUnassigned() throws {
    let run = try aggregate([
      Ev.resolved("c1", at: at(10), messages: 8, minutes: 30, agent: "agent_1"),
      Ev.resolved("c2", at: at(11), messages: 4, minutes: 10, resolution: "solved"),
      Ev.resolved(
        "c3", at: at(12), messages: 10, minutes: 50, agent: "agent_1",
        resolution: "solved"),
    ])
    let c = run.final.conversations
    #expect(c.resolved == 3)
    #expect(Snapshot.map(c.byResolution) == ["solved": 2, "unspecified": 1])
    // messageCount [4, 8, 10]: mean 7.333, nearest-rank p50 8, p90 10.
    #expect(c.messageCount.mean == 7.333 && c.messageCount.p50 == 8)
    #expect(c.messageCount.p90 == 10 && c.messageCount.max == 10)
    #expect(c.durationMinutes.mean == 30 && c.durationMinutes.p50 == 30)
    #expect(c.durationMinutes.p90 == 50 && c.durationMinutes.max == 50)
    let a1 = try #require(run.final.agent("agent_1"))
    #expect(a1.chatsResolved == 2 && a1.avgDurationMinutes == 40 && a1.avgMessageCount == 9)
    #expect(a1.messagesSent == 0 && a1.responseTime.count == 0 && a1.responseTime.mean == nil)
    let unassigned = try #require(run.final.agent("unassigned"))
    #expect(unassigned.chatsResolved == 1 && unassigned.avgDurationMinutes == 10)
    #expect(unassigned.avgMessageCount == 4)
  }

  @Test func conversationStatisticsAreNullBeforeAnyResolution() throws {
    let run = try aggregate([Ev.received("in1", at: at(10))])
    let c = run.final.conversations
    #expect(c.resolved == 0 && c.messageCount == Snapshot.Distribution())
    #expect(
      run.lines[0].contains(#""messageCount":{"mean":null,"p50":null,"p90":null,"max":null}"#))
  }

  @Test func contactsCountOncePerUserBySource() throws {
    let run = try aggregate([
      Ev.contact(user: Ev.kenya, at: at(9), source: "ad"),
      Ev.contact(user: Ev.kenya2, at: at(9, 1), source: "qr"),
      Ev.contact(user: Ev.usa, at: at(9, 2)),
      Ev.contact(user: Ev.kenya2, at: at(9, 3), source: "ad"),  // same user again
    ])
    #expect(run.final.contacts.created == 3)
    #expect(Snapshot.map(run.final.contacts.bySource) == ["ad": 1, "qr": 1, "unspecified": 1])
    #expect(run.final.country("KE")?.contacts == 2 && run.final.country("US")?.contacts == 1)
  }

  @Test func countryIsPropertiesThenContextThenThePhoneNumberThenZZ() throws {
    let run = try aggregate([
      Ev.received("a", at: at(10), extra: #","countryCode":"TZ""#),
      Ev.received("b", at: at(10, 1), context: #","countryCode":"UG""#),
      Ev.received(
        "c", at: at(10, 2), extra: #","countryCode":"tz""#, context: #","countryCode":"UG""#),
      Ev.received("d", at: at(10, 3)),
      Ev.received("e", user: Ev.freephone, at: at(10, 4)),
      Ev.sent("f", user: Ev.usa, at: at(10, 5)),
      Ev.status("read", "f", user: Ev.usa, at: at(10, 6)),
    ])
    let s = run.final
    #expect(s.countries.map(\.code) == ["KE", "TZ", "UG", "US", "ZZ"])  // sorted by code
    #expect(s.country("TZ")?.received == 2 && s.country("UG")?.received == 1)
    #expect(s.country("KE")?.received == 1 && s.country("ZZ")?.received == 1)
    #expect(s.country("US")?.sent == 1 && s.country("US")?.received == 0)
    // Distinct users per country: one Kenyan number counted in KE, TZ and UG.
    #expect(s.country("TZ")?.users == 1 && s.country("US")?.users == 1)
    #expect(s.uniqueUsers == 3)
  }
}
