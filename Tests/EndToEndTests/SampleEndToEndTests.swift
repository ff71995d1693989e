import Foundation
import Testing

/// The bundled sample against the generator's ground truth (examples/webhook.truth.json):
/// the "must show" — the summary adds up, every reject has a record, and the
/// verdicts are the intended ones, code for code.
@Suite("wa-validate on the bundled sample")
struct SampleEndToEndTests {
  struct Truth: Decodable {
    var lines: Int
    var blank: Int
    var rejected: Int
    var events: Int
    var rejectedByCode: [String: Int]
    var warnings: [String: Int]
  }

  @Test func summaryMatchesTheGeneratorsGroundTruth() throws {
    let truthData = try #require(
      FileManager.default.contents(atPath: Fixtures.path("examples/webhook.truth.json")))
    let truth = try JSONDecoder().decode(Truth.self, from: truthData)
    let summary = Subprocess.tempPath("summary")
    let rejects = Subprocess.tempPath("rejects")
    defer { unlink(summary); unlink(rejects) }
    let r = Subprocess.run(
      "wa-validate", ["--rejects", rejects, "--summary-json", summary],
      stdin: .file(Fixtures.path("examples/webhook.log")))
    #expect(r.status == 1, "the sample holds invalid lines on purpose")
    let s = try decodeSummary(summary)
    #expect(s.lines == truth.lines && s.blank == truth.blank)
    #expect(s.valid == truth.events && s.rejected == truth.rejected)
    #expect(s.lines == s.valid + s.rejected + s.blank)
    // Each injected line carries exactly one problem, so problems per code = lines per code.
    #expect(s.rejectedByCode == truth.rejectedByCode)
    #expect(s.warnings == truth.warnings.values.reduce(0, +))
    let records = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
    #expect(records.count == truth.rejected)
    #expect(r.stdout.filter { $0 == 0x0A }.count == truth.events)
    #expect(r.stderrText.hasSuffix("\n") && r.stderrText.contains("\(truth.lines) lines: "))
  }
}
