import Foundation
import Testing

/// Bugs fixed in wa-report, each replayed through the built tool.
@Suite struct ReportRegressionTests {
  static let formats: [[String]] =
    [["--format", "text"], ["--format", "prometheus"], ["--format", "html"]]
    + ["agents", "countries", "templates", "campaigns", "windows", "conversations"].map {
      ["--format", "csv", "--table", $0]
    }

  /// Counts near the largest Double are finite, so the decoder takes them, but a heatmap
  /// cell (received + sent) summed to infinity, infinity over the busiest cell was NaN, and
  /// converting that shade to an Int trapped: the text dashboard and the page crashed.
  @Test(arguments: formats)
  func countsThatSumPastTheLargestDoubleRenderInEveryFormat(_ format: [String]) throws {
    let input = try Tools.input("report-counts-near-the-largest-double.ndjson")
    let r = try Tools.run(Tools.path("wa-report"), format, input: input)
    #expect(!r.terminatedBySignal, "\(format): killed by a signal: \(r.stderr.prefix(300))")
    #expect(r.status == 0, "\(format): status \(r.status): \(r.stderr.prefix(300))")
    #expect(!r.stdout.isEmpty, "\(format): no output")
    // A chart's coordinates stay numbers: no `nan` in an SVG attribute.
    #expect(!r.stdout.contains("\"nan\"") && !r.stdout.contains("nan%"), "\(format)")
  }
}
