import Foundation
import Testing

/// wa-validate as a user runs it: real binary, real files and pipes.
@Suite("wa-validate end to end")
struct ValidateEndToEndTests {
  static let mixed = "Tests/Fixtures/validate/mixed.ndjson"

  @Test func goldenOutputsForTheMixedFixture() throws {
    let rejects = Subprocess.tempPath("rejects")
    let summary = Subprocess.tempPath("summary")
    defer { unlink(rejects); unlink(summary) }
    let r = Subprocess.run(
      "wa-validate", ["--rejects", rejects, "--summary-json", summary],
      stdin: .file(Fixtures.path(Self.mixed)))
    #expect(r.status == 1)
    #expect(
      Fixtures.matchesGolden(r.stdout, "Tests/Fixtures/validate/mixed.stdout"),
      "stdout differs from the golden file")
    #expect(
      Fixtures.matchesGolden(r.stderr, "Tests/Fixtures/validate/mixed.stderr"),
      "stderr differs from the golden file")
    let rejectsBytes = FileManager.default.contents(atPath: rejects).map(Array.init) ?? []
    let rejectsMatch = Fixtures.matchesGolden(
      rejectsBytes, "Tests/Fixtures/validate/mixed.rejects.ndjson")
    #expect(rejectsMatch, "rejects differ from the golden file")
    let summaryBytes = FileManager.default.contents(atPath: summary).map(Array.init) ?? []
    let summaryMatch = Fixtures.matchesGolden(
      summaryBytes, "Tests/Fixtures/validate/mixed.summary.json")
    #expect(summaryMatch, "summary differs from the golden file")
  }

  @Test func everyLineIsAccountedForAndEachRejectHasARecord() throws {
    let rejects = Subprocess.tempPath("rejects")
    let summary = Subprocess.tempPath("summary")
    defer { unlink(rejects); unlink(summary) }
    let r = Subprocess.run(
      "wa-validate", ["--rejects", rejects, "--summary-json", summary, Fixtures.path(Self.mixed)])
    let s = try decodeSummary(summary)
    let inputLines = Fixtures.bytes(Self.mixed).split(
      separator: 0x0A, omittingEmptySubsequences: false)
    #expect(s.lines == inputLines.count)
    #expect(s.lines == s.valid + s.rejected + s.blank)
    #expect(r.stdout.filter { $0 == 0x0A }.count == s.valid)
    let records = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
    #expect(records.count == s.rejected)
    for record in records {
      let object = try JSONSerialization.jsonObject(with: Data(record.utf8)) as? [String: Any]
      let errors = object?["errors"] as? [[String: Any]] ?? []
      #expect(object?["line"] is Int && object?["source"] as? String == Fixtures.path(Self.mixed))
      #expect(!errors.isEmpty && errors.allSatisfy { $0["code"] is String && $0["path"] is String })
      #expect(object?["input"] is String || object?["inputBase64"] is String)
    }
  }

  @Test func validLinesComeOutByteForByte() throws {
    let input = Fixtures.bytes("Tests/Fixtures/validate/valid-formats.ndjson")
    let r = Subprocess.run("wa-validate", stdin: .bytes(input))
    #expect(r.status == 0)
    // The expected output: the input without its byte-order mark, each line ended by \n
    // instead of \r\n (SPEC §3), nothing else changed.
    var expected = String(decoding: input.dropFirst(3), as: UTF8.self)
      .replacingOccurrences(of: "\r\n", with: "\n")
    expected += "\n"
    #expect(r.stdout == Array(expected.utf8))
    #expect(r.stderrText.contains("9 lines: 9 valid, 0 rejected, 0 blank"))
  }

  @Test func exitStatusFollowsTheContract() throws {
    let valid = Fixtures.path("Tests/Fixtures/validate/valid-formats.ndjson")
    #expect(Subprocess.run("wa-validate", [valid]).status == 0)
    #expect(Subprocess.run("wa-validate", [Fixtures.path(Self.mixed)]).status == 1)
    #expect(Subprocess.run("wa-validate", ["--exit-zero", Fixtures.path(Self.mixed)]).status == 0)
    let usage = Subprocess.run("wa-validate", ["--no-such-flag"])
    #expect(usage.status == 2 && usage.stderrText.contains("--help"))
    #expect(Subprocess.run("wa-validate", ["--max-line-bytes", "0"]).status == 2)
    #expect(Subprocess.run("wa-validate", ["--rejects"]).status == 2)
  }

  @Test func unreadableInputIsStatus3AndTheOtherFilesAreStillRead() throws {
    let valid = Fixtures.path("Tests/Fixtures/validate/valid-formats.ndjson")
    let r = Subprocess.run("wa-validate", ["/no/such/file.ndjson", valid, "/"])
    #expect(r.status == 3)
    #expect(
      r.stderrText.contains("cannot open /no/such/file.ndjson: No such file or directory (ENOENT)"))
    #expect(r.stderrText.contains("EISDIR"))
    #expect(r.stdout.filter { $0 == 0x0A }.count == 9)
  }

  @Test func filesAreReadInOrderAndDashIsStandardInput() throws {
    let valid = Fixtures.path("Tests/Fixtures/validate/valid-formats.ndjson")
    let one =
      #"{"type":"track","event":"contact.created","userId":"+254712345678","properties":{"countryCode":"KE"},"context":{"channel":"whatsapp"}}"#
    let r = Subprocess.run(
      "wa-validate", [valid, "-", valid], stdin: .bytes(Array((one + "\n").utf8)))
    let lines = r.stdoutText.split(separator: "\n")
    #expect(lines.count == 19 && lines[9] == Substring(one))
  }

  @Test func writeFailureIsStatus3WithAMessage() throws {
    let r = Subprocess.run(
      "wa-validate", [Fixtures.path("Tests/Fixtures/validate/valid-formats.ndjson")],
      stdout: .path("/dev/full"))
    #expect(r.status == 3)
    #expect(r.stderrText.contains("write failed: No space left on device (ENOSPC)"))
  }

  @Test func helpAndVersionGoToStandardOutput() throws {
    let help = Subprocess.run("wa-validate", ["--help"])
    #expect(help.status == 0 && help.stdoutText.contains("usage: wa-validate"))
    #expect(help.stdoutText.contains("--max-line-bytes N") && help.stderr.isEmpty)
    let version = Subprocess.run("wa-validate", ["--version"])
    #expect(version.status == 0 && version.stdoutText == "wa-validate 1.0.0\n")
  }

  @Test func diagnosticsEscapeControlCharacters() throws {
    // ESC [ 31 m, a C1 CSI (U+009B) and a bidi override inside an invalid line.
    let line = "{\"type\":\"track\u{1B}[31m\u{9B}\u{202E}\",\"event\":1}\n"
    let r = Subprocess.run("wa-validate", stdin: .bytes(Array(line.utf8)))
    #expect(r.status == 1)
    #expect(!r.stderr.contains(0x1B))
    #expect(!r.stderrText.unicodeScalars.contains { $0.value == 0x9B || $0.value == 0x202E })
    #expect(r.stderrText.contains("\\u001B[31m\\u009B\\u202E"))
  }

  @Test func closedPipeEndsQuietlyOnAnEndlessStream() throws {
    let line =
      #"{"type":"track","event":"contact.created","userId":"+254712345678","properties":{"countryCode":"KE"},"context":{"channel":"whatsapp"}}"#
    // `yes` never ends: if wa-validate did not stop on EPIPE this would hang until the timeout.
    let r = Subprocess.shell(
      "yes '\(line)' | wa-validate 2>/tmp/wa-e2e-head-$$.err | head -1; "
        + "s=${PIPESTATUS[1]}; cat /tmp/wa-e2e-head-$$.err >&2; rm -f /tmp/wa-e2e-head-$$.err; exit $s",
      timeout: 30)
    #expect(r.status == 0)
    #expect(r.stdoutText == line + "\n")
    #expect(r.stderr.isEmpty)
  }

  @Test func aLineWrittenIntoAnIdlePipeComesOutAtOnce() throws {
    let p = Subprocess.start("wa-validate", stdin: .pipe, stdout: .pipe)
    let line =
      #"{"type":"track","event":"contact.created","userId":"+254712345678","properties":{"countryCode":"KE"},"context":{"channel":"whatsapp"}}"#
    p.write(line + "\n")
    #expect(p.readLines(1, within: 10) == [line])
    p.write(line + "\n")
    #expect(p.readLines(1, within: 10) == [line])
    let r = p.wait()
    #expect(r.status == 0)
  }

  @Test func sigtermEndsCleanlyWithStatus0AndASummary() throws {
    let p = Subprocess.start("wa-validate", stdin: .pipe, stdout: .pipe)
    p.write("{}\n")
    #expect(p.waitForStderr(containing: "<stdin>:1:", within: 10))
    p.send(SIGTERM)
    let r = p.wait(timeout: 10, closingStdin: false)
    #expect(r.status == 0)
    #expect(r.stderrText.contains("1 lines: 0 valid, 1 rejected"))
  }

  @Test func sigintEndsCleanlyThenReRaises() throws {
    let p = Subprocess.start("wa-validate", stdin: .pipe, stdout: .pipe)
    p.write("{}\n")
    #expect(p.waitForStderr(containing: "<stdin>:1:", within: 10))
    p.send(SIGINT)
    let r = p.wait(timeout: 10, closingStdin: false)
    #expect(r.signal == SIGINT)
    #expect(r.stderrText.contains("1 lines: 0 valid, 1 rejected"))
  }
}

struct SummaryJSON: Decodable {
  var lines: Int
  var valid: Int
  var rejected: Int
  var blank: Int
  var warnings: Int
  var rejectedByCode: [String: Int]
}

func decodeSummary(_ path: String) throws -> SummaryJSON {
  let data = FileManager.default.contents(atPath: path) ?? Data()
  return try JSONDecoder().decode(SummaryJSON.self, from: data)
}
