import Foundation
import Testing

/// wa-aggregate as a user runs it: real binary, pipes, a FIFO held open, signals.
@Suite("wa-aggregate end to end")
struct AggregateEndToEndTests {
  static let sample = "examples/webhook.log"
  static let golden = "Tests/Fixtures/aggregate/webhook.snapshot.json"

  /// A snapshot line with its wall-clock `generatedAt` replaced, for golden comparisons.
  static func withoutClock(_ line: String) -> String {
    guard let at = line.range(of: #""generatedAt":""#),
      let end = line[at.upperBound...].firstIndex(of: "\"")
    else { return line }
    return line.replacingCharacters(in: at.upperBound..<end, with: "<generatedAt>")
  }

  static func object(_ line: some StringProtocol) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
  }

  /// One event line (with its newline) for +254712345678 on 2026-03-02 at `time` (HH:MM).
  static func event(_ name: String, at time: String?, _ properties: String) -> String {
    let stamp = time.map { #","timestamp":"2026-03-02T\#($0):00Z""# } ?? ""
    return #"{"type":"track","event":"\#(name)","userId":"+254712345678"\#(stamp),"#
      + #""properties":{\#(properties)},"context":{"channel":"whatsapp"}}"# + "\n"
  }

  static func counts(_ value: Any?) -> [String: Int] {
    (value as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
  }

  @Test func theBundledSampleGivesTheCommittedSnapshot() throws {
    let r = Subprocess.shell(
      "cat '\(Fixtures.path(Self.sample))' | wa-validate --quiet | wa-aggregate", timeout: 120)
    #expect(r.status == 0, "\(r.stderrText)")
    let lines = r.stdoutText.split(separator: "\n")
    try #require(lines.count == 1)
    let snapshot = Self.withoutClock(String(lines[0])) + "\n"
    #expect(
      Fixtures.matchesGolden(Array(snapshot.utf8), Self.golden),
      "the snapshot differs from \(Self.golden) (re-record with WA_RECORD_GOLDEN=1)")
    let truth = try Self.object(
      String(decoding: Fixtures.bytes("examples/webhook.truth.json"), as: UTF8.self))
    let events = try #require(truth["events"] as? Int)
    #expect(
      r.stderrText.contains("wa-aggregate: \(events) lines: \(events) valid, 0 rejected, 0 blank"))
  }

  @Test func theSampleAddsUpToTheGeneratorsTruth() throws {
    let truthData = FileManager.default.contents(
      atPath: Fixtures.path("examples/webhook.truth.json"))
    let truth = try Self.object(String(decoding: truthData ?? Data(), as: UTF8.self))
    let r = Subprocess.run("wa-aggregate", ["--quiet", Fixtures.path(Self.sample)], timeout: 120)
    #expect(r.status == 1, "the sample holds invalid lines on purpose")
    let s = try Self.object(r.stdoutText.split(separator: "\n").last ?? "")
    let input = Self.counts(s["input"])
    for key in ["lines", "blank", "rejected", "events", "duplicates"] {
      #expect(input[key] == truth[key] as? Int, "input.\(key)")
    }
    #expect(
      input["lines"] == (input["blank"] ?? -1) + (input["rejected"] ?? 0) + (input["events"] ?? 0))
    let distinct = Self.counts((truth["distinct"] as? [String: Any])?["byEvent"])
    let messages = Self.counts(s["messages"])
    #expect(messages["received"] == distinct["message.received"])
    #expect(messages["sent"] == distinct["message.sent"])
    #expect(messages["delivered"] == distinct["message.delivered"])
    #expect(messages["read"] == distinct["message.read"])
    #expect(messages["failed"] == distinct["message.failed"])
    #expect(Self.counts(s["conversations"])["resolved"] == distinct["chat.resolved"])
    #expect(Self.counts(s["contacts"])["created"] == distinct["contact.created"])
    #expect(Self.counts(s["users"])["unique"] == truth["users"] as? Int)
    // Persons: a phone number and its BSUID are one (SPEC §5 "Identity").
    #expect(Self.counts(s["users"])["unique"] == truth["persons"] as? Int)
    let byIdentity = (s["users"] as? [String: Any])?["byIdentity"] as? [String: Int]
    #expect(byIdentity == truth["usersByIdentity"] as? [String: Int])
    #expect((byIdentity?["bsuid"] ?? 0) > 0)
    let agents = Set((s["agents"] as? [String: Any] ?? [:]).keys)
    #expect(agents.subtracting(["unassigned"]) == Set(truth["agents"] as? [String] ?? []))
  }

  @Test func snapshotsKeepComingFromAnIdleFIFOAndSIGTERMWritesAFinalOne() throws {
    let fifo = Subprocess.tempPath("fifo")
    try #require(mkfifo(fifo, 0o600) == 0)
    defer { unlink(fifo) }
    let p = Subprocess.start("wa-aggregate", ["--interval", "200ms", fifo], stdout: .pipe)
    // Held open for writing (as `tail -F` holds a pipe), with two events and then nothing.
    let writer = open(fifo, O_WRONLY)
    try #require(writer >= 0)
    defer { close(writer) }
    let events = [
      Self.event("message.received", at: "10:00", #""messageId":"in1","chatId":"c1""#),
      Self.event("message.sent", at: "10:01", #""messageId":"m1","agentId":"a1""#),
    ].joined()
    _ = events.withCString { write(writer, $0, strlen($0)) }
    let started = Date()
    let idle = p.readLines(4, within: 10)
    let elapsed = Date().timeIntervalSince(started)
    #expect(idle.count == 4, "\(idle.count) snapshots while idle")
    #expect(elapsed >= 0.6 && elapsed < 5, "4 snapshots at 200 ms intervals took \(elapsed) s")
    for (i, line) in idle.enumerated() {
      let s = try Self.object(line)
      #expect(s["final"] as? Bool == false && s["seq"] as? Int == i + 1)
    }
    let last = try Self.object(idle.last ?? "")
    #expect(Self.counts(last["input"])["events"] == 2)
    #expect(Self.counts(last["responseTime"])["count"] == 1)
    p.send(SIGTERM)
    let rest = p.readLines(3, within: 5)
    let r = p.wait(timeout: 10, closingStdin: false)
    #expect(r.status == 0 && r.signal == nil)
    let final = try Self.object(try #require(rest.last))
    #expect(final["final"] as? Bool == true)
    #expect(rest.dropLast().allSatisfy { $0.contains(#""final":false"#) })
    #expect(Self.counts(final["input"])["events"] == 2)
  }

  @Test func sigintWritesTheFinalSnapshotThenReRaises() throws {
    let p = Subprocess.start("wa-aggregate", ["--quiet"], stdin: .pipe, stdout: .pipe)
    p.write(Self.event("contact.created", at: nil, #""source":"ad""#) + "not json\n")
    usleep(300_000)
    p.send(SIGINT)
    let lines = p.readLines(1, within: 5)
    let r = p.wait(timeout: 10, closingStdin: false)
    #expect(r.signal == SIGINT)
    let s = try Self.object(try #require(lines.last))
    #expect(s["final"] as? Bool == true && Self.counts(s["contacts"])["created"] == 1)
    #expect(
      Self.counts(s["input"]) == [
        "lines": 2, "events": 1, "blank": 0, "rejected": 1, "foreign": 0, "batches": 0,
        "batchItems": 0, "duplicates": 0, "late": 0, "evicted": 0, "outOfRange": 0,
      ])
  }

  @Test func rejectedLinesGetTheirRecordsAndAreCountedInTheSnapshot() throws {
    let rejects = Subprocess.tempPath("rejects")
    defer { unlink(rejects) }
    let r = Subprocess.run("wa-aggregate", ["--rejects", rejects, Fixtures.path(Self.sample)])
    #expect(r.status == 1)
    let records = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
    let snapshot = try Self.object(r.stdoutText.split(separator: "\n").last ?? "")
    #expect(Self.counts(snapshot["input"])["rejected"] == records.count)
    let truth = try Self.object(
      String(decoding: Fixtures.bytes("examples/webhook.truth.json"), as: UTF8.self))
    #expect(records.count == truth["rejected"] as? Int)
    for record in records {
      let o = try Self.object(record)
      #expect(o["tool"] as? String == "wa-aggregate" && o["errors"] is [Any])
    }
    let (lines, events) = (truth["lines"] as? Int ?? -1, truth["events"] as? Int ?? -1)
    let (rejected, blank) = (truth["rejected"] as? Int ?? -1, truth["blank"] as? Int ?? -1)
    #expect(
      r.stderrText.contains(
        "wa-aggregate: \(lines) lines: \(events) valid, \(rejected) rejected, \(blank) blank"))
  }

  @Test func everyNEventsAndTheExitStatuses() throws {
    let sample = Fixtures.path(Self.sample)
    let r = Subprocess.run("wa-aggregate", ["--every", "1000", "--quiet", "--exit-zero", sample])
    #expect(r.status == 0)
    let lines = r.stdoutText.split(separator: "\n")
    #expect(lines.count == 4)  // after 1000, 2000 and 3000 of 3068 events, and the final one
    #expect(lines.map { $0.contains(#""final":true"#) } == [false, false, false, true])
    #expect(lines.first?.contains(#""events":1000,"#) == true)
    for bad in [["--tz", "Atlantis/Capital"], ["--every", "0"], ["--interval", "fast"]] {
      let u = Subprocess.run("wa-aggregate", bad)
      #expect(u.status == 2 && u.stderrText.contains("--help") && u.stdout.isEmpty, "\(bad)")
    }
    let full = Subprocess.run("wa-aggregate", [sample, "--quiet"], stdout: .path("/dev/full"))
    #expect(full.status == 3)
    let version = Subprocess.run("wa-aggregate", ["--version"])
    #expect(version.stdoutText == "wa-aggregate 1.0.0\n")
  }

  /// A received, a sent and a read event for each new messageId; 3,000 users; one second
  /// apart (so the 7-day horizon evicts nothing: only the size cap bounds the state).
  static func stream(_ count: Int) -> String {
    let path = Subprocess.tempPath("stream.ndjson")
    let formatter = ISO8601DateFormatter()
    var text = ""
    text.reserveCapacity(count * 200)
    let start = 1_772_445_600  // 2026-03-02T10:00:00Z
    let events = ["message.received", "message.sent", "message.read"]
    for i in 0..<count {
      let stamp = formatter.string(from: Date(timeIntervalSince1970: Double(start + i)))
      let user = "+2547\(10_000_000 + i / 3 % 3_000)"
      text += #"{"type":"track","event":"\#(events[i % 3])","userId":"\#(user)","#
      text += #""timestamp":"\#(stamp)","properties":{"messageId":"m\#(i / 3)","chatId":"c"},"#
      text += #""context":{"channel":"whatsapp"}}"# + "\n"
    }
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
  }

  @Test func memoryStaysFlatWhenTheStateIsCapped() throws {
    let small = Self.stream(40_000)
    let large = Self.stream(240_000)
    defer { unlink(small); unlink(large) }
    let args = ["--quiet", "--max-state", "10000"]
    // The timeout only guards against a hang: the debug binary takes about 90 s on the large
    // stream on a loaded 2-core machine, too near the default 120 s.
    let a = Subprocess.runMeasuringMemory("wa-aggregate", args, stdin: .file(small), timeout: 600)
    let b = Subprocess.runMeasuringMemory("wa-aggregate", args, stdin: .file(large), timeout: 600)
    #expect(a.status == 0 && b.status == 0)
    let s = try Self.object(b.stdoutText.split(separator: "\n").last ?? "")
    #expect(Self.counts(s["input"])["events"] == 240_000)
    #expect(Self.counts(s["input"])["evicted"] == 70_000)  // 80,000 messages into 10,000
    // Six times the events, and state capped at 10,000 entries a table: the peak may differ
    // by allocator noise, not by the 200,000 extra messages (~20 MB uncapped).
    #expect(
      b.maxRSSKilobytes - a.maxRSSKilobytes < 4_000 || Subprocess.binariesUseAddressSanitizer,
      "\(a.maxRSSKilobytes) → \(b.maxRSSKilobytes) KB")
  }

  /// A message evicted from the middle of a user's reply list and sent again under its id is
  /// queued at the head and closes a circle (A → X → A). Linking that user to a BSUID with a
  /// list of its own walked the circle for its last entry forever: six lines hung the tool
  /// (regression; the walk is now bounded like every walk of a list).
  @Test func aMessageSentAgainAfterItsEvictionDoesNotHangTheLinkOfItsUser() throws {
    let p = #""userId":"+5511999990000""#
    let b = #""userId":"BR.12345678901234567890""#
    func sent(_ user: String, _ time: String, _ id: String) -> String {
      #"{"type":"track","event":"message.sent",\#(user),"timestamp":"2026-11-10T\#(time)Z","properties":{"messageId":"\#(id)","contentType":"text"},"context":{"channel":"whatsapp"}}"#
    }
    let lines = [
      sent(p, "00:00:00", "wamid.A"),
      sent(p, "00:30:00", "wamid.X"),
      sent(#""userId":"+5511999990001""#, "01:10:00", "wamid.other"),  // evicts A (1 h)
      sent(p, "01:15:00", "wamid.A"),  // A again: A → X → A
      sent(b, "01:16:00", "wamid.B"),
      #"{"type":"track","event":"message.received",\#(p),"timestamp":"2026-11-10T01:17:00Z","properties":{"messageId":"wamid.in","contentType":"text","chatId":"c1"},"context":{"channel":"whatsapp","bsuid":"BR.12345678901234567890"}}"#,
    ]
    for threads in ["1", "2"] {
      let r = Subprocess.run(
        "wa-aggregate", ["--state-horizon", "1h", "--threads", threads],
        stdin: .bytes(Array((lines.joined(separator: "\n") + "\n").utf8)), timeout: 30)
      #expect(r.status == 0, "threads \(threads): killed after 30 s? \(r.signal ?? 0)")
      let s = try Self.object(r.stdoutText.split(separator: "\n").last ?? "")
      #expect(Self.counts(s["input"])["events"] == 6)
      #expect(Self.counts(s["funnel"])["sent"] == 5)
    }
  }
}
