import Foundation
import Testing

/// wa-enrich as a user runs it (issue #3).
@Suite("wa-enrich end to end")
struct EnrichEndToEndTests {
  /// Events of the sample (or a fixture), validated, then enriched: each enriched event,
  /// re-parsed, must equal its input event plus the two fields, and nothing else.
  @Test(arguments: ["examples/webhook.log", "Tests/Fixtures/validate/valid-formats.ndjson"])
  func enrichedEventsAreTheInputPlusTwoFields(_ input: String) throws {
    let path = Fixtures.path(input)
    try #require(FileManager.default.fileExists(atPath: path), "\(input) is missing")
    let r = Subprocess.shell("wa-validate --quiet --exit-zero '\(path)' | wa-enrich")
    #expect(r.status == 0)
    let valid = Subprocess.run("wa-validate", ["--quiet", "--exit-zero", path])
    let before = valid.stdoutText.split(separator: "\n")
    let after = r.stdoutText.split(separator: "\n")
    try #require(before.count == after.count && !before.isEmpty)
    var added = 0
    for (b, a) in zip(before, after) {
      var original = try object(b)
      let enriched = try object(a)
      var context = original["context"] as? [String: Any] ?? [:]
      let newContext = enriched["context"] as? [String: Any] ?? [:]
      let userId = try #require(original["userId"] as? String)
      if userId.hasPrefix("+") {
        if context["callingCode"] == nil {
          let code = try #require(newContext["callingCode"] as? String)
          #expect(userId.dropFirst().hasPrefix(code) && (1...3).contains(code.count))
          context["callingCode"] = code
          added += 1
        }
      } else if context["countryCode"] == nil && userId.dropFirst(2).hasPrefix(".")
        && !userId.hasPrefix("ZZ.")
      {
        // A BSUID: its prefix is the country, and there is no calling code.
        #expect(newContext["countryCode"] as? String == String(userId.prefix(2)))
        #expect(newContext["callingCode"] == nil)
      }
      if context["countryCode"] == nil, let region = newContext["countryCode"] as? String {
        #expect(region.count == 2 && region == region.uppercased())
        context["countryCode"] = region
      }
      original["context"] = context
      #expect(NSDictionary(dictionary: original).isEqual(to: enriched), "\(a)")
    }
    #expect(added > 0)
  }

  @Test func knownNumbersGetTheirRegion() throws {
    let cases: [(String, String)] = [
      ("+254712345678", "KE"), ("+18765550123", "JM"), ("+14165550123", "CA"),
      ("+12125550123", "US"), ("+77012345678", "KZ"), ("+79123456789", "RU"),
      ("+447797123456", "JE"), ("+447624123456", "IM"), ("+358181234567", "AX"),
    ]
    let input = cases.map { number, _ in
      #"{"type":"track","event":"contact.created","userId":"\#(number)","properties":{},"context":{"channel":"whatsapp"}}"#
    }.joined(separator: "\n")
    let r = Subprocess.run("wa-enrich", ["--quiet"], stdin: .bytes(Array(input.utf8)))
    let regions = try r.stdoutText.split(separator: "\n").map { line in
      try (object(line)["context"] as? [String: Any])?["countryCode"] as? String
    }
    #expect(regions == cases.map { $0.1 })
  }

  @Test func aBSUIDGetsItsPrefixAsCountryAndNoCallingCode() throws {
    let input = """
      {"type":"track","event":"contact.created","userId":"BR.1502576394655843","properties":{},"context":{"channel":"whatsapp"}}
      {"type":"track","event":"contact.created","userId":"ZZ.77","properties":{},"context":{"channel":"whatsapp"}}
      """
    let r = Subprocess.run("wa-enrich", ["--quiet"], stdin: .bytes(Array(input.utf8)))
    #expect(r.status == 0)
    #expect(
      r.stdoutText == """
        {"type":"track","event":"contact.created","userId":"BR.1502576394655843","properties":{},"context":{"channel":"whatsapp","countryCode":"BR"}}
        {"type":"track","event":"contact.created","userId":"ZZ.77","properties":{},"context":{"channel":"whatsapp"}}

        """)
  }

  @Test func existingFieldsAreKeptAndEmptyContextGetsNoLeadingComma() throws {
    let input = """
      {"type":"track","event":"contact.created","userId":"+254712345678","properties":{},"context":{"channel":"whatsapp","countryCode":"ke","callingCode":"999"}}
      {"type":"track","event":"contact.created","userId":"+80012345678","properties":{},"context":{"channel":"whatsapp"}}
      """
    let r = Subprocess.run("wa-enrich", ["--quiet"], stdin: .bytes(Array(input.utf8)))
    let lines = r.stdoutText.split(separator: "\n").map(String.init)
    #expect(lines.first == input.split(separator: "\n").first.map(String.init))
    #expect(
      lines.last?.hasSuffix(#""context":{"channel":"whatsapp","callingCode":"800"}}"#) == true)
    // The output is itself valid input: enriching twice changes nothing.
    let twice = Subprocess.run("wa-enrich", stdin: .bytes(r.stdout))
    #expect(twice.stdout == r.stdout && twice.status == 0)
  }

  @Test func rejectsExactlyAsWaValidateDoes() throws {
    let mixed = Fixtures.path("Tests/Fixtures/validate/mixed.ndjson")
    let rejects = [Subprocess.tempPath("v"), Subprocess.tempPath("e")]
    defer { rejects.forEach { unlink($0) } }
    let v = Subprocess.run("wa-validate", ["--rejects", rejects[0]], stdin: .file(mixed))
    let e = Subprocess.run("wa-enrich", ["--rejects", rejects[1]], stdin: .file(mixed))
    #expect(v.status == e.status)
    let vr = try String(contentsOfFile: rejects[0], encoding: .utf8)
    let er = try String(contentsOfFile: rejects[1], encoding: .utf8)
    #expect(
      vr.replacingOccurrences(of: "\"tool\":\"wa-validate\"", with: "\"tool\":\"wa-enrich\"") == er)
    #expect(
      v.stderrText.replacingOccurrences(of: "wa-validate:", with: "wa-enrich:") == e.stderrText)
  }

  @Test func helpVersionAndClosedPipe() throws {
    #expect(Subprocess.run("wa-enrich", ["--version"]).stdoutText == "wa-enrich 1.0.0\n")
    #expect(Subprocess.run("wa-enrich", ["--help"]).stdoutText.contains("usage: wa-enrich"))
    let line =
      #"{"type":"track","event":"contact.created","userId":"+254712345678","properties":{"countryCode":"KE"},"context":{"channel":"whatsapp"}}"#
    let r = Subprocess.shell(
      "yes '\(line)' | wa-enrich 2>/tmp/wa-e2e-enrich-$$.err | head -1; s=${PIPESTATUS[1]}; "
        + "cat /tmp/wa-e2e-enrich-$$.err >&2; rm -f /tmp/wa-e2e-enrich-$$.err; exit $s",
      timeout: 30)
    #expect(
      r.status == 0 && r.stderr.isEmpty && r.stdoutText.hasSuffix("\"callingCode\":\"254\"}}\n"))
  }
}

func object<S: StringProtocol>(_ line: S) throws -> [String: Any] {
  try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
}
