import Foundation
import Testing

@testable import WAKit

/// Every aggregate is a mergeable partial: shards partitioned by `userId` merge into the
/// metrics of the whole stream.
@Suite("wa-aggregate: merging partials")
struct AggregateMergeTests {
  /// Feeds lines straight into an aggregator, as the sink does.
  static func fold(_ lines: [String], into a: inout Aggregator) {
    let validator = EventValidator()
    for text in lines {
      var bytes = Array(text.utf8)
      bytes.withUnsafeMutableBytes { raw in
        let line = Line(bytes: .init(raw), number: 1, length: raw.count)
        if line.isBlank {
          a.skipped(blank: true)
        } else if validator.validate(line) {
          a.add(validator)
        } else {
          a.skipped(blank: false)
        }
      }
    }
  }

  /// The snapshot line of `metrics`, with a fixed `generatedAt`.
  static func render(_ metrics: AggregateMetrics) -> String {
    let path = NSTemporaryDirectory() + "wa-merge-\(getpid())-\(UUID().uuidString.prefix(8))"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let out = OutputBuffer(fd: FileDescriptor(rawValue: fd))
    SnapshotWriter.write(metrics, seq: 1, final: true, generatedAt: 0, to: out)
    out.flush()
    close(fd)
    defer { unlink(path) }
    return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
  }

  @Test func shardsPartitionedByUserMergeIntoTheWholeStream() throws {
    let (base, statuses) = AggregateInvariantTests.stream(seed: 21, count: 400)
    var lines = AggregateInvariantTests.interleave(base, statuses, seed: 5)
    lines += ["", "not json"]
    var whole = Aggregator()
    Self.fold(lines, into: &whole)
    var shards = [Aggregator(), Aggregator()]
    for line in lines {
      // Users +254712000000 … +254712000050: the tens digit, even or odd, picks the shard.
      let even = ["00", "20", "40"].contains { line.contains("+2547120000\($0)\"") }
      Self.fold([line], into: &shards[even ? 0 : 1])
    }
    #expect(shards[0].metrics.input.events > 50 && shards[1].metrics.input.events > 50)
    var merged = shards[0].metrics
    merged.merge(shards[1].metrics)
    let expected = Self.render(whole.metrics)
    #expect(expected.contains(#""replied":"#))
    #expect(Self.render(merged) == expected)
  }

  @Test func distributionsMergeExactlyWhileSmallAndThroughTheSketchBeyond() {
    var a = Distribution()
    var b = Distribution()
    for v in 1...10 { a.add(Double(v)) }
    for v in 11...20 { b.add(Double(v)) }
    var ab = a
    ab.merge(b)
    #expect(ab.isExact && ab.count == 20 && ab.sum == 210 && ab.maximum == 20)
    #expect(ab.quantile(0.5) == 10 && ab.quantile(0.9) == 18)
    var big = Distribution()
    for v in 1...Distribution.defaultExactLimit { big.add(Double(v)) }
    big.merge(ab)
    #expect(!big.isExact && big.count == Distribution.defaultExactLimit + 20)
    // 1…20 twice and 21…2048: rank 1034 is 1014.
    #expect(near(big.quantile(0.5), 1014))
  }

  @Test func labelsPastTheCapAreCountedUnderOther() {
    var l = LabelCounts(limit: 2)
    for name in ["a", "b", "c", "a", "d"] { l.add(hash: Hash64.hash(name)) { name } }
    #expect(l.sorted.map(\.0) == ["(other)", "a", "b"] && l.sorted.map(\.1) == [2, 2, 1])
    var agent = AgentStats()
    for v in 1...300 { agent.responseTime.add(Double(v)) }
    #expect(!agent.responseTime.isExact && near(agent.responseTime.quantile(0.5), 150))
  }

  @Test func labelsTakingTurnsAreCountedEachUnderItsOwnName() {
    // 200 labels share the 16 entries of the recent-label cache, in a seeded random order.
    var rng = SeededGenerator(seed: 16)
    var labels = LabelCounts()
    var reference: [String: Int] = [:]
    for _ in 0..<20_000 {
      let name = "label\(rng.next() % 200)"
      labels.add(hash: Hash64.hash(name)) { name }
      reference[name, default: 0] += 1
    }
    #expect(labels.sorted.count == reference.count)
    for (name, count) in labels.sorted { #expect(reference[name] == count, "\(name)") }
  }

  @Test func labelCountsMergeByLabel() {
    var a = LabelCounts()
    var b = LabelCounts()
    a.add(hash: Hash64.hash("text")) { "text" }
    b.add(hash: Hash64.hash("image"), count: 2) { "image" }
    b.add(hash: Hash64.hash("text"), count: 3) { "text" }
    a.merge(b)
    #expect(a.sorted.map(\.0) == ["image", "text"] && a.sorted.map(\.1) == [2, 4])
  }

  @Test func countriesAndAgentsMergeTheirRows() {
    var a = CountryTable()
    var b = CountryTable()
    a.stats[a.index(RegionCode(rawValue: 0x4B45))].received = 2  // KE
    b.stats[b.index(RegionCode(rawValue: 0x4B45))].received = 3
    b.stats[b.index(RegionCode(rawValue: 0x5553))].sent = 1  // US
    a.merge(b)
    #expect(a.sorted.map(\.0) == ["KE", "US"] && a.sorted.map(\.1.received) == [5, 0])
    var x = AgentTable()
    var y = AgentTable()
    x.stats[x.index(hash: Hash64.hash("a1")) { "a1" }].messagesSent = 1
    y.stats[y.index(hash: Hash64.hash("a1")) { "a1" }].messagesSent = 2
    y.stats[y.index(hash: Hash64.hash("a0")) { "a0" }].chatsResolved = 1
    x.merge(y)
    #expect(x.sorted.map(\.0) == ["a0", "a1"] && x.sorted.map(\.1.messagesSent) == [0, 3])
  }

  /// Sixty shards split by user, each user with a conversation of a few messages.
  static func shards(_ configuration: AggregatorConfiguration) -> [Aggregator] {
    (0..<60).map { shard in
      var a = Aggregator(configuration)
      for k in 0..<3 {
        let user = "+2547123\(String(10_000 + shard * 10 + k))"
        let id = "s\(shard)u\(k)"
        fold(
          [
            Ev.received("\(id)in", user: user, at: at(day: 10, k, shard % 60)),
            Ev.sent(
              "\(id)out", user: user, at: at(day: 10, k, shard % 60, 30), agent: "agent_\(k)"),
            Ev.status("read", "\(id)out", user: user, at: at(day: 10, k + 1)),
          ], into: &a)
      }
      return a
    }
  }

  /// `--merge` of N shards: uniting the tables sorts them and walks every reply list, and
  /// done after each shard it made the merge cost N times the size of the union (1,000
  /// shards of one stream took 60 times as long as 10 shards of it). The shards' entries
  /// now wait and are united once, or whenever a table's worth waits; the merged state is
  /// the same, byte for byte.
  @Test func manyShardsAreUnitedOnceNotOncePerShard() {
    for maxState in [1_000_000, 40] {
      var configuration = AggregatorConfiguration()
      configuration.maxState = maxState
      configuration.sla.firstResponse = 60 * EventTime.nanosPerSecond
      let fingerprint = StateFingerprint(AggregateOptions())
      let oneByOne = Aggregator(configuration)
      for shard in Self.shards(configuration) { oneByOne.merge(shard) }
      let whole = Aggregator(configuration)
      var waiting = MergedEntries()
      var unitings = 0
      for shard in Self.shards(configuration) {
        let before = waiting.largest
        whole.merge(shard, into: &waiting)
        if waiting.largest <= before { unitings += 1 }
        #expect(waiting.largest <= maxState + 9, "entries waiting: \(waiting.largest)")
      }
      whole.unite(&waiting)
      // Each shard has 3 users, 6 messages and 3 conversations: with a cap of 40 the tables
      // are united whenever more than 40 messages wait, every 7th shard.
      #expect(unitings == (maxState == 40 ? 8 : 0), "max-state \(maxState)")
      #expect(whole.users.count == min(180, maxState) && whole.messages.count == min(360, maxState))
      #expect(whole.metrics.input.evicted == (maxState == 40 ? 140 + 320 + 140 : 0))
      #expect(
        StateFile.encode(whole, seq: 1, fingerprint: fingerprint)
          == StateFile.encode(oneByOne, seq: 1, fingerprint: fingerprint), "max-state \(maxState)")
      #expect(Self.render(whole.snapshotMetrics()) == Self.render(oneByOne.snapshotMetrics()))
    }
  }
}
