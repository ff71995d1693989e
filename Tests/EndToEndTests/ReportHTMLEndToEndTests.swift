import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `wa-report --format html` and `--format csv` as users run them (issue 20): golden pages,
/// the page in a real headless Chromium (scripts/watools/check_report_html.py), its HTML
/// validity, the CSV tables read back with Python's csv module
/// (scripts/watools/check_report_csv.py), hostile input text kept inert, and `--output` with
/// `--refresh` on a live stream.
@Suite("wa-report html and csv end to end")
struct ReportHTMLEndToEndTests {
  static let sample = "Tests/Fixtures/report/snapshot.ndjson"
  /// The bundled sample (examples/webhook.log) through the pipeline, as scripts/demo runs
  /// it; `generatedAt` (wall-clock time) is fixed so that its page can be a golden file.
  static let bundled = "bundled sample"
  static let stream = "Tests/Fixtures/report/stream-v2.ndjson"
  static let empty = "Tests/Fixtures/report/empty.ndjson"

  /// Headings every page has, and those a version 2 stream adds.
  static let headings = [
    "Headline numbers", "Message funnel", "Message volume by hour", "Activity heatmap",
    "Traffic by country", "Agent performance", "Response times", "Conversations and handling",
    "Messages and input",
  ]
  static let version2Headings = [
    "Service levels (SLA)", "Templates", "Campaigns", "Pricing and cost", "Trend over windows",
    "Latest resolved conversations", "Handling",
  ]

  /// Re-record with `WA_RECORD_GOLDEN=1 swift test --filter ReportHTMLEndToEnd`.
  @Test(
    arguments: [
      (sample, [], "snapshot.html"), (stream, ["--refresh", "1m"], "stream-v2.html"),
      (empty, [], "empty.html"), (bundled, [], "sample.html"),
    ] as [(String, [String], String)])
  func rendersTheGoldenPage(_ input: String, _ args: [String], _ golden: String) {
    let r = Subprocess.run("wa-report", ["--format", "html"] + args + [Self.records(input)])
    #expect(r.status == 0 && r.stderrText.isEmpty, "\(r.stderrText)")
    let same = Fixtures.matchesGolden(r.stdout, "Tests/Fixtures/report/" + golden)
    #expect(same, "differs from \(golden) (re-record with WA_RECORD_GOLDEN=1)")
  }

  @Test func thePageIsSelfContainedAndHasEverySection() throws {
    let page = Subprocess.run("wa-report", ["--format", "html", Fixtures.path(Self.stream)])
      .stdoutText
    for heading in Self.headings + Self.version2Headings {
      #expect(page.contains(">\(heading)</h"), "no heading \(heading)")
    }
    // Nothing to fetch, nothing to run.
    for needle in ["<script", "<link", "<img", "<iframe", " src=\"", " href=\"", "url(", "@import"]
    {
      #expect(!page.lowercased().contains(needle), "the page holds \(needle)")
    }
    #expect(page.contains("@media (prefers-color-scheme:dark)"))
    #expect(page.contains("break-inside:avoid"))
    // Every chart has a text alternative.
    let charts = page.components(separatedBy: "<svg class=\"chart\"").count - 1
    #expect(charts >= 5)
    #expect(page.components(separatedBy: "role=\"img\" aria-labelledby=").count - 1 == charts)
    #expect(page.components(separatedBy: "<desc id=").count - 1 == charts)
    // Numbers as the text dashboard writes them.
    #expect(page.contains("<p class=\"v\">7,234</p>") && page.contains("<p class=\"v\">73.3%</p>"))
    let text = Subprocess.run("wa-report", [Fixtures.path(Self.sample)]).stdoutText
    for shared in ["7,234", "6,955", "73.3%", "35.3%", "13m 33s", "2,486", "96.3%"] {
      #expect(text.contains(shared) && page.contains(shared), "\(shared)")
    }
    // The sample's version 1 snapshot has none of the version 2 sections.
    let v1 = Subprocess.run("wa-report", ["--format", "html", Fixtures.path(Self.sample)])
      .stdoutText
    for heading in Self.version2Headings { #expect(!v1.contains(">\(heading)</h")) }
    #expect(!v1.contains("http-equiv") && page.contains("http-equiv") == false)
  }

  @Test func hostileInputTextComesOutInertInHTMLAndCSV() throws {
    let page = Subprocess.run("wa-report", ["--format", "html", Fixtures.path(Self.stream)])
      .stdoutText
    #expect(!page.contains("<script>alert(1)</script>"))
    #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(!page.contains("<img src=x onerror=alert(1)>"))
    #expect(page.contains("&lt;img src=x onerror=alert(1)&gt;"))
    #expect(page.contains("=cmd|&#39; /C calc&#39;!A0"))
    #expect(page.contains("cmp-&quot;evil&quot;") || page.contains("=HYPERLINK(&quot;"))
    for (table, hostile) in [
      ("agents", "'=cmd|' /C calc'!A0,"), ("templates", "<script>alert(1)</script>,"),
      ("campaigns", "\"'=HYPERLINK(\"\"http://x\"\")\""), ("conversations", "'=cmd|' /C calc'!A0,"),
    ] {
      let r = Subprocess.run(
        "wa-report", ["--format", "csv", "--table", table, Fixtures.path(Self.stream)])
      #expect(r.status == 0)
      #expect(r.stdoutText.contains(hostile), "\(table): \(r.stdoutText.prefix(400))")
      // No field starts with a formula character.
      for line in r.stdoutText.split(separator: "\r\n") {
        for cell in line.split(separator: ",") {
          #expect(!"=+@".contains(cell.first ?? " "), "\(table): \(cell)")
        }
      }
    }
  }

  /// The records file of a fixture, or of the bundled sample (made once per run).
  static func records(_ input: String) -> String {
    input == bundled ? bundledRecords : Fixtures.path(input)
  }

  static let bundledRecords: String = {
    let path = Subprocess.tempPath("sample.ndjson")
    let sample = Fixtures.path("examples/webhook.log")
    let r = Subprocess.shell(
      "wa-validate --quiet --exit-zero '\(sample)' | wa-enrich --quiet | wa-aggregate 2>/dev/null"
        + " | sed 's/\"generatedAt\":\"[^\"]*\"/\"generatedAt\":\"2026-11-23T21:00:00.000Z\"/'"
        + " > '\(path)'")
    precondition(r.status == 0, "the sample pipeline failed: \(r.stderrText)")
    // Shared by every test of the run, so it goes when the test process does.
    atexit { unlink(ReportHTMLEndToEndTests.bundledRecords) }
    return path
  }()

  // MARK: Python and Chromium

  /// An empty file to send a tool's standard output to.
  static func newFile(_ tag: String) -> String {
    let path = Subprocess.tempPath(tag)
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    return path
  }

  static func python() throws -> String {
    guard let python = DebianTools.which("python3") else { try Test.cancel("python3 is missing") }
    return python
  }

  @Test(arguments: ["agents", "countries", "templates", "campaigns", "windows", "conversations"])
  func csvReadBackWithPythonEqualsTheRecords(_ table: String) throws {
    let python = try Self.python()
    for input in [Self.stream, Self.sample, Self.bundled] {
      let csv = Self.newFile("\(table).csv")
      defer { unlink(csv) }
      let r = Subprocess.run(
        "wa-report", ["--format", "csv", "--table", table, Self.records(input)],
        stdout: .path(csv))
      #expect(r.status == 0, "\(r.stderrText)")
      let check = Subprocess.run(
        python,
        [Fixtures.path("scripts/watools/check_report_csv.py"), table, csv, Self.records(input)])
      #expect(check.status == 0, "\(input): \(check.stdoutText)\(check.stderrText)")
    }
  }

  @Test func thePageIsValidHTML() throws {
    let python = try Self.python()
    for input in [Self.bundled, Self.sample, Self.stream, Self.empty] {
      let page = Self.newFile("page.html")
      defer { unlink(page) }
      _ = Subprocess.run(
        "wa-report", ["--format", "html", Self.records(input)], stdout: .path(page))
      let r = Subprocess.run(
        python, [Fixtures.path("scripts/watools/check_report_html.py"), "--validate-only", page])
      if r.stdoutText.hasPrefix("skip") {
        try Test.cancel("skipped: html5lib is not installed (Debian package python3-html5lib)")
      }
      #expect(r.status == 0 && r.stdoutText.hasPrefix("ok"), "\(input): \(r.stdoutText)")
    }
  }

  /// The page in a real browser at 375 and 1440 px: no console error, no request, every
  /// heading, no sideways overflow, screenshots that are not blank. With
  /// `WA_RECORD_SCREENSHOTS=1` the sample's screenshots are written to docs/images/.
  @Test(.timeLimit(.minutes(10)), arguments: [bundled, stream])
  func thePageOpensInHeadlessChromium(_ input: String) throws {
    let python = try Self.python()
    _ = try DebianTools.require("chromium", package: "chromium")
    let page = Self.newFile("dashboard.html")
    let shots = Subprocess.tempPath("shots")
    defer {
      unlink(page)
      try? FileManager.default.removeItem(atPath: shots)
    }
    _ = Subprocess.run(
      "wa-report", ["--format", "html", Self.records(input)], stdout: .path(page))
    let headings = Self.headings + (input == Self.stream ? Self.version2Headings : [])
    let started = Date()
    let r = Subprocess.run(
      python,
      [Fixtures.path("scripts/watools/check_report_html.py"), page, "--shots", shots]
        + headings.flatMap { ["--heading", $0] }, timeout: 240)
    let seconds = Date().timeIntervalSince(started)
    if r.status == 77 { try Test.cancel(Comment(rawValue: "skipped: \(r.stdoutText)")) }
    #expect(r.status == 0, "\(r.stdoutText)\(r.stderrText)")
    // The figures for the docs: page size, render time, this test's duration.
    print("chromium check of \(input): \(r.stdoutText.split(separator: "\n").last ?? "")")
    print("chromium check of \(input) took \(String(format: "%.1f", seconds)) s")
    if input == Self.bundled, ProcessInfo.processInfo.environment["WA_RECORD_SCREENSHOTS"] == "1" {
      for width in [375, 1440] {
        let from = "\(shots)/dashboard-\(width).png"
        let to = Fixtures.path("docs/images/dashboard-\(width).png")
        try? FileManager.default.removeItem(atPath: to)
        try FileManager.default.copyItem(atPath: from, toPath: to)
      }
    }
  }

  // MARK: Options and the live file

  @Test(
    arguments: [
      (["--format", "csv"], "--format csv needs --table NAME"),
      (["--table", "agents"], "--table goes with --format csv"),
      (["--format", "csv", "--table", "people"], "--table takes one of agents, countries"),
      (["--refresh", "30s"], "--refresh goes with --format html"),
      (["--format", "html", "--refresh", "0s"], "--refresh takes a duration of 1s or more"),
      // Past the longest duration: the message names the bound, not only "1s or more".
      (["--format", "html", "--refresh", "99999999999999999999h"], "at most 36500d"),
      (["--format", "html", "--watch"], "--watch redraws a terminal"),
    ] as [([String], String)])
  func usageErrors(_ args: [String], _ message: String) {
    let r = Subprocess.run("wa-report", args)
    #expect(r.status == 2)
    #expect(r.stderrText.contains(message), "\(r.stderrText)")
  }

  /// `wa-aggregate --interval … | wa-report --format html --output FILE`: FILE is replaced
  /// (never half-written) as records arrive, and carries the refresh period.
  @Test(.timeLimit(.minutes(10)))
  func outputIsReplacedAsRecordsArrive() throws {
    let dir = Subprocess.tempPath("www")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = dir + "/index.html"
    let report = Subprocess.start(
      "wa-report", ["--format", "html", "--refresh", "30s", "--output", file], stdin: .pipe)
    report.write(String(decoding: Fixtures.bytes(Self.empty), as: UTF8.self))
    let read = { (try? String(contentsOfFile: file, encoding: .utf8)) ?? "" }
    #expect(
      ReportMonitoringTests.eventually(within: 10) { read().contains("<p class=\"v\">0</p>") })
    #expect(read().contains("<meta http-equiv=\"refresh\" content=\"30\">"))
    report.write(String(decoding: Fixtures.bytes(Self.stream), as: UTF8.self))
    #expect(ReportMonitoringTests.eventually(within: 10) { read().contains("Trend over windows") })
    let r = report.wait(timeout: 10)
    #expect(r.status == 0 && r.stdout.isEmpty, "\(r.stderrText)")
    let page = read()
    #expect(page.hasSuffix("</html>\n") && page.contains("<p class=\"v\">7,234</p>"))
    // Only the page is left in the folder: the temporary file was renamed over it.
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["index.html"])
  }
}

/// The docs list each CSV table's columns; the list must be what wa-report writes.
@Suite("wa-report csv columns as documented")
struct ReportCSVColumnsTests {
  @Test(arguments: ["agents", "countries", "templates", "campaigns", "windows", "conversations"])
  func theDocsListTheHeaderWaReportWrites(_ table: String) throws {
    let docs = try String(
      contentsOfFile: Fixtures.path("docs/report-html-csv.md"), encoding: .utf8)
    let row = try #require(
      docs.split(separator: "\n").first { $0.hasPrefix("| `\(table)` |") },
      "docs/report-html-csv.md has no row for \(table)")
    let cell = row.split(separator: "|", omittingEmptySubsequences: false)[2]
    // Column names are the code spans of the row's second cell, in order.
    let documented = cell.split(separator: "`", omittingEmptySubsequences: false).enumerated()
      .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    let r = Subprocess.run(
      "wa-report",
      ["--format", "csv", "--table", table, Fixtures.path("Tests/Fixtures/report/empty.ndjson")])
    #expect(r.status == 0)
    #expect(r.stdoutText == documented.joined(separator: ",") + "\r\n")
  }
}
