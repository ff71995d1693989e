import Foundation
import Testing

@testable import WAKit

/// The text dashboard's trend and "latest complete window against the one before", from the
/// window records of the bundled sample (`wa-aggregate --window 1d --tz Africa/Nairobi
/// examples/webhook.log`, `generatedAt` fixed): `Tests/Fixtures/report/windows.ndjson`.
@Suite("Text dashboard trend")
struct ReportTrendTests {
  static let golden = ReportFixtures.folder.appendingPathComponent("windows.txt").path

  /// Re-record with `WA_RECORD_GOLDEN=1 swift test --filter ReportTrendTests`.
  @Test func theSamplesTrendAndComparisonMatchTheGolden() throws {
    let state = try ReportFixtures.state("windows.ndjson")
    let text = TextDashboard(style: TextStyle()).render(state)
    if ProcessInfo.processInfo.environment["WA_RECORD_GOLDEN"] == "1" {
      try text.write(toFile: Self.golden, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOfFile: Self.golden, encoding: .utf8)
    #expect(text == expected, "differs from windows.txt:\n\(text)")
    for style in [TextStyle(), TextStyle(color: true), TextStyle(ascii: true)] {
      let rendered = ReportTextDashboardTests.plain(TextDashboard(style: style).render(state))
      for line in ReportTextDashboardTests.lines(rendered) {
        #expect(DisplayWidth.of(String(line)) <= 100, "\(line)")
      }
    }
  }

  @Test func theTrendShowsTheLatestRevisionOfEachWindow() throws {
    let state = try ReportFixtures.state("windows.ndjson")
    let text = TextDashboard(style: TextStyle()).render(state)
    // Nairobi days start at 21:00Z; 8 windows, the last one still open.
    #expect(text.contains("Trend"))
    #expect(text.contains("per 1d window, Africa/Nairobi"))
    #expect(text.components(separatedBy: " 21:00Z ").count - 1 >= 8)
    #expect(text.contains("open"))
    // The first day's read rate at its second revision (73.7%), not its first (71.9%).
    #expect(text.contains("73.7%") && !text.contains("71.9%"))
    // The latest complete window (Nov 7, local) against the day before: 63 vs 99 received.
    #expect(text.contains("2026-11-07 21:00Z against 2026-11-06 21:00Z"))
    #expect(text.contains("-36.4%"))
  }

  @Test func aStreamWithoutWindowsHasNoTrend() throws {
    let state = try ReportFixtures.state("snapshot.ndjson")
    let text = TextDashboard(style: TextStyle()).render(state)
    #expect(!text.contains("Trend") && !text.contains("Latest complete window"))
    #expect(text == TextDashboard(style: TextStyle()).render(state.current))
  }
}
