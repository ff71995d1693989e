import Testing

@testable import WAKit

@Suite("HTMLText and CSVTable")
struct ReportHTMLTests {
  @Test(arguments: [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("a & b \"c\" 'd'", "a &amp; b &quot;c&quot; &#39;d&#39;"),
    ("line\nbreak", "line\\u000Abreak"),
    ("客服一号 😀", "客服一号 😀"),
  ])
  func escapesInputTextForThePage(_ text: String, _ escaped: String) {
    #expect(HTMLText.escape(text) == escaped)
  }

  @Test func noncharactersBecomeTheReplacementCharacter() throws {
    let nonchars = try [0xFDD0, 0xFFFF, 0x1FFFE].map { try #require(Unicode.Scalar($0)) }
    var text = String.UnicodeScalarView()
    for c in nonchars {
      text.append(c)
      text.append("x")
    }
    #expect(HTMLText.escape(String(text)) == "\u{FFFD}x\u{FFFD}x\u{FFFD}x")
  }

  @Test(arguments: [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"), ("+1", "'+1"), ("-x", "'-x"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("a,b", "\"a,b\""),
    ("say \"hi\"", "\"say \"\"hi\"\"\""), ("=a,b", "\"'=a,b\""),
    ("two\r\nlines", "\"two\r\nlines\""),
    ("plain", "plain"),
    // A zone as a UTC offset keeps its sign; anything longer or looser is still guarded.
    ("-05:00", "-05:00"), ("+03:30", "+03:30"), ("-05:00+1", "'-05:00+1"), ("-5:00", "'-5:00"),
    ("-05:0a", "'-05:0a"), ("=05:00", "'=05:00"),
  ])
  func guardsAndQuotesTextFields(_ text: String, _ field: String) {
    #expect(CSVTable.encode(.text(text), guardFormula: true) == field)
  }

  @Test func numbersAreNeverGuarded() {
    #expect(CSVTable.encode(.number(-3), guardFormula: true) == "-3")
    #expect(
      CSVTable.encode(.number(0.35000000000000003), guardFormula: true) == "0.35000000000000003")
    #expect(CSVTable.encode(.number(nil), guardFormula: true) == "")
    #expect(CSVTable.encode(.flag(true), guardFormula: true) == "true")
  }

  @Test func bucketKeysReadInTheUnitsPeopleUse() {
    let keys = ["≤60s", "≤300s", "≤900s", "≤3600s", "≤14400s", "≤86400s", ">86400s", "odd"]
    #expect(
      keys.map(HTMLDashboard.bucketLabel) == [
        "≤1m", "≤5m", "≤15m", "≤1h", "≤4h", "≤1d", ">1d", "odd",
      ])
  }

  @Test func aVersion1SnapshotRendersWithoutTheVersion2Sections() throws {
    var state = ReportState()
    state.add(.snapshot(try ReportFixtures.snapshot("snapshot.ndjson")))
    let page = HTMLDashboard().render(state)
    #expect(page.contains("id=\"funnel\"") && page.contains("id=\"agents\""))
    for id in ["sla", "templates", "campaigns", "cost", "trend"] {
      #expect(!page.contains("<section id=\"\(id)\""), "\(id)")
    }
  }

  /// A quiet window has no record, so the window before the latest complete one may be
  /// days back: the page said only "against the one before it", which reads as the
  /// calendar's previous window. It now names it, as the text dashboard does.
  @Test func theHeadlineChangeNamesTheWindowItComparesAgainst() throws {
    var state = ReportState()
    // The sample's windows without the one from Nov 6 21:00Z: the latest complete one,
    // from Nov 7 21:00Z, is compared with the one from Nov 5 21:00Z.
    for line in ReportFixtures.lines("windows.ndjson")
    where !line.contains(#""start":"2026-11-06T21:00"#) {
      state.add(try ReportFixtures.record(line))
    }
    let page = HTMLDashboard().render(state)
    #expect(
      page.contains(
        "(1d from 2026-11-07T21:00:00.000Z) against the one before it (from "
          + "2026-11-05T21:00:00.000Z)."))
  }

  @Test func theRefreshPeriodIsInTheHead() {
    let page = HTMLDashboard(refreshSeconds: 45).render(ReportState())
    #expect(page.contains("<meta http-equiv=\"refresh\" content=\"45\">\n<meta name=\"generator\""))
    #expect(!HTMLDashboard().render(ReportState()).contains("http-equiv"))
  }
}
