import Foundation
import Testing

@testable import WAKit

/// The snapshot line (SPEC §5, version 1) and when the sink writes one.
@Suite("wa-aggregate: snapshots")
struct AggregateSnapshotTests {
  /// An output buffer on a temporary file, and a way to read back what was flushed.
  final class Capture {
    let path = NSTemporaryDirectory() + "wa-snap-\(getpid())-\(UUID().uuidString.prefix(8))"
    let fd: Int32
    let out: OutputBuffer
    init() {
      fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
      out = OutputBuffer(fd: FileDescriptor(rawValue: fd))
    }
    deinit {
      close(fd)
      unlink(path)
    }
    /// The lines flushed so far (nothing buffered is seen: every snapshot must be flushed).
    var lines: [String] {
      ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
        .map(String.init)
    }
  }

  /// A monotonic clock the test moves by hand.
  final class FakeClock: @unchecked Sendable {
    var now: Int64 = 1_000_000_000
  }

  static func number(_ v: Double) -> String {
    let c = Capture()
    JSONLineWriter.writeNumber(v, to: c.out)
    c.out.flush()
    return (try? String(contentsOfFile: c.path, encoding: .utf8)) ?? ""
  }

  @Test func numbersAreIntegersOrUpToThreeDecimalsWithoutExponent() {
    #expect(Self.number(300) == "300")
    #expect(Self.number(0.5) == "0.5")
    #expect(Self.number(2.0 / 3.0) == "0.667")
    #expect(Self.number(7.3333333) == "7.333")
    #expect(Self.number(0.0004) == "0")
    #expect(Self.number(-0.0) == "0")
    #expect(Self.number(-1.25) == "-1.25")
    #expect(Self.number(1e-7) == "0")
    #expect(Self.number(123_456_789_012.0625) == "123456789012.063")
    #expect(Self.number(.nan) == "null" && Self.number(.infinity) == "null")
  }

  @Test func anEmptySnapshotHasEveryFieldInSpecOrderWithNulls() throws {
    let c = Capture()
    SnapshotWriter.write(AggregateMetrics(), seq: 1, final: false, generatedAt: 0, to: c.out)
    c.out.flush()
    let line = try #require(c.lines.first)
    #expect(line.hasPrefix(#"{"kind":"wa.snapshot","version":2,"seq":1,"final":false,"#))
    #expect(line.contains(#""generatedAt":"1970-01-01T00:00:00.000Z","#))
    #expect(line.contains(#""eventTime":{"first":null,"last":null}"#))
    let order = [
      "kind", "version", "seq", "final", "generatedAt", "eventTime", "input", "messages",
      "funnel", "rates", "responseTime", "agentResponseTime", "firstResponseTime",
      "agentFirstResponseTime", "assignmentResponseTime", "waiting", "handling", "volumeByHour",
      "heatmap",
      "countries", "agents", "conversations", "contacts", "users",
    ]
    let positions = order.map { key in line.range(of: "\"\(key)\":")?.lowerBound }
    #expect(positions.allSatisfy { $0 != nil })
    #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    #expect(line.contains(#""responseTime":{"count":0,"meanSeconds":null,"p50Seconds":null,"#))
    #expect(
      line.hasSuffix(
        #""contacts":{"created":0,"bySource":{}},"users":{"unique":0,"byIdentity":{"phone":0,"bsuid":0}}}"#
      ))
    let s = try decodeSnapshot(line)
    #expect(s.heatmap.received.count == 7 && s.volumeByHour.sent.count == 24)
  }

  @Test func mapsAreSortedByKeyBytes() throws {
    let run = try aggregate([
      Ev.sent("m1", at: at(10), agent: "zed"),
      Ev.sent("m2", at: at(10), agent: "Zed"),
      Ev.sent("m3", at: at(10), agent: "alice"),
      Ev.sent("m4", user: Ev.usa, at: at(10), type: "video"),
      Ev.sent("m5", at: at(10), type: "audio"),
    ])
    #expect(run.final.agents.map(\.id) == ["Zed", "alice", "zed"])
    #expect(run.final.messages.sentByContentType.map(\.key) == ["audio", "text", "video"])
    #expect(run.final.countries.map(\.code) == ["KE", "US"])
  }

  @Test func labelsFromTheInputAreEscapedInTheSnapshot() throws {
    let run = try aggregate([Ev.sent("m1", at: at(10), agent: #"a\"b\u2028c"#)])
    #expect(run.lines[0].contains(#""a\"b\u2028c":{"messagesSent":1"#))
    #expect(run.final.agent("a\"b\u{2028}c")?.messagesSent == 1)
  }

  @Test func everyNEventsWritesASnapshotAndTheEndAFinalOne() throws {
    let events = (0..<5).map { Ev.sent("m\($0)", at: at(10, $0)) }
    let run = try aggregate(events, ["--every", "2"])
    #expect(run.snapshots.map(\.seq) == [1, 2, 3])
    #expect(run.snapshots.map(\.isFinal) == [false, false, true])
    #expect(run.snapshots.map(\.input.events) == [2, 4, 5])
    let once = try aggregate(events)
    #expect(once.snapshots.count == 1 && once.final.isFinal && once.final.messages.sent == 5)
  }

  @Test func anEmptyInputStillGetsItsFinalSnapshot() throws {
    let run = try aggregate(bytes: [])
    #expect(run.snapshots.count == 1 && run.final.isFinal && run.final.input.lines == 0)
    #expect(run.final.firstEventTime == nil && run.final.lastEventTime == nil)
  }

  @Test func intervalSnapshotsFollowTheMonotonicClockAndAreFlushedAtOnce() throws {
    let c = Capture()
    let clock = FakeClock()
    let second: Int64 = 1_000_000_000
    var sink = AggregateSink(
      out: c.out, aggregator: Aggregator(), interval: 2 * second, monotonic: { clock.now })
    #expect(sink.idleTimeout() == 2_000)
    clock.now += second / 2 + 1
    #expect(sink.idleTimeout() == 1_500)  // rounded up to whole milliseconds
    #expect(sink.timerFired() == .proceed && c.lines.isEmpty)
    clock.now += 3 * second / 2
    #expect(sink.idleTimeout() == 0)
    #expect(sink.timerFired() == .proceed)
    #expect(c.lines.count == 1)  // written and flushed, with no flush() from the reader
    // A long chunk: 5 s pass; one snapshot, and the schedule skips the missed ticks.
    clock.now += 5 * second
    #expect(sink.chunkProcessed() == .proceed)
    #expect(sink.chunkProcessed() == .proceed)
    #expect(c.lines.count == 2)
    #expect(sink.idleTimeout() == 1_000)
    sink.finish(interrupted: true)
    let last = try decodeSnapshot(try #require(c.lines.last))
    #expect(c.lines.count == 3 && last.isFinal && last.seq == 3)
  }

  /// Two threads: once the folding thread's output has failed, the idle reader waits no
  /// more, though the folder has caught up with every batch (so nothing else would wake it):
  /// with `--interval 1h`, `… | wa-aggregate --every 1 --interval 1h | head -n 1` could run an
  /// hour after `head` ended, when the folder finished the last batch before the reader
  /// asked how long to wait (`LiveStreamRegressionTests` caught it under load).
  @Test func aFailedOutputEndsTheIdleWaitOfTheReadingThread() {
    let c = Capture()
    let clock = FakeClock()
    let hour: Int64 = 3_600_000_000_000
    let sink = AggregateSink(
      out: c.out, aggregator: Aggregator(), interval: hour, monotonic: { clock.now })
    let pipeline = AggregatePipeline(sink: sink, monotonic: { clock.now })
    #expect(pipeline.idleTimeout() == 3_600_000)
    pipeline.ring.failed.store(true, ordering: .sequentiallyConsistent)
    let ring = pipeline.ring
    #expect(ring.tail.load(ordering: .relaxed) == ring.head.load(ordering: .relaxed))
    #expect(pipeline.idleTimeout() == 0)
    #expect(pipeline.tick() == .stop)
  }

  @Test func withoutAnIntervalTheReaderMayWaitForEver() {
    let c = Capture()
    var sink = AggregateSink(out: c.out, aggregator: Aggregator(), every: 10)
    #expect(sink.idleTimeout() == -1)
    #expect(sink.timerFired() == .proceed && sink.chunkProcessed() == .proceed)
    #expect(c.lines.isEmpty)
  }

  @Test func generatedAtIsTheWallClockWithMilliseconds() throws {
    var config = AggregatorConfiguration()
    config.wallClock = { 1_764_064_800_123_456_789 }
    let c = Capture()
    var sink = AggregateSink(out: c.out, aggregator: Aggregator(config))
    sink.writeSnapshot(final: false)
    #expect(
      try decodeSnapshot(try #require(c.lines.first)).generatedAt == "2025-11-25T10:00:00.123Z")
  }
}
