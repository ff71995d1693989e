import Foundation
import Testing

@testable import WAKit

/// The state file's encoding and its loader (docs/state.md): a loaded state goes on exactly
/// as the saved one would, and damaged or hostile bytes are refused, never trusted.
@Suite("State files")
struct StateFileTests {
  /// The bundled sample's lines (bytes: some are not UTF-8 on purpose).
  static let sample: [[UInt8]] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("examples/webhook.log")
    let bytes = FileManager.default.contents(atPath: url.path).map(Array.init) ?? []
    return bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
  }()

  static let fingerprint = StateFingerprint(AggregateOptions())

  /// Feeds `lines` to `aggregator` as wa-aggregate does (valid events added, others counted).
  static func feed(_ lines: ArraySlice<[UInt8]>, into aggregator: inout Aggregator) {
    let validator = EventValidator()
    for line in lines {
      var bytes = line
      bytes.withUnsafeMutableBytes { raw in
        let line = Line(bytes: UnsafeRawBufferPointer(raw), number: 1, length: raw.count)
        if line.isBlank {
          aggregator.skipped(blank: true)
        } else if validator.validate(line) {
          aggregator.add(validator)
        } else {
          aggregator.skipped(blank: false)
        }
      }
    }
  }

  static func snapshot(_ a: Aggregator) -> String {
    let out = OutputBuffer(fd: FileDescriptor(rawValue: -1), capacity: 1 << 20)
    SnapshotWriter.write(a.metrics, seq: 1, final: true, generatedAt: 0, to: out)
    return String(decoding: out.pendingBytes, as: UTF8.self)
  }

  static func load(
    _ bytes: [UInt8], _ configuration: AggregatorConfiguration = AggregatorConfiguration()
  ) throws(StateError) -> Aggregator {
    var a = Aggregator(configuration)
    var options = AggregateOptions()
    options.aggregator = configuration
    _ = try StateFile.decode(bytes, fingerprint: StateFingerprint(options), into: &a)
    return a
  }

  /// The bytes with their checksum recomputed, as a deliberate forger would.
  static func resealed(_ bytes: [UInt8]) -> [UInt8] {
    var b = bytes
    let n = b.count - 8
    let sum = b.withUnsafeBytes {
      Hash64.hash(UnsafeRawBufferPointer(rebasing: $0[0..<n]), seed: StateFile.checksumSeed)
    }
    withUnsafeBytes(of: sum.littleEndian) { for i in 0..<8 { b[n + i] = $0[i] } }
    return b
  }

  /// `--merge` of shards over different spans: between them they can hold more windows than
  /// one run may (10,000; 6 here), and the merged state held them all, so that every later
  /// load refused it (`corrupt: windows claims 10 entries`). The merge writes the records of
  /// all and saves the newest it may hold.
  @Test func aMergeOfShardsOverDifferentSpansSavesAStateThatLoads() throws {
    var c = AggregatorConfiguration()
    var window = WindowConfiguration(size: .hour, zoneName: "UTC")
    window.maxOpen = 6
    c.window = window
    var options = AggregateOptions()
    options.aggregator = c
    let fingerprint = StateFingerprint(options)
    var early = Aggregator(c)
    var late = Aggregator(c)
    for hour in 0..<5 {
      AggregateMergeTests.fold(
        [Ev.received("a\(hour)", at: at(day: 2, hour))], into: &early)
      AggregateMergeTests.fold(
        [Ev.received("b\(hour)", at: at(day: 2, 10 + hour))], into: &late)
    }
    let whole = Aggregator(c)
    whole.merge(early)
    whole.merge(late)
    #expect(whole.windows.open.count == 10)
    let out = OutputBuffer(fd: FileDescriptor(rawValue: -1), capacity: 1 << 20)
    #expect(AggregateCommand.writeWindows(of: whole, after: 0, to: out) == 10)
    let bytes = AggregateCommand.mergedState(
      whole, seq: 1, windowSeq: 10, fingerprint: fingerprint)
    let loaded = try Self.load(bytes, c)
    let hour: Int64 = 3_600 * EventTime.nanosPerSecond
    let day2 = (try #require(whole.windows.open.last?.start)) - 14 * hour
    #expect(
      loaded.windows.open.map { ($0.start - day2) / hour }
        == [4, 10, 11, 12, 13, 14])
    #expect(loaded.metrics.input.events == 10)
  }

  /// A state written with another `--since` or `--until` is refused naming the instants, as
  /// the user wrote them; the message showed the recorded nanoseconds
  /// (`written with --since 1793664000000000000, this run has --since none`).
  @Test func aStateWithAnotherDateRangeIsRefusedNamingTheInstants() throws {
    var c = AggregatorConfiguration()
    c.since = 1_793_664_000 * EventTime.nanosPerSecond
    var options = AggregateOptions()
    options.aggregator = c
    let bytes = StateFile.encode(Aggregator(c), seq: 1, fingerprint: StateFingerprint(options))
    for (configuration, message) in [
      (
        AggregatorConfiguration(),
        "written with --since 2026-11-03T00:00:00.000Z, this run has --since none"
      ),
      (
        {
          var other = c
          other.until = 1_793_750_400 * EventTime.nanosPerSecond
          return other
        }(),
        "written with --until none, this run has --until 2026-11-04T00:00:00.000Z"
      ),
    ] {
      #expect(throws: StateError.self) { try Self.load(bytes, configuration) }
      do {
        _ = try Self.load(bytes, configuration)
      } catch {
        #expect(error.message == message)
      }
    }
  }

  /// With `--rate-card`, `cost.byCountry` goes on after a restart under one entry per
  /// country: its entries were keyed by the region's raw value while counting but by the
  /// name's hash once loaded, so a resumed run wrote each country twice
  /// (`"KE":0.0123,"KE":0.0456`), duplicate keys in a JSON object, each with part of the sum.
  @Test func costByCountryGoesOnAcrossARestartUnderOneEntryPerCountry() throws {
    var c = AggregatorConfiguration()
    c.rateCard = try RateCard.parse(
      Array("country,category,price,currency\n*,utility,0.01,USD\n*,marketing,0.02,USD\n".utf8),
      name: "card.csv")
    c.window = WindowConfiguration(size: .day, zoneName: "UTC")
    var options = AggregateOptions()
    options.aggregator = c
    let fingerprint = StateFingerprint(options)
    let lines = Self.sample
    var whole = Aggregator(c)
    Self.feed(lines[...], into: &whole)
    #expect(whole.metrics.cost.byCountry.sorted.count > 5 && whole.metrics.cost.total > 0)
    for cut in [lines.count / 3, lines.count * 2 / 3] {
      var first = Aggregator(c)
      Self.feed(lines[..<cut], into: &first)
      var resumed = try Self.load(StateFile.encode(first, seq: 1, fingerprint: fingerprint), c)
      Self.feed(lines[cut...], into: &resumed)
      let names = resumed.metrics.cost.byCountry.sorted.map(\.0)
      #expect(names.count == Set(names).count, "cut \(cut): \(names)")
      #expect(Self.snapshot(resumed) == Self.snapshot(whole), "cut \(cut)")
      for (w, expected) in zip(resumed.windows.open, whole.windows.open) {
        #expect(
          w.metrics.cost.byCountry.sorted.map(\.0)
            == expected.metrics.cost.byCountry.sorted.map(\.0))
      }
    }
  }

  /// A user's reply list is cut past 1,000 waiting messages. Its count included messages
  /// evicted since they were queued, and a loaded state counts its lists anew: so with 100
  /// of 1,000 evicted, the uninterrupted run cut the list at the next message (500 replied)
  /// where the resumed one did not (899 replied). The list is now counted before it is cut.
  @Test func aReplyListWithEvictedMessagesIsCutWhereAResumedRunCutsIt() throws {
    var c = AggregatorConfiguration()
    c.maxState = 900
    var options = AggregateOptions()
    options.aggregator = c
    func line(_ event: String, _ id: String, second: Int) -> [UInt8] {
      let t = 10 * second  // after 2026-03-02T00:00:00Z, within the day
      func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
      let time = "2026-03-02T\(two(t / 3600)):\(two(t / 60 % 60)):\(two(t % 60))Z"
      return Array(
        (#"{"type":"track","event":"\#(event)","userId":"+254712345678","timestamp":"\#(time)","#
          + #""properties":{"messageId":"\#(id)","chatId":"c1"},"context":{"channel":"whatsapp"}}"#)
          .utf8)
    }
    let lines =
      (1...1_001).map { line("message.sent", "wamid.m\($0)", second: $0) }
      + [line("message.received", "wamid.in1", second: 1_003)]
    var whole = Aggregator(c)
    Self.feed(lines[...], into: &whole)
    var first = Aggregator(c)
    Self.feed(lines[..<1_000], into: &first)
    #expect(first.metrics.input.evicted == 100)
    var resumed = try Self.load(
      StateFile.encode(first, seq: 1, fingerprint: StateFingerprint(options)), c)
    Self.feed(lines[1_000...], into: &resumed)
    #expect(whole.metrics.funnel.replied == 899)
    #expect(Self.snapshot(resumed) == Self.snapshot(whole))
  }

  @Test func aLoadedStateGoesOnAsTheSavedOneWould() throws {
    let lines = Self.sample
    try #require(lines.count > 3000)
    for cut in [0, 1, lines.count / 3, lines.count / 2, lines.count - 1] {
      var whole = Aggregator()
      Self.feed(lines[...], into: &whole)
      var first = Aggregator()
      Self.feed(lines[..<cut], into: &first)
      var resumed = try Self.load(StateFile.encode(first, seq: 7, fingerprint: Self.fingerprint))
      #expect(Self.snapshot(resumed) == Self.snapshot(first), "cut \(cut): the loaded state")
      #expect(
        resumed.messages.count + resumed.users.count + resumed.resolutions.count
          == first.messages.count + first.users.count + first.resolutions.count)
      Self.feed(lines[cut...], into: &resumed)
      #expect(Self.snapshot(resumed) == Self.snapshot(whole), "cut \(cut): the resumed run")
    }
  }

  /// The snapshot as wa-aggregate writes it: with the running clocks (waiting, pending SLAs)
  /// and the configured service-desk members.
  static func deskSnapshot(_ a: Aggregator) -> String {
    let out = OutputBuffer(fd: FileDescriptor(rawValue: -1), capacity: 1 << 20)
    SnapshotWriter.write(
      a.snapshotMetrics(), seq: 1, final: true, generatedAt: 0,
      desk: SnapshotWriter.DeskSettings(a.configuration), to: out)
    return String(decoding: out.pendingBytes, as: UTF8.self)
  }

  static func deskConfiguration() throws -> AggregatorConfiguration {
    var c = AggregatorConfiguration()
    c.businessHours = try BusinessHours.parse("Mon-Fri 09:00-17:00; Sat 10:00-14:00", zone: .utc)
    c.sla = SLATargets(
      firstResponse: 15 * 60 * EventTime.nanosPerSecond,
      resolution: 4 * 3_600 * EventTime.nanosPerSecond)
    return c
  }

  /// Issue 18: the service desk's numbers, its conversations (running first-response and
  /// assignment clocks, who replied), the users' conversations and the assigned agents'
  /// names are in the state: a restart at any point ends with the uninterrupted snapshot.
  @Test func theServiceDeskGoesOnAcrossARestart() throws {
    let lines = Self.sample
    let c = try Self.deskConfiguration()
    var options = AggregateOptions()
    options.aggregator = c
    let fingerprint = StateFingerprint(options)
    var whole = Aggregator(c)
    Self.feed(lines[...], into: &whole)
    let m = whole.snapshotMetrics()
    // Numbers that a lost state would change (so this test can fail).
    #expect(m.desk.firstResponseTime.count > 100 && m.desk.assignmentResponseTime.count > 10)
    #expect(m.desk.sla.firstResponse.met > 0 && m.desk.sla.firstResponse.missed > 0)
    #expect(m.desk.handling.handedOff > 0 && m.desk.waiting.now > 0)
    #expect(m.desk.firstResponse.business.count == m.desk.firstResponseTime.count)
    for cut in [1, lines.count / 4, lines.count / 2, lines.count * 3 / 4] {
      var first = Aggregator(c)
      Self.feed(lines[..<cut], into: &first)
      var resumed = try Self.load(StateFile.encode(first, seq: 1, fingerprint: fingerprint), c)
      #expect(resumed.conversations.count == first.conversations.count)
      #expect(resumed.agentNames == first.agentNames)
      #expect(Self.deskSnapshot(resumed) == Self.deskSnapshot(first), "cut \(cut): loaded")
      Self.feed(lines[cut...], into: &resumed)
      #expect(Self.deskSnapshot(resumed) == Self.deskSnapshot(whole), "cut \(cut): resumed")
    }
  }

  /// Within the state horizon (here the sample's whole span: it covers more than 7 days).
  /// Issue 17: a phone number linked to its BSUID before a save stays linked after a restart,
  /// and the persons first seen under a BSUID stay counted as such (`users.byIdentity`).
  @Test func aLinkedPhoneAndBSUIDStayOnePersonAcrossARestart() throws {
    let phone = "+254712345678"
    let bsuid = "KE.13491208655302741918"
    let lines = [
      Ev.received("in0", user: "BR.1502576394655843", at: at(9)),
      Ev.received("in1", user: phone, at: at(10), context: #","bsuid":"\#(bsuid)""#),
      Ev.sent("out1", user: phone, at: at(10, 1)),
      // After the restart: under the BSUID alone, the same person.
      Ev.received("in2", user: bsuid, at: at(10, 5)),
      Ev.contact(user: bsuid, at: at(10, 6)),
    ].map { Array($0.utf8) }
    var whole = Aggregator()
    Self.feed(lines[...], into: &whole)
    var first = Aggregator()
    Self.feed(lines[..<3], into: &first)
    var resumed = try Self.load(StateFile.encode(first, seq: 1, fingerprint: Self.fingerprint))
    Self.feed(lines[3...], into: &resumed)
    #expect(whole.metrics.users.estimate == 2 && whole.metrics.bsuidUsers.estimate == 1)
    #expect(resumed.metrics.users.estimate == whole.metrics.users.estimate)
    #expect(resumed.metrics.bsuidUsers.estimate == whole.metrics.bsuidUsers.estimate)
    #expect(resumed.metrics.funnel.replied == whole.metrics.funnel.replied)
    #expect(Self.snapshot(resumed) == Self.snapshot(whole))
  }

  @Test func replayingTheStreamAddsOnlyDuplicates() throws {
    var long = AggregatorConfiguration()
    long.stateHorizon = AggregateOptions.maxDuration
    var options = AggregateOptions()
    options.aggregator = long
    var first = Aggregator(long)
    Self.feed(Self.sample[...], into: &first)
    let saved = StateFile.encode(first, seq: 1, fingerprint: StateFingerprint(options))
    var again = try Self.load(saved, long)
    Self.feed(Self.sample[...], into: &again)
    var expected = first.metrics.input
    let events = first.metrics.input.events
    expected.lines *= 2
    expected.events *= 2
    expected.blank *= 2
    expected.rejected *= 2
    expected.duplicates += events
    #expect(again.metrics.input == expected)
  }

  @Test func aLengthClaimingTwoToTheSixtyIsRefusedBeforeAnyAllocation() throws {
    var a = Aggregator()
    Self.feed(Self.sample[..<200], into: &a)
    let good = StateFile.encode(a, seq: 1, fingerprint: Self.fingerprint)
    // The entry count of the message table: right after its tag and section length.
    let tag = Array("TMSG".utf8)
    let at = try #require(
      (0..<good.count - 4).first { good[$0..<$0 + 4].elementsEqual(tag) })
    var forged = good
    withUnsafeBytes(of: (UInt64(1) << 60).littleEndian) {
      for i in 0..<8 { forged[at + 12 + i] = $0[i] }
    }
    #expect(throws: StateError.self) { try Self.load(Self.resealed(forged)) }
    do {
      _ = try Self.load(Self.resealed(forged))
    } catch {
      #expect(error.message.contains("claims 1152921504606846976 entries"), "\(error.message)")
    }
  }

  @Test func forgedStatesWithAValidChecksumNeverCrashTheLoader() throws {
    var a = Aggregator()
    Self.feed(Self.sample[...], into: &a)
    let good = StateFile.encode(a, seq: 1, fingerprint: Self.fingerprint)
    var rng = SystemRandomNumberGenerator()
    var refused = 0
    for _ in 0..<300 {
      var b = good
      for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let at = Int.random(in: 24..<b.count - 8, using: &rng)
        b[at] = UInt8.random(in: 0...255, using: &rng)
      }
      do {
        var loaded = try Self.load(Self.resealed(b))
        // Whatever loaded must keep working.
        Self.feed(Self.sample[..<40], into: &loaded)
        _ = Self.snapshot(loaded)
      } catch {
        refused += 1
      }
    }
    #expect(refused > 0)
  }

  @Test func theTextFormRoundTrips() throws {
    var a = Aggregator()
    Self.feed(Self.sample[..<500], into: &a)
    let bytes = StateFile.encode(a, seq: 3, fingerprint: Self.fingerprint)
    let out = OutputBuffer(fd: FileDescriptor(rawValue: -1), capacity: 1 << 22)
    StateText.write(bytes, to: out)
    StateText.write(bytes, to: out)
    let text = Array(out.pendingBytes)
    #expect(text.starts(with: Array("wa-state ".utf8)))
    let decoded = try StateText.decode(text)
    #expect(decoded == bytes + bytes)
    var bad = text
    bad[20] = 0x21
    #expect(throws: StateError.badText(line: 1)) {
      try StateText.decode(bad)
    }
  }

  /// SPEC §9 lists `--foreign` among the options that change results (foreign lines are
  /// rejected or counted as foreign): a state of one mode is refused by the other. A file
  /// written before the option was recorded records none and is accepted under either.
  @Test func theForeignModeIsRecordedAndAFileWithoutItIsAccepted() throws {
    var skip = AggregateOptions()
    skip.filter.foreign = .skip
    #expect(throws: StateError.optionsDiffer(option: "foreign", file: "skip", run: "reject")) {
      try Self.fingerprint.check(StateFingerprint(skip))
    }
    #expect(throws: StateError.optionsDiffer(option: "foreign", file: "reject", run: "skip")) {
      try StateFingerprint(skip).check(Self.fingerprint)
    }
    var older = StateFingerprint(skip)
    older.entries.removeAll { $0.name == "foreign" }
    try StateFingerprint(skip).check(older)
    try Self.fingerprint.check(older)
    // Any other option missing from a file is still refused, named.
    var noTz = Self.fingerprint
    noTz.entries.removeAll { $0.name == "tz" }
    #expect(throws: StateError.optionsDiffer(option: "tz", file: "(not recorded)", run: "UTC")) {
      try Self.fingerprint.check(noTz)
    }
  }

  @Test func otherOptionsAreNamed() throws {
    var options = AggregateOptions()
    options.zoneName = "Africa/Nairobi"
    options.aggregator.replyWindow = 2 * 3_600 * EventTime.nanosPerSecond
    let theirs = StateFingerprint(options)
    #expect(throws: StateError.optionsDiffer(option: "tz", file: "Africa/Nairobi", run: "UTC")) {
      try Self.fingerprint.check(theirs)
    }
    options.zoneName = "UTC"
    #expect(throws: StateError.optionsDiffer(option: "reply-window", file: "2h", run: "1d")) {
      try Self.fingerprint.check(StateFingerprint(options))
    }
    // The service desk's options change results too.
    let desk = try Self.deskConfiguration()
    var deskOptions = AggregateOptions()
    deskOptions.aggregator = desk
    #expect(
      throws: StateError.optionsDiffer(
        option: "business-hours", file: "none",
        run: "mon 09:00-17:00; tue 09:00-17:00; wed 09:00-17:00; thu 09:00-17:00; "
          + "fri 09:00-17:00; sat 10:00-14:00; holidays 0 cbf29ce484222325")
    ) {
      try StateFingerprint(deskOptions).check(Self.fingerprint)
    }
    deskOptions.aggregator.businessHours = nil
    #expect(
      throws: StateError.optionsDiffer(option: "sla-first-response", file: "none", run: "15m")
    ) {
      try StateFingerprint(deskOptions).check(Self.fingerprint)
    }
  }
}
