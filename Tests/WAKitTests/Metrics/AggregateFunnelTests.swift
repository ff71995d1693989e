import Testing

@testable import WAKit

/// The Sent → Delivered → Read → Replied funnel and its rates (SPEC §5).
@Suite("wa-aggregate: funnel")
struct AggregateFunnelTests {
  @Test func statusesThatArriveBeforeTheirMessageAreHeldThenApplied() throws {
    let run = try aggregate(
      [
        Ev.status("read", "m1", at: at(10, 2)),
        Ev.status("delivered", "m1", at: at(10, 1)),
        Ev.sent("m1", at: at(10)),
      ], ["--every", "2"])
    #expect(run.snapshots.count == 2)
    let before = run.snapshots[0]
    #expect(before.messages.read == 1 && before.messages.delivered == 1)
    #expect(before.funnel == Snapshot.Funnel())  // held: no sent message yet
    let after = run.final
    #expect(after.funnel.sent == 1 && after.funnel.delivered == 1 && after.funnel.read == 1)
    #expect(after.funnel.replied == 0)
  }

  @Test func readWithoutDeliveredCountsAsDelivered() throws {
    let run = try aggregate([
      Ev.sent("m1", at: at(10)),
      Ev.sent("m2", at: at(10, 1)),
      Ev.status("read", "m1", at: at(10, 5)),
    ])
    let s = run.final
    #expect(s.messages.delivered == 0)
    #expect(s.funnel.sent == 2 && s.funnel.delivered == 1 && s.funnel.read == 1)
    #expect(s.rates.delivery == 0.5 && s.rates.read == 0.5 && s.rates.reply == 0)
  }

  @Test func oneInboundMessageRepliesToEverythingSentSinceThePreviousOne() throws {
    let run = try aggregate([
      Ev.sent("m1", at: at(10)),
      Ev.sent("m2", at: at(10, 10)),
      Ev.received("in1", at: at(10, 20)),  // replies to m1 and m2
      Ev.sent("m3", at: at(10, 30)),
      Ev.received("in2", at: at(10, 40)),  // replies to m3 only
      Ev.received("in3", at: at(10, 45)),  // nothing left to reply to
      Ev.sent("m4", at: at(10, 50)),  // never answered
      Ev.sent("m5", user: Ev.kenya2, at: at(10)),  // another user's inbound does not count
      Ev.received("in4", user: Ev.usa, at: at(10, 55)),
    ])
    let f = run.final.funnel
    #expect(f.sent == 5)
    #expect(f.replied == 3)
    // A reply implies read and delivered, with no status event at all.
    #expect(f.read == 3 && f.delivered == 3)
    #expect(run.final.rates.reply == 0.6)
  }

  @Test func theReplyWindowIncludesItsLastInstantAndNothingAfter() throws {
    let run = try aggregate([
      Ev.sent("m1", at: at(day: 2, 10)),
      Ev.received("in1", at: at(day: 3, 10)),  // exactly 24h later: replied
      Ev.sent("m2", user: Ev.kenya2, at: at(day: 2, 10)),
      Ev.received("in2", user: Ev.kenya2, at: at(day: 3, 10, 0, 1)),  // 24h + 1s: not
    ])
    #expect(run.final.funnel.replied == 1)
    let hour = try aggregate(
      [
        Ev.sent("m1", at: at(10)),
        Ev.received("in1", at: at(11)),
        Ev.sent("m2", user: Ev.kenya2, at: at(10)),
        Ev.received("in2", user: Ev.kenya2, at: at(11, 0, 1)),
      ], ["--reply-window", "1h"])
    #expect(hour.final.funnel.replied == 1)
  }

  @Test func anInboundMessageWithReplyToMarksThatMessageWhateverTheWindow() throws {
    let run = try aggregate([
      Ev.sent("m1", at: at(day: 2, 10)),
      Ev.received("in1", at: at(day: 5, 10), replyTo: "m1"),  // 3 days later
      // Quoting a message whose message.sent has not arrived yet: held until it does.
      Ev.received("in2", user: Ev.kenya2, at: at(day: 5, 11), replyTo: "m9"),
      Ev.sent("m9", user: Ev.kenya2, at: at(day: 1, 9)),
    ])
    #expect(run.final.funnel.sent == 2)
    #expect(run.final.funnel.replied == 2)
  }

  @Test func anInboundMessageThatArrivesBeforeTheSentOneStillRepliesToIt() throws {
    let run = try aggregate([
      Ev.received("in1", at: at(10, 5)),
      Ev.sent("m1", at: at(10)),  // sent at 10:00, logged late
      Ev.sent("m2", at: at(10, 6)),  // after the inbound message: not replied
    ])
    #expect(run.final.funnel.replied == 1)
  }

  @Test func aFailedMessageKeepsItsStageAndCountsAsFailed() throws {
    let run = try aggregate([
      Ev.sent("m1", at: at(10)),
      Ev.status("delivered", "m1", at: at(10, 1)),
      Ev.status("failed", "m1", at: at(10, 2), extra: #","errorCode":131047"#),
      Ev.status("failed", "m2", at: at(10, 3)),
      Ev.sent("m2", at: at(10)),
    ])
    let f = run.final.funnel
    #expect(f.sent == 2 && f.delivered == 1 && f.failed == 2 && f.read == 0)
  }

  @Test func ratesAreNullWhenNothingWasSent() throws {
    let run = try aggregate([Ev.received("in1", at: at(10))])
    #expect(run.final.rates == Snapshot.Rates())
    #expect(run.lines[0].contains(#""rates":{"delivery":null,"read":null,"reply":null}"#))
  }
}
