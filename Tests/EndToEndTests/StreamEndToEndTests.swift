import Foundation
import Testing

/// Stream behaviour shared by every tool, checked where the tool's own suite does not: terminal
/// safety of standard error, idle flushing, signals, `/dev/full` and a closed pipe.
@Suite("stream behaviour of every tool")
struct StreamEndToEndTests {
  static let line =
    #"{"type":"track","event":"contact.created","userId":"+254712345678","properties":{"countryCode":"KE"},"context":{"channel":"whatsapp"}}"#

  /// Whether a terminal would show `bytes` as text: valid UTF-8, and no C0 control but the
  /// newline, no DEL, no C1 control (U+0080–U+009F), no line or paragraph separator, no
  /// bidirectional control (SPEC §8).
  static func isTerminalSafe(_ bytes: [UInt8]) -> Bool {
    guard let text = String(validating: bytes, as: UTF8.self) else { return false }
    return text.unicodeScalars.allSatisfy { s in
      switch s.value {
      case 0x0A: true
      case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0x061C, 0x200E, 0x200F, 0x202A...0x202E,
        0x2066...0x2069:
        false
      default: true
      }
    }
  }

  @Test func theTerminalSafetyCheckCatchesEveryClass() {
    #expect(Self.isTerminalSafe(Array("plain é € 😀 \\u001B\n".utf8)))
    for hostile in [
      "\u{1B}[2J", "\u{7}", "\r", "\u{7F}", "\u{9B}", "\u{2028}", "\u{202E}", "\u{2066}",
    ] {
      #expect(!Self.isTerminalSafe(Array(hostile.utf8)), "\(hostile.unicodeScalars.first!.value)")
    }
    #expect(!Self.isTerminalSafe([0x61, 0xFF]) && !Self.isTerminalSafe([0xC0, 0x80]))
  }

  /// Lines carrying every class of hostile character, raw and as JSON escapes (decoded into
  /// paths and messages), in a file whose name carries some too.
  static func hostileInput() -> String {
    var bytes: [UInt8] = []
    // Raw: ESC sequences, BEL, BS, CR mid-line, NUL, DEL, C1 CSI, U+2028, RLO, LRI, ALM,
    // and bytes that are not UTF-8.
    bytes += Array("{\"type\":\"tr\u{1B}[31mack\u{7F}\u{9B}\u{2028}\u{202E}\u{2066}\u{61C}".utf8)
    bytes += [0xFF, 0xC0, 0x80, 0x00, 0x07, 0x08, 0x0D] + Array("z\"}\n".utf8)
    bytes += Array("\u{1B}]0;title\u{7}\n".utf8)
    // Escaped: decoded into the JSON path of a duplicate key, and into checked values.
    bytes += Array(#"{"\u001b[2J":1,"\u001b[2J":2}"#.utf8) + [0x0A]
    bytes +=
      Array(
        #"{"type":"\u001b[31m\u009b\u2028\u202e","event":"\u001b]0;x\u0007","userId":"+1\u001b","timestamp":"\u009b","properties":{"messageId":"\u202e"},"context":{"channel":"\u2029","countryCode":"\u001bK"}}"#
          .utf8) + [0x0A]
    let path = Subprocess.tempPath("evil-\u{1B}[2J-\u{9B}-\u{202E}.ndjson")
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
  }

  @Test(arguments: ["wa-validate", "wa-enrich", "wa-aggregate", "wa-convert", "wa-report"])
  func standardErrorIsTerminalSafe(tool: String) throws {
    let path = Self.hostileInput()
    defer { unlink(path) }
    let r = Subprocess.run(tool, [path])
    #expect(r.status == 1)
    // Every line was reported, naming the file, with the hostile bytes escaped.
    #expect(r.stderrText.contains("-\\u001B[2J-\\u009B-\\u202E.ndjson:4:"), "\(r.stderrText)")
    #expect(r.stderrText.contains("\\u001B"))
    #expect(Self.isTerminalSafe(r.stderr), "\(tool) wrote a raw control character to stderr")
  }

  @Test func waEnrichWritesALineFromAnIdlePipeAtOnce() throws {
    let p = Subprocess.start("wa-enrich", stdin: .pipe, stdout: .pipe)
    p.write(Self.line + "\n")
    let enriched = Self.line.dropLast(2) + #","countryCode":"KE","callingCode":"254"}}"#
    #expect(p.readLines(1, within: 10) == [String(enriched)])
    p.write(Self.line + "\n")
    #expect(p.readLines(1, within: 10) == [String(enriched)])
    #expect(p.wait().status == 0)
  }

  @Test(arguments: [SIGTERM, SIGINT])
  func waEnrichEndsCleanlyOnASignal(signal: Int32) throws {
    let p = Subprocess.start("wa-enrich", stdin: .pipe, stdout: .pipe)
    p.write(Self.line + "\n{}\n")
    #expect(p.waitForStderr(containing: "<stdin>:2:", within: 10))
    p.send(signal)
    let out = p.readLines(1, within: 10)
    let r = p.wait(timeout: 10, closingStdin: false)
    if signal == SIGTERM {
      #expect(r.status == 0 && r.signal == nil)
    } else {
      #expect(r.signal == SIGINT, "SIGINT is re-raised")
    }
    #expect(out.count == 1 && out.first?.hasSuffix(#""callingCode":"254"}}"#) == true)
    #expect(r.stderrText.contains("wa-enrich: 2 lines: 1 valid, 1 rejected"))
  }

  @Test(arguments: ["wa-enrich", "wa-aggregate"])
  func writeFailureIsStatus3WithAMessage(tool: String) throws {
    let r = Subprocess.run(
      tool, ["--quiet", Fixtures.path("examples/webhook.log")], stdout: .path("/dev/full"))
    #expect(r.status == 3)
    #expect(r.stderrText.contains("\(tool): write failed: No space left on device (ENOSPC)"))
  }

  /// `--help` and `--version` that cannot be written were status 3 without a word: the
  /// failed write is reported as any other (found 2026-12-07).
  @Test(arguments: ["wa-validate", "wa-enrich", "wa-aggregate", "wa-convert", "wa-report"])
  func helpAndVersionThatCannotBeWrittenAreStatus3WithAMessage(tool: String) throws {
    for flag in ["--help", "--version"] {
      let r = Subprocess.run(tool, [flag], stdout: .path("/dev/full"))
      #expect(r.status == 3, "\(tool) \(flag)")
      #expect(
        r.stderrText.contains("\(tool): write failed: No space left on device (ENOSPC)"),
        "\(tool) \(flag): \(r.stderrText)")
    }
  }

  @Test func waAggregateEndsQuietlyWhenItsReaderGoesAway() throws {
    // `yes` never ends and --every 1 writes a snapshot per event: if wa-aggregate did not
    // stop on EPIPE this would hang until the timeout.
    let r = Subprocess.shell(
      "yes '\(Self.line)' | wa-aggregate --every 1 2>/tmp/wa-e2e-agg-$$.err | head -c 100; "
        + "s=${PIPESTATUS[1]}; cat /tmp/wa-e2e-agg-$$.err >&2; rm -f /tmp/wa-e2e-agg-$$.err; exit $s",
      timeout: 30)
    #expect(r.status == 0)
    #expect(r.stdoutText.hasPrefix(#"{"kind":"wa.snapshot","version":2,"seq":1,"final":false"#))
    #expect(r.stderr.isEmpty, "\(r.stderrText)")
  }
}
