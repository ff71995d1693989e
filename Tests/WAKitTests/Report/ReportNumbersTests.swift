import Testing

@testable import WAKit

@Suite("ReportNumbers")
struct ReportNumbersTests {
  @Test(
    arguments: [
      (0.0, "0"), (7.0, "7"), (999.0, "999"), (1000.0, "1,000"), (7234.0, "7,234"),
      (1234567.4, "1,234,567"), (-1234.0, "-1,234"), (2485.5, "2,486"),
    ] as [(Double, String)])
  func groupsThousands(_ value: Double, _ text: String) {
    #expect(ReportNumbers.grouped(value) == text)
  }

  @Test func fixedAndPercent() {
    #expect(ReportNumbers.fixed(71.345, 1) == "71.3")
    #expect(ReportNumbers.fixed(0.05, 1) == "0.1")
    #expect(ReportNumbers.fixed(-2.25, 2) == "-2.25")
    #expect(ReportNumbers.fixed(3, 0) == "3")
    #expect(ReportNumbers.percent(0.732566) == "73.3%")
    #expect(ReportNumbers.percent(1) == "100.0%")
    #expect(ReportNumbers.percent(nil) == nil)
    #expect(ReportNumbers.percent(.nan) == nil)
  }

  @Test(
    arguments: [
      (0.0, "0.0s"), (4.24, "4.2s"), (9.96, "10s"), (42.4, "42s"), (59.6, "1m 00s"),
      (74.2, "1m 14s"), (812.9, "13m 33s"), (3599.4, "59m 59s"), (3921.6, "1h 05m"),
      (20417, "5h 40m"), (86_399, "1d 00h"), (90_000, "1d 01h"), (273_600, "3d 04h"),
    ] as [(Double, String)])
  func durationsReadAtAGlance(_ seconds: Double, _ text: String) {
    #expect(ReportNumbers.duration(seconds: seconds) == text)
  }

  /// 527,385 s is 6 d 2 h 29 min 45 s: the nearest hour is 2. Rounded to minutes first
  /// (2 h 30 min) and then to hours, it showed "6d 03h".
  @Test(
    arguments: [
      (527_385.0, "6d 02h"), (95_385.0, "1d 02h"), (95_399.4, "1d 02h"), (95_400.0, "1d 03h"),
    ] as [(Double, String)])
  func daysRoundOnceToTheNearestHour(_ seconds: Double, _ text: String) {
    #expect(ReportNumbers.duration(seconds: seconds) == text)
  }

  @Test(
    arguments: [
      (0.0, "0"), (999.0, "999"), (999.6, "1.0k"), (12_345, "12.3k"), (99_949, "99.9k"),
      (99_960, "100k"), (123_456, "123k"), (999_499, "999k"), (999_600, "1.0M"),
      (1_234_567, "1.2M"), (12_345_678_901, "12.3B"), (2e15, "2000T"),
    ] as [(Double, String)])
  func compactCountsFitSixColumns(_ value: Double, _ text: String) {
    #expect(ReportNumbers.compact(value) == text)
  }

  @Test func noDurationForNothingOrNegative() {
    #expect(ReportNumbers.duration(seconds: nil) == nil)
    #expect(ReportNumbers.duration(seconds: -1) == nil)
  }

  @Test func displayWidthCountsWideAndZeroWidthCharacters() {
    #expect(DisplayWidth.of("agent_789") == 9)
    #expect(DisplayWidth.of("客服一号") == 8)
    #expect(DisplayWidth.of("😀") == 2)
    #expect(DisplayWidth.of("e\u{301}") == 1)
    #expect(DisplayWidth.of("█▏─") == 3)
  }

  @Test func truncateKeepsWithinTheWidth() {
    #expect(DisplayWidth.truncate("agent_night_shift", to: 8, ellipsis: "…") == "agent_n…")
    #expect(DisplayWidth.truncate("short", to: 8, ellipsis: "…") == "short")
    // A wide character that would straddle the limit is left out whole.
    #expect(DisplayWidth.truncate("ab客服", to: 4, ellipsis: "~") == "ab~")
    #expect(DisplayWidth.truncate("abc", to: 0, ellipsis: "") == "")
  }

  @Test func asciiFoldingLeavesOnlyASCII() {
    #expect(ReportText.fold("Côte d’Ivoire") == "Cote d?Ivoire")
    #expect(
      ReportText.fold("Åland Islands, Curaçao, São Tomé, Łódź")
        == "Aland Islands, Curacao, Sao Tome, Lodz")
    #expect(ReportText.fold("客服😀").utf8.allSatisfy { $0 < 0x80 })
    #expect(ReportText.safe("esc\u{1B}[31m", ascii: true) == "esc\\u001B[31m")
  }
}
