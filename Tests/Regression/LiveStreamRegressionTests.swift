import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Bugs of the tools behind `tail -F`: a live input that pauses, for hours, and is never
/// closed. Each test feeds a running tool through a pipe it keeps open, and waits with a
/// generous timeout for what must come before the input ends.
@Suite(.serialized) struct LiveStreamRegressionTests {
  /// The window records of the sample (`wa-aggregate --window 1d --no-snapshots`).
  static func windowRecords() throws -> String {
    let r = try Tools.run(
      Tools.path("wa-aggregate"),
      ["--quiet", "--window", "1d", "--no-snapshots"],
      input: Data(contentsOf: Tools.root.appendingPathComponent("examples/webhook.log")))
    try #require(r.stdout.split(separator: "\n").count > 2, "\(r.stderr)")
    try #require(!r.stdout.contains(#""kind":"wa.snapshot""#))
    return r.stdout
  }

  /// docs/guide.md: a stream of window records only is rendered "once at the end of input
  /// (and, with `--output` or `--watch`, whenever a live input pauses)". Off a terminal
  /// `--watch` draws no frames, and the pause was ignored there: `tail -F windows.ndjson |
  /// wa-report --watch` through a pipe (ssh without a terminal, `| tee`) showed nothing
  /// until the input ended, that is never.
  @Test func watchOffATerminalRendersAStreamOfWindowsWhenTheInputPauses() throws {
    let records = try Self.windowRecords()
    let report = try Running(Tools.path("wa-report"), ["--watch"])
    report.write(records)
    let first = report.readLine(within: 20)
    #expect(
      first?.contains("WhatsApp Analytics") == true,
      "nothing rendered while the input pauses: \(first ?? "no line in 20 s")")
    report.closeStdin()
    #expect(report.exitStatus(within: 20) == 0)
  }
}
