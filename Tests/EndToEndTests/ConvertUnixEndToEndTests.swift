import Foundation
import Testing

/// wa-convert behaves like the other filters (SPEC §8): files or stdin, flushing on idle
/// input, a closed pipe, write errors, signals, `--help`, `--version`, usage errors.
@Suite("wa-convert as a Unix filter")
struct ConvertUnixEndToEndTests {
  static let body =
    #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"#
    + #""messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","#
    + #""phone_number_id":"106540352242922"},"statuses":[{"id":"wamid.S1","status":"read","#
    + #""timestamp":"1750030200","recipient_id":"16505551234"}]},"field":"messages"}]}]}"#

  @Test func helpVersionAndUsageErrors() throws {
    let help = Subprocess.run("wa-convert", ["--help"])
    #expect(help.status == 0 && help.stdoutText.contains("usage: wa-convert"))
    #expect(help.stdoutText.contains("| wa-validate | wa-aggregate") && help.stderr.isEmpty)
    for flag in [
      "--rejects FILE", "--quiet", "--exit-zero", "--summary-json FILE", "--max-line-bytes N",
      "--no-sent", "--include-reactions",
    ] {
      #expect(help.stdoutText.contains(flag), "\(flag)")
    }
    let version = Subprocess.run("wa-convert", ["--version"])
    #expect(version.status == 0 && version.stdoutText == "wa-convert 1.0.0\n")
    for args in [["--strict"], ["--no-such-flag"], ["--rejects"], ["--max-line-bytes", "0"]] {
      let r = Subprocess.run("wa-convert", args)
      #expect(r.status == 2 && r.stderrText.contains("--help"), "\(args)")
    }
  }

  @Test func filesInOrderDashIsStdinAndUnreadableInputIsStatus3() throws {
    let reference = Fixtures.path("Tests/Fixtures/convert/reference.log")
    let r = Subprocess.run(
      "wa-convert", ["/no/such/meta.log", "-", reference],
      stdin: .bytes(Array((Self.body + "\n").utf8)))
    #expect(r.status == 3)
    #expect(r.stderrText.contains("cannot open /no/such/meta.log: No such file or directory"))
    let lines = r.stdoutText.split(separator: "\n")
    #expect(lines.first?.contains(#""messageId":"wamid.S1""#) == true)
    #expect(r.stderrText.contains("24 lines: 24 bodies, 0 rejected, 0 blank"))
    #expect(r.stderrText.contains("1 input(s) could not be read"))
  }

  @Test func skippedItemsNeverChangeTheExitStatusAndFlagsChangeTheMapping() throws {
    let reference = Fixtures.path("Tests/Fixtures/convert/reference.log")
    let plain = Subprocess.run("wa-convert", [reference])
    let noSent = Subprocess.run("wa-convert", ["--no-sent", reference])
    let reactions = Subprocess.run("wa-convert", ["--include-reactions", reference])
    #expect(plain.status == 0 && noSent.status == 0 && reactions.status == 0)
    #expect(!noSent.stdoutText.contains(#""event":"message.sent""#))
    #expect(noSent.stderrText.contains("status_sent 4"))
    #expect(plain.stdoutText.contains(#""event":"message.sent""#))
    #expect(reactions.stdoutText.contains(#""contentType":"reaction""#))
    #expect(!plain.stdoutText.contains(#""contentType":"reaction""#))
  }

  @Test func writeFailureIsStatus3WithAMessage() throws {
    let r = Subprocess.run(
      "wa-convert", [Fixtures.path("Tests/Fixtures/convert/reference.log")],
      stdout: .path("/dev/full"))
    #expect(r.status == 3)
    #expect(r.stderrText.contains("write failed: No space left on device (ENOSPC)"))
  }

  @Test func closedPipeEndsQuietlyOnAnEndlessStream() throws {
    let r = Subprocess.shell(
      "yes '\(Self.body)' | wa-convert 2>/tmp/wa-e2e-conv-$$.err | head -1; "
        + "s=${PIPESTATUS[1]}; cat /tmp/wa-e2e-conv-$$.err >&2; rm -f /tmp/wa-e2e-conv-$$.err; "
        + "exit $s",
      timeout: 30)
    #expect(r.status == 0)
    #expect(r.stdoutText.hasPrefix(#"{"type":"track","event":"message.read""#))
    #expect(r.stderr.isEmpty)
  }

  @Test func aBodyWrittenIntoAnIdlePipeComesOutAtOnce() throws {
    let p = Subprocess.start("wa-convert", stdin: .pipe, stdout: .pipe)
    p.write(Self.body + "\n")
    let first = p.readLines(1, within: 10)
    #expect(first.count == 1 && first.first?.contains("message.read") == true)
    p.write(Self.body.replacingOccurrences(of: "wamid.S1", with: "wamid.S2") + "\n")
    #expect(p.readLines(1, within: 10).first?.contains("wamid.S2") == true)
    #expect(p.wait().status == 0)
  }

  @Test func sigtermEndsCleanlyWithStatus0AndSigintReRaises() throws {
    for (sig, status, signal) in [(SIGTERM, Int32(0), Int32?.none), (SIGINT, nil, SIGINT)] {
      let p = Subprocess.start("wa-convert", stdin: .pipe, stdout: .pipe)
      p.write("{}\n")
      #expect(p.waitForStderr(containing: "<stdin>:1:", within: 10))
      p.send(sig)
      let r = p.wait(timeout: 10, closingStdin: false)
      #expect(r.status == status && r.signal == signal, "signal \(sig)")
      #expect(r.stderrText.contains("1 lines: 0 bodies, 1 rejected"), "signal \(sig)")
    }
  }

  @Test func tooLongBodiesAreRejectedWithBoundedRecords() throws {
    let rejects = Subprocess.tempPath("rejects")
    defer { unlink(rejects) }
    let input = Array((Self.body + "\n" + Self.body + "\n").utf8)
    let r = Subprocess.run(
      "wa-convert", ["--max-line-bytes", "100", "--rejects", rejects], stdin: .bytes(input))
    #expect(r.status == 1 && r.stdout.isEmpty)
    let text = (try? String(contentsOfFile: rejects, encoding: .utf8)) ?? ""
    #expect(text.split(separator: "\n").count == 2)
    #expect(text.contains(#""code":"line_too_long""#) && text.contains(#""truncated":true"#))
    // Meta's bodies can be 3 MB: the default limit keeps one whole.
    var big = Self.body
    let padding = String(repeating: "x", count: 3_000_000)
    big = big.replacingOccurrences(
      of: #""messaging_product":"#, with: #""pad":"\#(padding)","messaging_product":"#)
    let ok = Subprocess.run("wa-convert", stdin: .bytes(Array((big + "\n").utf8)))
    #expect(ok.status == 0 && ok.stdoutText.contains("message.read"))
  }

  /// Inputs meant to break a parser: no crash, every line accounted for, one bounded record
  /// per rejected body, and memory bounded by the line limit, not by the input.
  @Test func hostileBodiesAreAccountedForWithBoundedMemory() throws {
    let body = Array(Self.body.utf8)
    var input: [UInt8] = []
    for n in stride(from: 0, to: body.count, by: 7) { input += body.prefix(n) + [0x0A] }
    for i in body.indices {
      var flipped = body
      flipped[i] ^= 0x20
      input += flipped + [0x0A]
    }
    input += [UInt8](repeating: 0x5B, count: 100_000) + [0x0A]
    var x: UInt64 = 0x9E37_79B9_7F4A_7C15  // xorshift64: the same bytes on every run
    for _ in 0..<(1 << 20) {
      x ^= x << 13
      x ^= x >> 7
      x ^= x << 17
      input.append(UInt8(truncatingIfNeeded: x >> 32))
    }
    input += Array(#"{"object":"whatsapp_business_account","entry":["#.utf8)
    input += Array(String(repeating: "1,", count: 1_500_000).utf8) + Array("1]}\n".utf8)
    input +=
      Array(#"{"x":""#.utf8) + [UInt8](repeating: 0x61, count: 20 << 20) + Array("\"}\n".utf8)
    let summary = Subprocess.tempPath("summary")
    let rejects = Subprocess.tempPath("rejects")
    defer { unlink(summary); unlink(rejects) }
    let r = Subprocess.runMeasuringMemory(
      "wa-convert", ["--summary-json", summary, "--rejects", rejects], stdin: .bytes(input),
      stdout: .path("/dev/null"))
    #expect(r.status == 1)
    let json = try JSONSerialization.jsonObject(
      with: FileManager.default.contents(atPath: summary) ?? Data())
    let s = (json as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
    let lines = input.filter { $0 == 0x0A }.count + (input.last == 0x0A ? 0 : 1)
    #expect(s["lines"] == lines)
    #expect(s["lines"] == (s["bodies"] ?? 0) + (s["rejected"] ?? 0) + (s["blank"] ?? 0))
    let records = (try? String(contentsOfFile: rejects, encoding: .utf8))?.split(separator: "\n")
    #expect(records?.count == s["rejected"])
    let biggest = records?.map(\.utf8.count).max() ?? 0
    // The 20 MB line keeps only its first 4 MiB (the default limit), the million bad items
    // only their first 100 problems.
    #expect(biggest < 9 << 20, "a rejects record of \(biggest) bytes")
    #expect(
      r.maxRSSKilobytes > 0
        && (r.maxRSSKilobytes < 160 * 1024 || Subprocess.binariesUseAddressSanitizer),
      "\(r.maxRSSKilobytes) KB")
  }

  @Test func diagnosticsEscapeControlCharactersFromTheBody() throws {
    let line = "{\"object\":\"x\u{1B}[31m\u{9B}\u{202E}\"}\n"
    let r = Subprocess.run("wa-convert", stdin: .bytes(Array(line.utf8)))
    #expect(r.status == 1)
    #expect(!r.stderr.contains(0x1B))
    #expect(r.stderrText.contains("\\u001B[31m\\u009B\\u202E"))
    #expect(r.stderrText.contains("wa-convert: <stdin>:1: "))
  }
}
