import Foundation
import Testing

/// Every input file kept here, replayed through every filter: no crash, no hang, a status of
/// 0 or 1, and every line accounted for in the summary. A fuzz finding (a `crash-*` file of
/// `scripts/ci/fuzz`) goes into `Inputs/` under a name that says what it broke, and becomes
/// one case of this test; a finding about a specific rule also gets a test of its own.
@Suite struct InputReplayTests {
  static let inputs: [String] = {
    let folder = Tools.root.appendingPathComponent("Tests/Regression/Inputs").path
    return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter { !$0.hasPrefix(".") }.sorted()
  }()

  @Test func theInputsArePresent() {
    #expect(Self.inputs.count >= 4, "Tests/Regression/Inputs holds \(Self.inputs)")
  }

  @Test(arguments: inputs)
  func everyFilterAccountsForTheInput(_ name: String) throws {
    let input = try Tools.input(name)
    for tool in ["wa-validate", "wa-enrich", "wa-aggregate", "wa-convert"] {
      let r = try Tools.run(Tools.path(tool), ["--quiet"], input: input)
      #expect(!r.terminatedBySignal, "\(tool) < \(name): killed by a signal")
      #expect(r.status == 0 || r.status == 1, "\(tool) < \(name): status \(r.status): \(r.stderr)")
      // The summary's first numbers: "<tool>: N lines: …"
      #expect(r.stderr.hasPrefix("\(tool): "), "\(tool) < \(name): no summary: \(r.stderr)")
    }
  }
}
