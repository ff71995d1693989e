import Testing

@testable import WAKit

@Suite("TextDashboard")
struct ReportTextDashboardTests {
  static let names: [String: String] = ["KE": "Kenya", "NG": "Nigeria", "CI": "Côte d'Ivoire"]
  let dashboard = TextDashboard(countryName: { ReportTextDashboardTests.names[$0] })

  /// The text without ANSI colour codes.
  static func plain(_ text: String) -> String {
    var out = ""
    var inCode = false
    for ch in text.unicodeScalars {
      if ch == "\u{1B}" {
        inCode = true
      } else if inCode {
        if ch == "m" { inCode = false }
      } else {
        out.unicodeScalars.append(ch)
      }
    }
    return out
  }

  static func lines(_ text: String) -> [Substring] {
    text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
  }

  @Test(arguments: ["snapshot.ndjson", "empty.ndjson", "hostile.ndjson", "snapshot-v2.ndjson"])
  func everyLineFitsOneHundredColumns(_ fixture: String) throws {
    let s = try ReportFixtures.snapshot(fixture)
    for style in [TextStyle(), TextStyle(color: true), TextStyle(ascii: true)] {
      var d = dashboard
      d.style = style
      let text = d.render(s)
      #expect(text.hasSuffix("\n"))
      for line in Self.lines(Self.plain(text)) {
        #expect(DisplayWidth.of(String(line)) <= 100, "\(line)")
      }
    }
  }

  @Test func everySectionOfTheSeedDashboardIsThere() throws {
    let text = dashboard.render(try ReportFixtures.snapshot("snapshot.ndjson"))
    for heading in [
      "WhatsApp Analytics", "Received", "Sent", "Read rate", "First response", "Message funnel",
      "Message volume by hour", "Activity heatmap", "Traffic by country", "Agent performance",
      "Response time", "Conversations", "length (messages)", "resolution time",
    ] {
      #expect(text.contains(heading), "missing \(heading)")
    }
    #expect(text.contains("73.3%"))  // read rate
    #expect(text.contains("1m 14s") && text.contains("p90 13m 33s"))  // median, p90 response
    #expect(text.contains("KE  Kenya"))
    for day in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] {
      #expect(text.contains("\n  \(day)  "), "heatmap row \(day)")
    }
  }

  @Test func funnelBarsShrinkStageByStage() throws {
    let text = dashboard.render(try ReportFixtures.snapshot("snapshot.ndjson"))
    let bars = ["Sent", "Delivered", "Read", "Replied"].map { stage -> Int in
      let line = Self.lines(text).first { $0.hasPrefix("  \(stage) ") } ?? ""
      return line.filter { $0 == "█" }.count
    }
    #expect(bars == [50, 48, 36, 17])
  }

  @Test func noColourUnlessAskedAndOnlyASCIIWithAscii() throws {
    let s = try ReportFixtures.snapshot("hostile.ndjson")
    let plain = dashboard.render(s)
    #expect(!plain.unicodeScalars.contains("\u{1B}"))
    var d = dashboard
    d.style = TextStyle(color: true)
    #expect(d.render(s).contains("\u{1B}[1;36mWhatsApp Analytics\u{1B}[0m"))
    d.style = TextStyle(ascii: true)
    let ascii = d.render(s)
    #expect(ascii.utf8.allSatisfy { $0 < 0x80 && ($0 >= 0x20 || $0 == 0x0A) })
    #expect(ascii.contains("Cote d'Ivoire desk"))
  }

  @Test func inputTextIsEscapedForTheTerminal() throws {
    let text = dashboard.render(try ReportFixtures.snapshot("hostile.ndjson"))
    #expect(text.contains("esc\\u001B[31mred") && text.contains("line\\u000Abreak"))
    #expect(text.contains("bidi\\u202Eevil") && text.contains("c1\\u009Bcsi"))
    #expect(text.contains("generated 2026-11-23T21:00:04.118Z\\u001B[2J"))
    for scalar in text.unicodeScalars where scalar != "\n" {
      #expect(!(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)))
      #expect(!TerminalEscape.isUnsafe(scalar.value))
    }
  }

  @Test func nothingYetShowsDashesNotZeroes() throws {
    let text = dashboard.render(try ReportFixtures.snapshot("empty.ndjson"))
    #expect(text.contains("events none yet"))
    #expect(text.contains("no countries yet") && text.contains("no agents yet"))
    // The headline values: counts are 0, rates and response times have no value yet.
    let values = Self.lines(text).first { $0.hasPrefix("  0 ") }
    #expect(values?.split(separator: " ") == ["0", "0", "–", "–", "–", "0"])
  }

  /// A delivery rate of 100% and six-digit counts did not fit their 15-column notes and were
  /// cut: "delivered 100.…", "contacts 123,4…".
  @Test func headlineNotesShowWholeNumbersNeverCutOnes() throws {
    var s = try ReportFixtures.snapshot("snapshot.ndjson")
    s.rates.delivery = 1
    s.contacts.created = 123_456
    s.uniqueUsers = 12_345_678
    s.messages.sentByAgent = 1_234_567
    s.funnel.failed = s.funnel.sent
    let text = Self.plain(dashboard.render(s))
    let notes = try #require(Self.lines(text).first { $0.contains("delivered") })
    #expect(!notes.contains("…"), "\(notes)")
    for shown in [
      "users 12.3M", "by agents 1.2M", "delivered 100%", "failed 100.0%", "contacts 123k",
    ] {
      #expect(notes.contains(shown), "\(shown) in \(notes)")
    }
    // What fits stays exact.
    let seed = Self.plain(dashboard.render(try ReportFixtures.snapshot("snapshot.ndjson")))
    #expect(seed.contains("delivered 96.3%") && seed.contains("by agents 3,828"))
  }

  /// A stream of window records only was headed "snapshot 29" (the window record's seq) and
  /// "events none yet", above the latest window's numbers; the HTML page said "none yet" too.
  @Test func aWindowOnlyDashboardIsHeadedByItsWindow() throws {
    var state = ReportState()
    for line in ReportFixtures.lines("windows.ndjson") where line.contains(#""wa.window""#) {
      state.add(try ReportFixtures.record(line))
    }
    let head = Self.lines(Self.plain(dashboard.render(state))).prefix(2)
    #expect(head.allSatisfy { !$0.contains("none yet") && !$0.contains("snapshot") }, "\(head)")
    #expect(head.first?.contains("window 1d · open · generated") == true, "\(head)")
    #expect(
      head.last == "window 2026-11-08T21:00:00.000Z → 2026-11-09T21:00:00.000Z Africa/Nairobi")
    let page = HTMLDashboard().render(state)
    #expect(!page.contains("none yet"))
    #expect(page.contains("1d window, Africa/Nairobi, open"))
  }

  @Test func topTenCountriesThenTheRestSummed() throws {
    var s = try ReportFixtures.snapshot("snapshot.ndjson")
    s.countries = (0..<25).map { i in
      var c = Snapshot.Country(code: "C\(i)")
      c.received = Double(100 - i)
      return c
    }
    let text = dashboard.render(s)
    #expect(text.contains("top 10 of 25"))
    #expect(text.contains("C9 ") && !text.contains("C10 "))
    let others = Self.lines(text).first { $0.contains("15 others") }
    // 90 + 89 + … + 76 = 1245
    #expect(others?.contains("1,245") == true)
  }

  @Test(
    arguments: [(0, 10, 0), (0.1, 10, 1), (2.5, 10, 1), (2.6, 10, 2), (10, 10, 4)]
      as [(Double, Double, Int)])
  func heatLevelsAreQuartersOfTheBusiestHour(_ value: Double, _ top: Double, _ level: Int) {
    #expect(TextDashboard.heatLevel(value, top) == level)
  }
}
