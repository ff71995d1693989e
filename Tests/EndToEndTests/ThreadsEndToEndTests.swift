import Foundation
import Testing

/// `wa-aggregate --threads 2` (validation on one thread, the fold and the outputs on another,
/// batches of 4,096 records between them) against `--threads 1`: byte for byte the same
/// output, diagnostics and exit status, on the sample and on generated streams, across batch
/// boundaries, with state files, and through the ways a run ends (a closed pipe, SIGTERM).
@Suite("wa-aggregate --threads 2 against --threads 1")
struct ThreadsEndToEndTests {
  /// Every `"generatedAt":"…"` (snapshots and window records: the wall clock) masked.
  static func masked(_ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes, as: UTF8.self)
    return text.replacingOccurrences(
      of: #""generatedAt":"[^"]*""#, with: #""generatedAt":"-""#, options: .regularExpression)
  }

  /// A generated stream (scripts/watools/gen_events.py).
  static func generate(_ args: String) throws -> String {
    let log = Subprocess.tempPath("events.ndjson")
    let script = Fixtures.path("scripts/watools/gen_events.py")
    let r = Subprocess.shell("python3 '\(script)' \(args) --out '\(log)'", timeout: 120)
    try #require(r.status == 0, "gen_events failed: \(r.stderrText)")
    return log
  }

  /// Runs both modes on the same input and expects the same stdout (clock masked), stderr and
  /// exit status; returns the one-thread run's stdout, for the caller to check it is not empty.
  @discardableResult
  static func expectSame(
    _ args: [String], stdin: Subprocess.Input = .bytes([]), _ comment: Comment? = nil
  ) -> String {
    // Debug builds with AddressSanitizer on a loaded machine take minutes per run; a run cut
    // off by the timeout would differ only by where it was killed, so that is said instead.
    let timeout: Double = Subprocess.binariesUseAddressSanitizer ? 900 : 180
    let one = Subprocess.run(
      "wa-aggregate", ["--threads", "1"] + args, stdin: stdin, timeout: timeout)
    let two = Subprocess.run(
      "wa-aggregate", ["--threads", "2"] + args, stdin: stdin, timeout: timeout)
    guard one.signal != SIGKILL && two.signal != SIGKILL else {
      Issue.record("killed after the \(Int(timeout)) s timeout: \(args)")
      return ""
    }
    let (a, b) = (masked(one.stdout), masked(two.stdout))
    #expect(a == b, "stdout differs: \(args) \(comment.map { "\($0)" } ?? "")")
    if a != b {
      let (x, y) = (a.split(separator: "\n"), b.split(separator: "\n"))
      let i = (0..<min(x.count, y.count)).first { x[$0] != y[$0] } ?? min(x.count, y.count)
      Issue.record("first differing line: \(i + 1) of \(x.count) and \(y.count)")
    }
    #expect(one.stderrText == two.stderrText, "stderr differs: \(args)")
    #expect(one.status == two.status && one.signal == two.signal, "status differs: \(args)")
    return a
  }

  @Test func theSampleWithEveryOccasionOfOutput() throws {
    let sample = Fixtures.path("examples/webhook.log")
    let rates = Fixtures.path("examples/rate-card.csv")
    for extra in [
      [], ["--every", "7"], ["--every", "7", "--window", "1d", "--emit", "conversations"],
      [
        "--every", "100", "--window", "1h", "--business-hours", "Mon-Fri 09:00-17:00",
        "--sla", "first-response=15m,resolution=24h", "--rate-card", rates,
      ],
    ] {
      let out = Self.expectSame(extra + [sample])
      #expect(out.split(separator: "\n").count >= (extra.isEmpty ? 1 : 3))
    }
    // On standard input too (read in chunks, possibly idle between them).
    Self.expectSame(["--every", "7"], stdin: .file(sample))
  }

  @Test(arguments: [
    "--events 9000 --seed 11 --days 3 --desk --assign-rate 0.3 --campaigns",
    "--events 9000 --seed 12 --days 2 --bsuid-share 0.3 --both-share 0.2 --pricing-rate 0.6",
    "--events 9000 --seed 13 --days 2 --batch-share 0.4 --foreign-share 0.1 "
      + "--invalid-rate 0.05 --duplicate-rate 0.1 --blank-rate 0.02",
    "--events 9000 --seed 14 --days 1 --desk --assign-rate 0.5 --campaigns --bsuid-share 0.2 "
      + "--batch-share 0.3 --foreign-share 0.05 --invalid-rate 0.02 --pricing-rate 0.3",
  ])
  func generatedStreams(_ generator: String) throws {
    let log = try Self.generate(generator)
    defer { unlink(log) }
    let rates = Fixtures.path("examples/rate-card.csv")
    for extra in [
      ["--every", "7", "--window", "1d", "--emit", "conversations", "--foreign", "skip"],
      [
        "--every", "4096", "--window", "1h", "--sla", "first-response=15m,resolution=24h",
        "--business-hours", "Mon-Fri 09:00-17:00", "--rate-card", rates, "--tz",
        "Africa/Nairobi",
      ],
      ["--max-state", "500", "--state-horizon", "6h", "--every", "999"],
    ] {
      let out = Self.expectSame(extra + [log], "\(generator)")
      #expect(out.split(separator: "\n").count > 5)
    }
  }

  /// Exactly 1, 4,095, 4,096 and 4,097 events (one batch holds 4,096 records), each with
  /// `--every 7` (snapshots inside batches) and with a rejected line at the end.
  @Test(arguments: [1, 4095, 4096, 4097, 8192, 8193])
  func batchBoundaries(_ events: Int) throws {
    let log = AggregateEndToEndTests.stream(events)
    defer { unlink(log) }
    let out = Self.expectSame(["--every", "7", log])
    #expect(out.split(separator: "\n").count == events / 7 + 1)
    #expect(out.contains(#""events":\#(events),"#))
    var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: log)))
    bytes += Array("not json\n\n".utf8)
    Self.expectSame(["--every", "7", "--quiet"], stdin: .bytes(bytes))
  }

  /// `--state`: saved by either mode, the same file; resumed by either, the same output; and
  /// `--merge` of either state the same snapshot.
  @Test func stateFilesSaveAndResumeTheSame() throws {
    let log = try Self.generate(
      "--events 9000 --seed 21 --days 2 --desk --assign-rate 0.3 --batch-share 0.2 "
        + "--invalid-rate 0.02")
    defer { unlink(log) }
    // Split at a line boundary near the middle (the stream holds invalid UTF-8 on purpose).
    let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: log)))
    let cut = try #require(bytes[(bytes.count / 2)...].firstIndex(of: 0x0A)) + 1
    let (first, second) = (Array(bytes[..<cut]), Array(bytes[cut...]))
    var states: [String] = []
    var outputs: [String] = []
    for threads in ["1", "2"] {
      let state = Subprocess.tempPath("state-\(threads)")
      defer { Subprocess.remove(state, state + ".lock") }
      let args = ["--threads", threads, "--quiet", "--window", "1d", "--state", state]
      let a = Subprocess.run("wa-aggregate", args, stdin: .bytes(first))
      #expect(a.status == 1, "\(a.stderrText)")
      let b = Subprocess.run("wa-aggregate", args, stdin: .bytes(second))
      #expect(b.status == 1, "\(b.stderrText)")
      outputs.append(Self.masked(a.stdout) + Self.masked(b.stdout))
      let merged = Subprocess.run("wa-aggregate", ["--merge", "--window", "1d", state])
      #expect(merged.status == 0)
      outputs.append(Self.masked(merged.stdout))
      states.append((try? String(contentsOfFile: state, encoding: .isoLatin1)) ?? "")
    }
    #expect(outputs[0] == outputs[2] && outputs[1] == outputs[3])
    #expect(states[0] == states[1] && !states[0].isEmpty, "the state files differ")
    #expect(outputs[1].contains(#""final":true"#))
  }

  /// A closed pipe (`| head -n 3`) stops both modes quietly, with the same status, and
  /// without a hang (the folding thread fails to write; the reading thread must stop).
  @Test func aClosedPipeEndsBothTheSame() throws {
    let log = AggregateEndToEndTests.stream(30_000)
    defer { unlink(log) }
    for threads in ["1", "2"] {
      let r = Subprocess.shell(
        "wa-aggregate --threads \(threads) --every 1 '\(log)' | head -n 3 >/dev/null; "
          + "echo \"status=${PIPESTATUS[0]}\"", timeout: 60)
      #expect(r.stdoutText == "status=0\n", "--threads \(threads): \(r.stdoutText)")
      #expect(r.stderrText.isEmpty, "--threads \(threads): \(r.stderrText)")
    }
    let full = Subprocess.run(
      "wa-aggregate", ["--threads", "2", "--every", "100", log], stdout: .path("/dev/full"))
    #expect(full.status == 3 && full.stderrText.contains("wa-aggregate:"))
  }

  /// Complete lines from a pipe, as they come (a snapshot may arrive in several reads).
  final class LineCollector {
    let fd: Int32
    var pending: [UInt8] = []

    init(_ fd: Int32) { self.fd = fd }

    /// The next complete line, or nil after `seconds` without one (or at end of file).
    func next(within seconds: Double) -> String? {
      let deadline = Date().addingTimeInterval(seconds)
      var buf = [UInt8](repeating: 0, count: 65536)
      while true {
        if let nl = pending.firstIndex(of: 0x0A) {
          let line = String(decoding: pending[..<nl], as: UTF8.self)
          pending.removeSubrange(...nl)
          return line
        }
        let left = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
        if left == 0 { return nil }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, left) > 0 else { return nil }
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 65536) }
        if n <= 0 { return nil }
        pending += buf[0..<n]
      }
    }
  }

  /// SIGTERM while input is held open: everything read is folded, the final snapshot and the
  /// state are written, status 0 — in both modes, with the same numbers.
  @Test func sigtermMidStreamSavesTheStateInBothModes() throws {
    let log = AggregateEndToEndTests.stream(9_000)
    defer { unlink(log) }
    let bytes = try Data(contentsOf: URL(fileURLWithPath: log))
    var finals: [String] = []
    for threads in ["1", "2"] {
      let state = Subprocess.tempPath("state-\(threads)")
      defer { Subprocess.remove(state, state + ".lock") }
      let p = Subprocess.start(
        "wa-aggregate", ["--threads", threads, "--interval", "100ms", "--state", state],
        stdin: .pipe, stdout: .pipe)
      // Written from another thread: the tool's snapshots must be read meanwhile.
      let writer = p.stdinWriter
      let done = DispatchSemaphore(value: 0)
      Thread {
        bytes.withUnsafeBytes { raw in
          var off = 0
          while off < raw.count {
            let n = write(writer, raw.baseAddress! + off, raw.count - off)
            if n <= 0 { break }
            off += n
          }
        }
        done.signal()
      }.start()
      let lines = LineCollector(p.stdoutReader)
      // Idle after the input (the pipe stays open): interval snapshots come until one holds
      // all 9,000 events.
      var seen = false
      while !seen, let line = lines.next(within: 30) {
        seen = line.contains(#""events":9000,"#)
      }
      done.wait()
      #expect(seen, "--threads \(threads): no snapshot with all 9,000 events while idle")
      p.send(SIGTERM)
      var final: String? = nil
      while final == nil, let line = lines.next(within: 10) {
        if line.contains(#""final":true"#) { final = line }
      }
      let r = p.wait(timeout: 10, closingStdin: true)
      #expect(r.status == 0 && r.signal == nil, "--threads \(threads)")
      let snapshot = try #require(final).replacingOccurrences(
        of: #""(generatedAt|seq)":("[^"]*"|[0-9]+)"#, with: "", options: .regularExpression)
      finals.append(snapshot)
      let merged = Subprocess.run("wa-aggregate", ["--merge", state])
      #expect(merged.stdoutText.contains(#""events":9000,"#), "--threads \(threads): state")
    }
    #expect(finals.count == 2 && finals[0] == finals[1])
    #expect(finals.first?.contains(#""events":9000,"#) == true)
  }

  @Test func theFlagTakesOneTwoOrAuto() {
    for good in ["1", "2", "auto"] {
      let r = Subprocess.run("wa-aggregate", ["--threads", good, "--quiet"])
      #expect(r.status == 0 && r.stdoutText.contains(#""final":true"#), "\(good)")
    }
    for bad in ["0", "3", "two", ""] {
      let r = Subprocess.run("wa-aggregate", ["--threads", bad])
      #expect(r.status == 2 && r.stderrText.contains("--threads"), "\(bad)")
    }
  }
}
