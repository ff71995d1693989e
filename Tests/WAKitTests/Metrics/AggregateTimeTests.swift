import Testing

@testable import WAKit

/// Event time, `--tz` buckets and `late` (SPEC §5).
@Suite("wa-aggregate: time")
struct AggregateTimeTests {
  /// Validates `line` and asks a fresh-or-given aggregator which time it gives the event.
  func eventTime(_ line: String, in aggregator: inout Aggregator) -> Int64? {
    let validator = EventValidator()
    var bytes = Array(line.utf8)
    return bytes.withUnsafeMutableBytes { raw -> Int64? in
      let l = Line(bytes: .init(raw), number: 1, length: raw.count)
      guard validator.validate(l) else { return nil }
      return aggregator.add(validator)
    }
  }

  static func nanos(_ text: String) -> Int64 {
    var t = text
    let ts = t.withUTF8 { RFC3339.parse(UnsafeRawBufferPointer($0)) }
    return ts.map(EventTime.nanos) ?? -1
  }

  @Test func eventTimeIsTimestampThenReceivedAtThenTheStreamThenTheWallClock() {
    var config = AggregatorConfiguration()
    config.wallClock = { 42 }
    var a = Aggregator(config)
    // Nothing seen yet and no time of its own: the wall clock.
    #expect(eventTime(Ev.status("read", "m0"), in: &a) == 42)
    #expect(a.metrics.firstEventTime == nil)
    #expect(eventTime(Ev.sent("m1", at: at(10)), in: &a) == Self.nanos(at(10)))
    let withReceivedAt = Ev.status("read", "m1", top: #","receivedAt":"\#(at(10, 30))""#)
    #expect(eventTime(withReceivedAt, in: &a) == Self.nanos(at(10, 30)))
    // A status without timestamp takes the stream's latest time, not the last line's.
    #expect(eventTime(Ev.sent("m2", at: at(9)), in: &a) == Self.nanos(at(9)))
    #expect(eventTime(Ev.status("delivered", "m2"), in: &a) == Self.nanos(at(10, 30)))
    // timestamp wins over receivedAt.
    let both = Ev.status("read", "m2", at: at(11), top: #","receivedAt":"\#(at(12))""#)
    #expect(eventTime(both, in: &a) == Self.nanos(at(11)))
    #expect(a.metrics.firstEventTime == Self.nanos(at(9)))
    #expect(a.metrics.lastEventTime == Self.nanos(at(11)))
  }

  @Test func aStatusWithoutTimestampTakesTheStreamsTimeAndIsNeverLate() throws {
    let run = try aggregate(
      [
        Ev.sent("m1", at: at(10)),
        Ev.received("in0", user: Ev.kenya2, at: at(10, 1)),  // the stream's clock: 10:01
        // Two hours on, a second event agrees: the clock jumps, m1 is past the horizon.
        Ev.received("in1", user: Ev.kenya2, at: at(12)),
        Ev.received("in2", user: Ev.kenya2, at: at(12)),
        Ev.status("read", "m1"),  // takes 12:00: not late
        Ev.status("read", "m2", at: at(10, 30)),  // 90 minutes behind: late
        // Two resolutions without timestamp at the same stream time are one (chatId + time).
        Ev.resolved("c1", at: nil, messages: 2, minutes: 3),
        Ev.resolved("c1", at: nil, messages: 2, minutes: 3),
      ], ["--state-horizon", "1h"])
    let s = run.final
    #expect(s.input.late == 1)
    #expect(s.input.evicted >= 1)
    #expect(s.conversations.resolved == 1 && s.input.duplicates == 1)
    // m1 was evicted before its read arrived: the read is counted, the funnel cannot see it.
    #expect(s.messages.read == 2 && s.funnel.read == 0 && s.funnel.sent == 1)
    #expect(s.lastEventTime == "2026-03-02T12:00:00.000Z")
    #expect(s.firstEventTime == "2026-03-02T10:00:00.000Z")
  }

  @Test func aLoneFarFutureTimestampNeitherEvictsTheStateNorMakesLaterEventsLate() throws {
    let run = try aggregate([
      Ev.sent("m1", at: at(10)),
      Ev.received("in1", user: Ev.kenya2, at: at(10, 1)),
      Ev.received("bad", user: Ev.kenya2, at: "2090-01-01T00:00:00Z"),  // a wrong clock
      Ev.status("read", "m1"),  // no time of its own: the stream's, 10:01, not 2090
      Ev.status("delivered", "m1", at: at(10, 5)),
      Ev.sent("m1", at: at(10)),  // re-sent webhook: its state is still there
    ])
    let s = run.final
    #expect(s.input.evicted == 0 && s.input.late == 0)
    #expect(s.input.duplicates == 1 && s.messages.sent == 1)
    #expect(s.funnel.sent == 1 && s.funnel.delivered == 1 && s.funnel.read == 1)
    #expect(s.volumeByHour.received[10] == 1 && s.volumeByHour.received[0] == 1)
    // The outlier is still reported where a user looks for the stream's span.
    #expect(s.lastEventTime == "2090-01-01T00:00:00.000Z")
  }

  @Test func aStreamThatStartsWithAWrongClockKeepsItsStateAndIsNotLate() throws {
    let run = try aggregate([
      Ev.received("bad", at: "2090-01-01T00:00:00Z"),
      Ev.sent("m1", at: at(10)),
      Ev.sent("m2", at: at(10, 1)),
      Ev.status("read", "m1", at: at(10, 2)),
      Ev.sent("m1", at: at(10)),
    ])
    let s = run.final
    #expect(s.input.evicted == 0 && s.input.late == 0 && s.input.duplicates == 1)
    #expect(s.funnel.sent == 2 && s.funnel.read == 1)
  }

  @Test func aGapLongerThanTheHorizonMovesTheClockOnceASecondEventAgrees() throws {
    var config = AggregatorConfiguration()
    config.stateHorizon = 3_600 * EventTime.nanosPerSecond
    var a = Aggregator(config)
    _ = eventTime(Ev.sent("m1", at: at(10)), in: &a)
    #expect(a.latest == nil && a.pending == Self.nanos(at(10)))
    // An untimed event before the clock is set takes the held time, not the wall clock.
    #expect(eventTime(Ev.status("delivered", "m1"), in: &a) == Self.nanos(at(10)))
    _ = eventTime(Ev.sent("m2", at: at(10, 30)), in: &a)
    #expect(a.latest == Self.nanos(at(10, 30)) && a.pending == nil)
    // Three hours later: held, nothing evicted yet.
    _ = eventTime(Ev.received("in1", at: at(13, 30)), in: &a)
    #expect(a.latest == Self.nanos(at(10, 30)) && a.metrics.input.evicted == 0)
    // An event in step with the clock drops the held time.
    _ = eventTime(Ev.sent("m3", at: at(10, 40)), in: &a)
    #expect(a.pending == nil)
    // The gap again, now confirmed by the next event (an hour apart at most, either way).
    _ = eventTime(Ev.received("in2", at: at(13, 30)), in: &a)
    _ = eventTime(Ev.received("in3", at: at(13, 0)), in: &a)
    #expect(a.latest == Self.nanos(at(13, 30)) && a.pending == nil)
    #expect(a.metrics.input.evicted > 0 && a.metrics.input.late == 0)
    // From here an event two hours behind is late.
    _ = eventTime(Ev.status("read", "m2", at: at(11)), in: &a)
    #expect(a.metrics.input.late == 1)
  }

  @Test func aTimeZoneDayThatCrossesADaylightSavingChangeUsesLocalHours() throws {
    // New York springs forward on Sunday 2026-03-08 at 02:00 EST (07:00Z): 02:xx never
    // happens that day, and the offset goes from −5 h to −4 h.
    let run = try aggregate(
      [
        Ev.received("a", at: "2026-03-08T04:59:59Z"),  // Sat 23:59 EST
        Ev.received("b", at: "2026-03-08T06:30:00Z"),  // Sun 01:30 EST
        Ev.received("c", at: "2026-03-08T07:30:00Z"),  // Sun 03:30 EDT
        Ev.received("d", at: "2026-03-09T03:30:00Z"),  // Sun 23:30 EDT
        Ev.sent("e", at: "2026-03-08T12:00:00Z"),  // Sun 08:00 EDT
      ], ["--tz", "America/New_York"])
    let h = run.final.heatmap.received
    #expect(h[5][23] == 1)
    #expect(h[6][1] == 1 && h[6][2] == 0 && h[6][3] == 1 && h[6][23] == 1)
    #expect(run.final.heatmap.sent[6][8] == 1)
    #expect(run.final.volumeByHour.received[1] == 1 && run.final.volumeByHour.received[23] == 2)
    // Berlin falls back on Sunday 2026-10-25: 02:30 local happens twice, once per offset.
    let berlin = try aggregate(
      [
        Ev.received("a", at: "2026-10-25T00:30:00Z"),  // 02:30 CEST (+2)
        Ev.received("b", at: "2026-10-25T01:30:00Z"),  // 02:30 CET (+1)
        Ev.received("c", at: "2026-10-25T02:30:00Z"),  // 03:30 CET
      ], ["--tz", "Europe/Berlin"])
    #expect(berlin.final.heatmap.received[6][2] == 2 && berlin.final.heatmap.received[6][3] == 1)
  }

  @Test func hoursAreUTCByDefaultAndAFixedOffsetShiftsThem() throws {
    let events = [Ev.received("a", at: at(day: 2, 22, 30))]  // Monday 22:30Z
    let utc = try aggregate(events)
    #expect(utc.final.heatmap.received[0][22] == 1)
    let plus3 = try aggregate(events, ["--tz", "+03:00"])
    #expect(plus3.final.heatmap.received[1][1] == 1)  // Tuesday 01:30
    let minus = try aggregate(events, ["--tz", "-09:30"])
    #expect(minus.final.heatmap.received[0][13] == 1)  // Monday 13:00
  }

  @Test func theLocalClockCacheAgreesWithTheZoneAcrossAWholeYear() throws {
    let zone = try ZoneRule.parse("Europe/Berlin")
    var clock = LocalClock(zone: zone)
    let start: Int64 = 1_767_225_600  // 2026-01-01T00:00Z
    var t = start
    while t < start + 366 * 86_400 {
      let local = t + Int64(zone.offset(atEpochSeconds: t))
      let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
      let expected = Int(((day + 3) % 7 + 7) % 7) * 24 + Int((local - day * 86_400) / 3_600)
      #expect(clock.cell(t * EventTime.nanosPerSecond) == expected)
      if clock.cell(t * EventTime.nanosPerSecond) != expected { break }
      t += 1_777  // not a divisor of an hour: visits every minute of the hour over time
    }
  }
}
