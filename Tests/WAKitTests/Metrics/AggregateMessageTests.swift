import Testing

@testable import WAKit

/// `messages` and the duplicate keys (SPEC §5), on hand-computed scenarios.
@Suite("wa-aggregate: messages and duplicates")
struct AggregateMessageTests {
  @Test func sentMessagesSplitByAgentAutomationTemplateAndContentType() throws {
    let run = try aggregate([
      Ev.received("in1", at: at(10), type: "text"),
      Ev.received("in2", user: Ev.kenya2, at: at(10, 1), type: "image"),
      Ev.received("in3", at: at(10, 2), type: nil),
      Ev.sent("out1", at: at(10, 5), agent: "agent_1"),
      Ev.sent(
        "out2", at: at(10, 6), agent: "bot", automated: true, template: "t1", type: "template"),
      Ev.sent("out3", at: at(10, 7), type: nil),
      Ev.sent("out4", at: at(10, 8), agent: "agent_2", automated: false, template: "t2", type: nil),
    ])
    let m = run.final.messages
    #expect(m.received == 3)
    #expect(m.sent == 4)
    #expect(m.sentByAgent == 2)  // out1, out4: agentId and not automated
    #expect(m.sentAutomated == 2)  // out2 (automated), out3 (no agent)
    #expect(m.sentTemplate == 2)
    #expect(Snapshot.map(m.receivedByContentType) == ["image": 1, "text": 1, "unspecified": 1])
    #expect(Snapshot.map(m.sentByContentType) == ["template": 1, "text": 1, "unspecified": 2])
    #expect(run.final.agent("agent_1")?.messagesSent == 1)
    #expect(run.final.agent("agent_2")?.messagesSent == 1)
    #expect(run.final.agent("bot") == nil)
  }

  /// Ids are keyed by their decoded bytes: an escaped spelling is the same message or
  /// conversation. The fold hashes each id once per event (`Aggregator.keys`); this holds
  /// the escaped path (decoded through the scratch buffer) to the plain one.
  @Test func anEscapedIdIsTheSameKeyAsItsPlainSpelling() throws {
    let chat = "chat_\(Ev.kenya)"
    let run = try aggregate([
      Ev.received("in1", at: at(10)),
      Ev.sent("out1", at: at(10, 1), agent: "agent_1"),
      Ev.status("delivered", #"out\u0031"#, at: at(10, 2)),
      Ev.status("read", #"\u006fut1"#, at: at(10, 3)),
      Ev.sent(#"o\u0075t1"#, at: at(10, 4), agent: "agent_1"),
      Ev.received(#"in\u0031"#, at: at(10, 5)),
      Ev.resolved(#"chat\u005f"# + Ev.kenya, at: at(10, 30), messages: 2, minutes: 30),
    ])
    let s = run.final
    #expect(s.messages.sent == 1 && s.messages.received == 1)
    #expect(s.messages.delivered == 1 && s.messages.read == 1)
    #expect(s.funnel.sent == 1 && s.funnel.delivered == 1 && s.funnel.read == 1)
    #expect(s.input.duplicates == 2)
    #expect(s.handling?.noReply == 0, "the resolution found \(chat)'s conversation")
  }

  @Test func failedMessagesCountOnceEachByErrorCode() throws {
    let run = try aggregate([
      Ev.sent("m1", at: at(9)),
      Ev.status("failed", "m1", at: at(9, 1), extra: #","errorCode":131047"#),
      Ev.status("failed", "m2", at: at(9, 2), extra: #","errorCode":131047"#),
      Ev.status("failed", "m3", at: at(9, 3)),
      Ev.status("failed", "m4", at: at(9, 4), extra: #","errorCode":131026.0"#),
      Ev.status("failed", "m1", at: at(9, 5), extra: #","errorCode":131047"#),
    ])
    let s = run.final
    #expect(s.messages.failed == 4)
    #expect(
      Snapshot.map(s.messages.failedByCode) == ["131026": 1, "131047": 2, "unspecified": 1])
    #expect(s.input.duplicates == 1)
    #expect(s.funnel.failed == 1)  // only m1 was sent
    #expect(s.funnel.sent == 1)
  }

  @Test func statusEventsCountOncePerMessage() throws {
    let run = try aggregate([
      Ev.status("delivered", "m1", at: at(9)),
      Ev.status("delivered", "m1", at: at(9, 0, 1)),
      Ev.status("read", "m1", at: at(9, 1)),
      Ev.status("read", "m2", at: at(9, 2)),
    ])
    #expect(run.final.messages.delivered == 1)
    #expect(run.final.messages.read == 2)
    #expect(run.final.input.duplicates == 1)
    #expect(run.final.input.events == 4)
  }

  @Test func duplicatesAreCountedOnceByTheirSpecKeys() throws {
    let run = try aggregate([
      Ev.received("in1", at: at(10)),
      Ev.received("in1", at: at(10)),  // event + messageId
      Ev.sent("in1", at: at(10, 1)),  // same id, other event: not a duplicate
      Ev.sent("out1", at: at(10, 2)),
      Ev.sent("out1", at: at(10, 3)),  // a retry with another time is still the same message
      Ev.resolved("c1", at: at(11), messages: 3, minutes: 5),
      Ev.resolved("c1", at: at(11), messages: 3, minutes: 5),  // chatId + event time
      Ev.resolved("c1", at: at(12), messages: 4, minutes: 6),  // reopened and resolved again
      Ev.contact(at: at(9), source: "ad"),
      Ev.contact(at: at(9, 30), source: "ad"),  // userId
    ])
    let s = run.final
    #expect(s.messages.received == 1)
    #expect(s.messages.sent == 2)
    #expect(s.conversations.resolved == 2)
    #expect(s.contacts.created == 1)
    #expect(s.input.duplicates == 4)
    #expect(s.input.events == 10)
    #expect(s.funnel.sent == 2)
    #expect(s.volumeByHour.sent[10] == 2)
  }

  @Test func uniqueUsersCountEveryEventsUserOnce() throws {
    let run = try aggregate([
      Ev.received("in1", at: at(10)),
      Ev.received("in2", at: at(10, 1)),
      Ev.sent("out1", user: Ev.usa, at: at(10, 2)),
      Ev.status("read", "out9", user: Ev.kenya2, at: at(10, 3)),
      Ev.contact(user: Ev.freephone, at: at(10, 4)),
    ])
    #expect(run.final.uniqueUsers == 4)
  }
}
