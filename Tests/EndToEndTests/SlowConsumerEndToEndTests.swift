import Foundation
import Testing

/// A consumer slower than the tool: every byte must still arrive, once and in order, when the
/// pipe is full for most of the run, when the tool is stopped and continued mid-write (a
/// short write, as Ctrl-Z and `fg` cause), when its standard output is non-blocking (`EAGAIN`),
/// and when SIGTERM interrupts a blocked write (`EINTR`; the output then ends at a whole line).
@Suite("slow consumers")
struct SlowConsumerEndToEndTests {
  /// Runs the tool given after the mode with its standard output into a pipe that this
  /// script drains 4 KiB at a time with a 1 ms pause after each read, writes what it read to
  /// its own standard output, and exits with the tool's status (128 + signal if killed).
  /// Modes: `plain`; `nonblocking` (O_NONBLOCK on the pipe's write end); `stop-cont`
  /// (SIGSTOP, then SIGCONT 2 ms later, after every 8 reads); `term` (SIGTERM once 1 MiB +
  /// 48 KiB has been read: with the tool's 1 MiB pipe and 128 KiB writes, that is in the
  /// middle of a write, not between two, so the write returns short).
  static let driver = """
    import os, signal, subprocess, sys, time
    mode, cmd = sys.argv[1], sys.argv[2:]
    r, w = os.pipe()
    if mode == "nonblocking":
        os.set_blocking(w, False)
    p = subprocess.Popen(cmd, stdout=w)
    os.close(w)
    out, reads, sent = bytearray(), 0, False
    deadline = time.monotonic() + 50
    while True:
        b = os.read(r, 4096)
        if not b:
            break
        out += b
        reads += 1
        time.sleep(0.001)
        if mode == "stop-cont" and reads % 8 == 0:
            p.send_signal(signal.SIGSTOP)
            time.sleep(0.002)
            p.send_signal(signal.SIGCONT)
        if mode == "term" and not sent and len(out) >= (1 << 20) + (48 << 10):
            p.send_signal(signal.SIGTERM)
            sent = True
        if time.monotonic() > deadline:
            p.kill()
    status = p.wait()
    sys.stdout.buffer.write(out)
    sys.stdout.flush()
    sys.exit(status if status >= 0 else 128 - status)
    """

  /// The bundled sample four times over (3.4 MB, with rejected and blank lines) and the lines
  /// wa-validate must pass, found without looking at its standard output: every input line
  /// that is neither blank nor named by a rejects record.
  struct Expectation {
    var inputPath: String
    var input: [UInt8]
    var validLines: [ArraySlice<UInt8>]
    var valid: [UInt8] { Array(validLines.joined(separator: [0x0A])) + [0x0A] }

    func remove() { unlink(inputPath) }
  }

  static func expectation() throws -> Expectation {
    let sample = Fixtures.bytes("examples/webhook.log")
    try #require(sample.last == 0x0A && sample.count > 800_000)
    let input = Array([[UInt8]](repeating: sample, count: 4).joined())
    let path = Subprocess.tempPath("slow-input")
    _ = FileManager.default.createFile(atPath: path, contents: Data(input))
    let rejects = Subprocess.tempPath("rejects")
    let summary = Subprocess.tempPath("summary")
    defer { unlink(rejects); unlink(summary) }
    let r = Subprocess.run(
      "wa-validate", ["--rejects", rejects, "--summary-json", summary, path],
      stdout: .path("/dev/null"))
    #expect(r.status == 1)
    var rejected = Set<Int>()
    for record in try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n") {
      let object = try JSONSerialization.jsonObject(with: Data(record.utf8)) as? [String: Any]
      rejected.insert(try #require(object?["line"] as? Int))
    }
    // One \r before the newline is not part of the line (SPEC §1).
    let lines = input.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
      .map { $0.last == 0x0D ? $0.dropLast() : $0 }
    let valid = lines.enumerated().filter { number, line in
      !rejected.contains(number + 1) && !line.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }.map(\.element)
    let s = try decodeSummary(summary)
    #expect(s.lines == lines.count && s.valid == valid.count && s.rejected == rejected.count)
    #expect(s.rejected > 0 && s.blank > 0, "the input should hold rejected and blank lines")
    return Expectation(inputPath: path, input: input, validLines: valid)
  }

  /// Runs `tool` on `input` behind the slow reader in `mode`.
  static func slowly(_ mode: String, _ tool: String, _ args: [String], input: String)
    -> Subprocess.Result
  {
    Subprocess.start(
      "/usr/bin/env",
      ["python3", "-c", driver, mode, Subprocess.binaries + "/" + tool] + args + [input]
    ).wait(timeout: 60)
  }

  @Test(arguments: ["plain", "nonblocking", "stop-cont"])
  func waValidateLosesNothingToASlowConsumer(mode: String) throws {
    let e = try Self.expectation()
    defer { e.remove() }
    let r = Self.slowly(mode, "wa-validate", ["--quiet"], input: e.inputPath)
    #expect(r.status == 1, "\(mode): status \(String(describing: r.status))")
    #expect(r.stdout.count == e.valid.count, "\(mode): \(r.stdout.count) bytes")
    #expect(
      firstDifference(r.stdout, e.valid) == nil, "\(mode): output differs from the valid lines")
    #expect(r.stderrText.contains("lines: \(e.validLines.count) valid"), "\(mode)")
  }

  @Test(arguments: ["plain", "nonblocking", "stop-cont"])
  func waEnrichLosesNothingToASlowConsumer(mode: String) throws {
    let e = try Self.expectation()
    defer { e.remove() }
    // What wa-enrich writes to a regular file, where no write is ever partial.
    let direct = Subprocess.run("wa-enrich", ["--quiet", e.inputPath])
    let enriched = direct.stdout.split(separator: 0x0A)
    #expect(direct.status == 1 && enriched.count == e.validLines.count)
    // Phone numbers get a calling code (BSUIDs and campaigns have none).
    #expect(
      enriched.allSatisfy {
        let line = String(decoding: $0, as: UTF8.self)
        return !line.contains("\"userId\":\"+") || line.contains("\"callingCode\":\"")
      })
    #expect(
      enriched.contains { String(decoding: $0, as: UTF8.self).contains("\"callingCode\":\"") })
    let r = Self.slowly(mode, "wa-enrich", ["--quiet"], input: e.inputPath)
    #expect(r.status == 1, "\(mode): status \(String(describing: r.status))")
    #expect(r.stdout.count == direct.stdout.count, "\(mode): \(r.stdout.count) bytes")
    #expect(firstDifference(r.stdout, direct.stdout) == nil, "\(mode): output differs")
  }

  @Test func sigtermDuringABlockedWriteEndsAtAWholeLineWithNothingLost() throws {
    let e = try Self.expectation()
    defer { e.remove() }
    let summary = Subprocess.tempPath("summary")
    defer { unlink(summary) }
    let r = Self.slowly(
      "term", "wa-validate", ["--quiet", "--summary-json", summary], input: e.inputPath)
    #expect(r.status == 0, "SIGTERM ends with status 0")
    let s = try decodeSummary(summary)
    #expect(s.lines == s.valid + s.rejected + s.blank)
    // It stopped mid-stream, and wrote exactly the valid lines of the lines it had counted:
    // whole lines, none torn, none dropped, none twice.
    #expect(s.valid > 0 && s.valid < e.validLines.count, "stopped after \(s.valid) valid lines")
    let prefix = Array(e.validLines.prefix(s.valid).joined(separator: [0x0A])) + [0x0A]
    #expect(r.stdout.count == prefix.count, "\(r.stdout.count) bytes for \(s.valid) lines")
    #expect(firstDifference(r.stdout, prefix) == nil, "not the first \(s.valid) valid lines")
  }
}

/// The offset of the first byte where `a` and `b` differ (the shorter one's end if one is a
/// prefix of the other), or nil when they are equal; a failure then names where, instead of
/// printing megabytes.
func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int? {
  for i in 0..<min(a.count, b.count) where a[i] != b[i] { return i }
  return a.count == b.count ? nil : min(a.count, b.count)
}
