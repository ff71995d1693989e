import Foundation
import Testing

@testable import WAKit

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

  /// Every window record was kept whole, each with its own agents, templates, campaigns,
  /// countries and hour series, for up to 1,000 windows: 120 daily windows of 1,000 agents
  /// took wa-report to 220 MB (a thousand, 1.5 GB) though only the latest window's sections
  /// are ever drawn. The others now keep their numbers only.
  @Test func onlyTheLatestWindowKeepsItsLabelledLists() throws {
    let line = try Data(
      contentsOf: Tools.root.appendingPathComponent("Tests/Fixtures/report/snapshot-v2.ndjson"))
    let base = try line.withUnsafeBytes { bytes throws(SnapshotError) in
      try SnapshotDecoder().decode(bytes)
    }
    #expect(!base.agents.isEmpty && !(base.templates ?? []).isEmpty && !base.countries.isEmpty)
    func window(_ day: Int, revision: Double = 1) -> Snapshot {
      var s = base
      var w = Snapshot.Window()
      w.size = "1d"
      w.tz = "UTC"
      w.start = "2026-11-\(10 + day)T00:00:00.000Z"
      w.end = "2026-11-\(11 + day)T00:00:00.000Z"
      w.complete = true
      w.revision = revision
      s.window = w
      s.messages.received = Double(100 + day)
      return s
    }
    var state = ReportState()
    // In order, one out of order, and a later revision of an old window.
    for record in [window(1), window(2), window(4), window(3), window(1, revision: 2)] {
      state.add(.window(record))
    }
    let kept = state.windows.windows
    #expect(
      kept.map { $0.window?.start.prefix(10) ?? "" } == [
        "2026-11-11", "2026-11-12", "2026-11-13", "2026-11-14",
      ])
    #expect(kept.map(\.messages.received) == [101, 102, 103, 104])
    #expect(kept[0].window?.revision == 2)
    for w in kept.dropLast() {
      #expect(w.agents.isEmpty && w.countries.isEmpty && w.templates == [] && w.campaigns == [])
      #expect(w.messages.failedByCode.isEmpty && w.responseTime.buckets.isEmpty)
      // The numbers the trend, the comparison and the CSV table read are all there.
      #expect(w.rates == base.rates && w.funnel == base.funnel && w.input == base.input)
      #expect(w.responseTime.p50 == base.responseTime.p50)
      #expect(w.firstResponseTime?.p50 == base.firstResponseTime?.p50)
      #expect(w.conversations.resolved == base.conversations.resolved)
      #expect(w.uniqueUsers == base.uniqueUsers && w.contacts.created == base.contacts.created)
    }
    // The latest is whole: a `--no-snapshots` stream renders its sections.
    #expect(state.current == window(4))
  }

  /// A day window in which no conversation started (the user wrote again in an old one and was
  /// answered in 30 s) has no first response, and the headline card says "–"; but the trend and
  /// the comparison fell back to the median per waiting episode, so that day's "1st response"
  /// was 30 s, "−75.0%" against the day before's 2 min first response: two kinds of median.
  @Test func aWindowWithoutAFirstResponseShowsNoneInTheTrendAndComparison() throws {
    func line(_ event: String, _ user: String, _ time: String, _ id: String, _ extra: String)
      -> String
    {
      #"{"type":"track","event":""# + event + #"","userId":"+2547123456"# + user
        + #"","timestamp":"2026-11-"# + time + #"Z","properties":{"messageId":""# + id
        + #"","chatId":"c"# + user + #"""# + extra + #"},"context":{"channel":"whatsapp"}}"# + "\n"
    }
    let agent = #","agentId":"a1""#
    let events =
      line("message.received", "78", "10T10:00:00", "in1", "")
      + line("message.sent", "78", "10T10:02:00", "out1", agent)
      + line("message.received", "78", "11T10:00:00", "in2", "")
      + line("message.sent", "78", "11T10:00:30", "out2", agent)
      + line("message.received", "79", "12T10:00:00", "in3", "")
    let windows = try Tools.run(
      Tools.path("wa-aggregate"), ["--quiet", "--window", "1d", "--no-snapshots"],
      input: Data(events.utf8))
    #expect(windows.status == 0, "\(windows.stderr)")
    let r = try Tools.run(Tools.path("wa-report"), [], input: Data(windows.stdout.utf8))
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    let trendRow = try #require(lines.first { $0.hasPrefix("  2026-11-11 00:00") })
    #expect(trendRow.hasSuffix("–"), "\(trendRow)")
    #expect(lines.contains { $0.hasPrefix("  2026-11-10 00:00") && $0.hasSuffix("2m 00s") })
    let change = try #require(lines.first { $0.hasPrefix("  First response") })
    #expect(!change.contains("30s") && !change.contains("%"), "\(change)")
  }

  /// The conversation records were bounded by count only, 10,000, but a record's chat id is
  /// as long as the event's (wa-aggregate passes up to a 1 MiB line through): 200 records of
  /// 500 kB chat ids held 125 MB, 10,000 such records would hold 5 GB. Their text is now
  /// bounded too, the oldest records dropped first and counted.
  @Test func conversationRecordsWithLongIdsStayWithinTheTextBound() throws {
    var state = ReportState(conversationLimit: 10_000, conversationTextLimit: 1 << 20)
    let long = String(repeating: "y", count: 100_000)
    for i in 0..<100 {
      var c = ConversationRecord()
      c.chatId = "chat_\(i)_" + long
      c.agentId = "agent_\(i)"
      state.add(.conversation(c))
    }
    let kept = state.conversations
    let text = kept.reduce(0) { $0 + $1.textBytes }
    #expect(text <= 1 << 20, "\(kept.count) records kept, \(text) bytes of text")
    #expect(kept.count >= 9 && kept.count + state.droppedConversations == 100)
    // The latest are kept, oldest first.
    #expect(kept.last?.agentId == "agent_99")
    #expect(kept.first?.agentId == "agent_\(100 - kept.count)")
    // Records of ordinary ids are kept by the count alone, in order.
    var small = ReportState(conversationLimit: 3)
    for i in 0..<2_000 {
      var c = ConversationRecord()
      c.chatId = "chat_\(i)"
      small.add(.conversation(c))
    }
    #expect(small.conversations.map(\.chatId) == ["chat_1997", "chat_1998", "chat_1999"])
    #expect(small.droppedConversations == 1_997)
  }

  /// Template, campaign, pricing-category and cost labels have their control characters
  /// escaped (`\u0007`), but a backslash of the input was not: a template named `a` BEL and
  /// one named `a\u0007` (six characters) became the same series twice, which a scrape
  /// rejects or drops (promtool check metrics does not notice).
  @Test func labelsThatEscapeAlikeStayDistinctSeries() throws {
    let input = try Tools.input("report-labels-that-escape-alike.ndjson")
    let r = try Tools.run(Tools.path("wa-report"), ["--format", "prometheus"], input: input)
    #expect(r.status == 0, "\(r.stderr)")
    var seen = Set<Substring>()
    var repeated: [Substring] = []
    for line in r.stdout.split(separator: "\n") where !line.hasPrefix("#") {
      let series = line[..<(line.lastIndex(of: " ") ?? line.endIndex)]
      if !seen.insert(series).inserted { repeated.append(series) }
    }
    #expect(repeated.isEmpty, "\(repeated.count) series twice, first: \(repeated.first ?? "")")
    for family in ["template", "campaign", "category", "country"] {
      #expect(r.stdout.contains("\(family)=\""), "no \(family) label")
    }
    // No control character reaches the file raw.
    #expect(!r.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
  }

  /// One conversation: a user's message, an agent's answer, the chat resolved with
  /// `resolution`, as wa-aggregate's records (`--emit conversations`).
  static func resolvedConversation(resolution: String) throws -> String {
    func event(_ name: String, _ time: String, _ properties: String) -> String {
      #"{"type":"track","event":""# + name + #"","userId":"+254712345678","timestamp":""#
        + "2026-11-02T09:\(time)Z\",\"properties\":{\(properties)},"
        + #""context":{"channel":"whatsapp"}}"# + "\n"
    }
    let events =
      event("message.received", "00:00", #""messageId":"in","chatId":"c1""#)
      + event("message.sent", "01:00", #""messageId":"out","chatId":"c1","agentId":"a1""#)
      + event(
        "chat.resolved", "05:00",
        #""chatId":"c1","agentId":"a1","messageCount":2,"durationMinutes":5,"resolution":""#
          + resolution + "\"")
    let r = try Tools.run(
      Tools.path("wa-aggregate"), ["--emit", "conversations"], input: Data(events.utf8))
    #expect(r.status == 0, "\(r.stderr)")
    return r.stdout
  }

  /// A conversation record's `resolution` is the producer's text, of any length, but the
  /// page's list of the latest conversations did not let it wrap as it lets ids wrap: one
  /// resolution of 300 letters made that table about 2,500 px wide at 1440 px (Chromium found
  /// its cells past the viewport's edge, inside a sideways scroller).
  @Test(.timeLimit(.minutes(10)))
  func aLongResolutionWrapsInTheConversationList() throws {
    let long = String(repeating: "x", count: 300)
    let folder = try Tools.scratchFolder("long-resolution")
    defer { try? FileManager.default.removeItem(at: folder) }
    let records = folder.appendingPathComponent("records.ndjson").path
    try Self.resolvedConversation(resolution: long).write(
      toFile: records, atomically: false, encoding: .utf8)
    let r = try Tools.run(Tools.path("wa-report"), ["--format", "html", records])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains(">" + long + "</td>"), "the resolution is not in the page")
    try Self.expectTheChecksPass(page: r.stdout, in: folder)
  }

  /// A cost under one unit was written two ways: the page rounded it to cents (a message at
  /// 0.0225 cost "0.02 USD", a total of 0.004 "0.00 USD"), the text dashboard gave it four
  /// decimals whatever it had ("0.8600"), though docs/report-html-csv.md says both write
  /// numbers alike. Both now write it whole, up to the rate card's millionths.
  @Test(arguments: [("0.0225", "0.0225"), ("0.86", "0.86"), ("0.000004", "0.000004")])
  func aCostUnderOneUnitIsWrittenWholeAndAlikeOnThePageAndInText(
    _ price: String, _ written: String
  ) throws {
    let folder = try Tools.scratchFolder("cost-under-one-" + price)
    defer { try? FileManager.default.removeItem(at: folder) }
    let card = folder.appendingPathComponent("card.csv").path
    try "country,category,price,currency\n*,marketing,\(price),USD\n".write(
      toFile: card, atomically: false, encoding: .utf8)
    let events =
      #"{"type":"track","event":"message.sent","userId":"+254712345678","#
      + #""timestamp":"2026-11-02T09:00:00Z","properties":{"messageId":"m1","#
      + #""templateId":"promo"},"context":{"channel":"whatsapp"}}"# + "\n"
      + #"{"type":"track","event":"message.delivered","userId":"+254712345678","#
      + #""timestamp":"2026-11-02T09:00:05Z","properties":{"messageId":"m1","pricing":"#
      + #"{"billable":true,"category":"marketing"}},"context":{"channel":"whatsapp"}}"# + "\n"
    let records = try Tools.run(
      Tools.path("wa-aggregate"), ["--rate-card", card], input: Data(events.utf8))
    #expect(records.status == 0, "\(records.stderr)")
    let input = Data(records.stdout.utf8)
    let page = try Tools.run(Tools.path("wa-report"), ["--format", "html"], input: input)
    let text = try Tools.run(Tools.path("wa-report"), ["--ascii"], input: input)
    #expect(page.stdout.contains(">\(written) USD</p>"), "the page's total")
    #expect(page.stdout.contains(">\(written) USD</td>"), "the page's tables")
    #expect(text.stdout.contains("cost \(written) USD: marketing \(written) "), "the text")
  }

  /// With `--business-hours`, every response clock has a `business` distribution, but
  /// wa-aggregate gives it no buckets; the page still drew a "business hours" column in its
  /// table of time buckets, a "–" in every row, as if the numbers were missing.
  @Test func theBucketTableHasNoBusinessColumnTheRecordsCannotFill() throws {
    let sample = try Data(contentsOf: Tools.root.appendingPathComponent("examples/webhook.log"))
    let records = try Tools.run(
      Tools.path("wa-aggregate"),
      ["--quiet", "--exit-zero", "--business-hours", "Mon-Fri 09:00-17:00"], input: sample)
    #expect(records.status == 0, "\(records.stderr)")
    #expect(records.stdout.contains(#""business":{"count":"#))
    let page = try Tools.run(
      Tools.path("wa-report"), ["--format", "html"], input: Data(records.stdout.utf8)
    ).stdout
    guard let start = page.range(of: "<th>answered within</th>"),
      let end = page.range(of: "</table>", range: start.upperBound..<page.endIndex)
    else {
      Issue.record("no table of time buckets")
      return
    }
    let table = page[start.lowerBound..<end.upperBound]
    #expect(!table.contains("business hours"), "\(table)")
    #expect(!table.contains("–"), "\(table)")
    #expect(table.contains("≤1m"))
  }

  /// The page's headline cards show the whole input's numbers, but their change line named
  /// only the previous window's value: "First response 1m 01s, ▼ -14.0% vs previous window
  /// (1m 26s)" read as a fall from 1m 26s to 1m 01s, which is -29%; the change is the latest
  /// complete window's, 1m 14s. The line now names both windows' values, those of the text
  /// dashboard's comparison table.
  @Test func theHeadlineChangeNamesBothWindowsValues() throws {
    let records = Tools.root.appendingPathComponent("Tests/Fixtures/report/stream-v2.ndjson")
      .path
    let text = try Tools.run(Tools.path("wa-report"), ["--ascii", records]).stdout
    let page = try Tools.run(Tools.path("wa-report"), ["--format", "html", records]).stdout
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard let head = lines.firstIndex(where: { $0.hasPrefix("Latest complete window") }) else {
      Issue.record("no comparison in the text dashboard")
      return
    }
    let names = ["Received", "Sent", "Read rate", "Reply rate", "First response", "Chats resolved"]
    for (name, line) in zip(names, lines[(head + 2)...]) {
      // `  Read rate    70.0%    72.0%    -2.0 pts    –`: name, latest, before, ….
      let columns = line.split(separator: "  ", omittingEmptySubsequences: true)
        .map { $0.trimmingCharacters(in: .whitespaces) }
      #expect(columns.first == name, "\(line)")
      guard columns.count >= 3, let card = page.range(of: "<h3>\(name)</h3>"),
        let end = page.range(of: "</div>", range: card.upperBound..<page.endIndex)
      else {
        Issue.record("no card \(name)")
        continue
      }
      let change = page[card.upperBound..<end.lowerBound]
      #expect(
        change.contains("latest window \(columns[1]) vs previous \(columns[2])"),
        "\(name): \(change)")
    }
  }

  /// `--ascii` promises plain ASCII, but the comparison of the latest complete window with
  /// the one before wrote a change of zero `±0` and `±0.0%` (U+00B1): two hours alike put
  /// a byte above 127 into every row. It is `+/-` now.
  @Test func anUnchangedHeadlineNumberIsASCIIWithASCII() throws {
    let records = try Self.aggregated(
      receivedAt: (10...12).map { "2026-11-02T\($0):10:00Z" }, ["--window", "1h"])
    let r = try Tools.run(Tools.path("wa-report"), ["--ascii"], input: records)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("Latest complete window"), "no comparison: \(r.stdout)")
    #expect(r.stdout.contains("+/-0"))
    let lines = r.stdout.split(separator: "\n").filter { $0.utf8.contains { $0 > 0x7E } }
    #expect(lines.isEmpty, "not ASCII: \(lines)")
  }

  /// With one complete window and no window before it, the page said "Changes: the latest
  /// complete window (…) against the one before it." and then showed no change under any
  /// card: the text dashboard says "against none". The page now says there is none.
  @Test func theFirstCompleteWindowAnnouncesNoChanges() throws {
    let records = try Self.aggregated(
      receivedAt: (10...11).map { "2026-11-02T\($0):10:00Z" }, ["--window", "1h"])
    let page = try Tools.run(Tools.path("wa-report"), ["--format", "html"], input: records).stdout
    #expect(!page.contains("Changes:"), "changes announced")
    #expect(!page.contains("vs previous"), "a change shown")
    #expect(
      page.contains(
        "No changes yet: the latest complete window (1h from 2026-11-02T10:00:00.000Z) has no "
          + "window before it."))
  }

  /// One billable message the rate card does not price: the page said "1 billable message
  /// has no rate in the rate card and are not in the total".
  @Test func oneUnpricedMessageIsOneInTheSentenceThatCountsIt() throws {
    let folder = try Tools.scratchFolder("one-unpriced")
    defer { try? FileManager.default.removeItem(at: folder) }
    let card = folder.appendingPathComponent("card.csv").path
    try "country,category,price,currency\n*,marketing,0.05,USD\n".write(
      toFile: card, atomically: false, encoding: .utf8)
    let events =
      #"{"type":"track","event":"message.sent","userId":"+254712345678","#
      + #""timestamp":"2026-11-02T09:00:00Z","properties":{"messageId":"m1"},"#
      + #""context":{"channel":"whatsapp"}}"# + "\n"
      + #"{"type":"track","event":"message.delivered","userId":"+254712345678","#
      + #""timestamp":"2026-11-02T09:00:05Z","properties":{"messageId":"m1","pricing":"#
      + #"{"billable":true,"category":"utility"}},"context":{"channel":"whatsapp"}}"# + "\n"
    let records = try Tools.run(
      Tools.path("wa-aggregate"), ["--rate-card", card], input: Data(events.utf8))
    #expect(records.status == 0, "\(records.stderr)")
    let page = try Tools.run(
      Tools.path("wa-report"), ["--format", "html"], input: Data(records.stdout.utf8)
    ).stdout
    #expect(
      page.contains(
        "1 billable message has no rate in the rate card and is not in the total."))
  }

  /// The note under the "Sent" card, the messages agents sent, read "agents 3,828" beside
  /// "users 2,486" under "Received", which counts users: it said 3,828 agents where the
  /// snapshot has 13. It reads "by agents 3,828" now, as the Messages section does.
  @Test func theSentCardsNoteCountsMessagesByAgentsNotAgents() throws {
    let records = Tools.root.appendingPathComponent("Tests/Fixtures/report/snapshot.ndjson").path
    let text = try Tools.run(Tools.path("wa-report"), [records]).stdout
    let page = try Tools.run(Tools.path("wa-report"), ["--format", "html", records]).stdout
    let notes = text.split(separator: "\n").first { $0.contains("users 2,486") } ?? ""
    #expect(notes.contains("users 2,486     by agents 3,828 "), "\(notes)")
    #expect(page.contains(#"<p class="v">6,955</p><p class="n">by agents 3,828</p>"#))
  }

  /// The middle line of the hour chart (and of the page's trend of counts) is at half the
  /// top, but its label was rounded to a whole count: with one message at the busiest hour
  /// the top and the middle both read "1", with 75 the middle read "38".
  @Test func theMiddleOfAChartsAxisIsLabelledWithItsValue() throws {
    let input = try Self.aggregated(receivedAt: ["2026-11-02T10:10:00Z"], ["--window", "1h"])
    let text = try Tools.run(Tools.path("wa-report"), ["--ascii"], input: input).stdout
    let page = try Tools.run(Tools.path("wa-report"), ["--format", "html"], input: input).stdout
    let labels = text.split(separator: "\n").filter { $0.hasSuffix("+") || $0.contains(" + ") }
      .prefix(2).map { $0.split(separator: " ").first ?? "" }
    #expect(labels == ["1", "0.5"], "\(labels)")
    // The hour chart's axis and the trend's: top, middle, 0.
    func axis(_ part: Substring) -> [Substring] {
      part.components(separatedBy: "<text class=\"yl\"").dropFirst().prefix(3)
        .map { $0.split(separator: ">").dropFirst().first?.split(separator: "<").first ?? "" }
    }
    let trend = page.range(of: ">Trend over windows<")
    #expect(axis(page[...]) == ["1", "0.5", "0"])
    #expect(axis(page[(trend?.upperBound ?? page.endIndex)...]) == ["1", "0.5", "0"])
    #expect(ReportNumbers.axis(37.5) == "37.5" && ReportNumbers.axis(1_234.5) == "1,235")
    #expect(ReportNumbers.axis(384) == "384" && ReportNumbers.axis(0) == "0")
  }

  /// The hour chart's axis labels sit in the 31 px left of the chart: a busiest hour of
  /// 1,234,567 messages (a month of a large sender) wrote `1,234,567` there, which reached
  /// past the page's left edge on a 375 px screen. From 100,000 they are compact (`1.2M`).
  @Test(.timeLimit(.minutes(5)))
  func anAxisOfMillionsStaysOnANarrowScreen() throws {
    let fixture = try String(
      contentsOf: Tools.root.appendingPathComponent("Tests/Fixtures/report/snapshot.ndjson"),
      encoding: .utf8)
    let busy = fixture.replacingOccurrences(
      of: #""volumeByHour":{"received":[12,"#, with: #""volumeByHour":{"received":[1234567,"#)
    #expect(busy != fixture)
    let folder = try Tools.scratchFolder("axis-of-millions")
    defer { try? FileManager.default.removeItem(at: folder) }
    let r = try Tools.run(Tools.path("wa-report"), ["--format", "html"], input: Data(busy.utf8))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains(">1.2M</text>") && r.stdout.contains(">617k</text>"))
    let text = try Tools.run(Tools.path("wa-report"), [], input: Data(busy.utf8)).stdout
    #expect(text.contains("     1.2M ┤") && text.contains("     617k ┤"), "\(text)")
    try Self.expectTheChecksPass(page: r.stdout, in: folder)
  }

  /// The heatmap's table (eight columns, in a `<details>`) wrote every count whole: seven day
  /// totals of 2,637,952 and such made it 510 px wide on a 375 px screen. From 10,000 a
  /// count is compact there (`2.6M`), the exact count in the cell's title.
  @Test(.timeLimit(.minutes(5)))
  func theHeatmapTableOfMillionsStaysOnANarrowScreen() throws {
    let fixture = try String(
      contentsOf: Tools.root.appendingPathComponent("Tests/Fixtures/report/snapshot.ndjson"),
      encoding: .utf8)
    var snapshot = try #require(
      try JSONSerialization.jsonObject(with: Data(fixture.utf8)) as? [String: Any])
    var heatmap = try #require(snapshot["heatmap"] as? [String: [[Int]]])
    for key in ["received", "sent"] {
      heatmap[key] = heatmap[key]?.map { row in row.map { $0 * 1000 + 999 } }
    }
    snapshot["heatmap"] = heatmap
    let busy = try JSONSerialization.data(withJSONObject: snapshot)
    let folder = try Tools.scratchFolder("heatmap-of-millions")
    defer { try? FileManager.default.removeItem(at: folder) }
    let r = try Tools.run(
      Tools.path("wa-report"), ["--format", "html"], input: busy + Data("\n".utf8))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains(#"<td class="n" title="2,637,952">2.6M</td>"#), "a day total")
    try Self.expectTheChecksPass(page: r.stdout, in: folder)
  }

  /// The page's trend charts named their ends by the UTC date of the windows' starts: a day
  /// in Asia/Kathmandu (+05:45) starts at 18:15Z the day before, so 2 and 3 November were
  /// drawn from "2026-11-01" to "2026-11-02", while the table below said 18:15Z. The ends are
  /// named as the table names the windows now.
  @Test func aTrendChartNamesItsWindowsAsTheTableDoes() throws {
    let records = try Self.aggregated(
      receivedAt: (2...3).map { "2026-11-0\($0)T03:00:00Z" },
      ["--window", "1d", "--tz", "Asia/Kathmandu"])
    let page = try Tools.run(Tools.path("wa-report"), ["--format", "html"], input: records).stdout
    #expect(page.contains("<th scope=\"row\">2026-11-01 18:15Z</th>"), "the table's label")
    #expect(page.contains(#"class="xl s">2026-11-01 18:15Z</text>"#), "the chart's start")
    #expect(page.contains(#"class="xl e" x="352" y="136">2026-11-02 18:15Z</text>"#), "the end")
    #expect(!page.contains(">2026-11-01</text>"))
  }

  /// The text dashboard's "Latest complete window" heading and its trend rows named windows
  /// `2026-11-02 18:15`, a UTC time with nothing to say so, beside a note naming the run's
  /// `--tz` (Asia/Kathmandu): read as local time, a day off by 5 h 45 min. They keep the `Z`
  /// now, as the page does.
  @Test func theTextDashboardsWindowTimesNameTheirZone() throws {
    let records = try Self.aggregated(
      receivedAt: (2...4).map { "2026-11-0\($0)T03:00:00Z" },
      ["--window", "1d", "--tz", "Asia/Kathmandu"])
    let text = try Tools.run(Tools.path("wa-report"), [], input: records).stdout
    let lines = text.split(separator: "\n").map(String.init)
    let heading = try #require(lines.first { $0.hasPrefix("Latest complete window") })
    #expect(heading.hasSuffix(" 2026-11-02 18:15Z against 2026-11-01 18:15Z"), "\(heading)")
    #expect(lines.contains { $0.hasPrefix("  2026-11-03 18:15Z ") }, "\(text)")
  }

  /// `--format prometheus` wrote template and campaign labels with their control characters
  /// escaped (`\u0007`) but agent and country labels raw, a BEL byte in the scraped file,
  /// unless the output was a terminal: two rules for one kind of value. Every label from the
  /// input follows the templates' rule now, in a file too.
  @Test func anAgentLabelEscapesItsControlsAsATemplateLabelDoes() throws {
    let events =
      #"{"type":"track","event":"message.sent","userId":"+254712345678","#
      + #""timestamp":"2026-11-02T09:00:00Z","properties":{"messageId":"m1","#
      + #""agentId":"a\u0007b","templateId":"t\u0007"},"context":{"channel":"whatsapp"}}"#
      + "\n"
    let records = try Tools.run(Tools.path("wa-aggregate"), [], input: Data(events.utf8))
    #expect(records.status == 0, "\(records.stderr)")
    let r = try Tools.run(
      Tools.path("wa-report"), ["--format", "prometheus"], input: Data(records.stdout.utf8))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains(#"template="t\\u0007""#), "\(r.stdout)")
    #expect(r.stdout.contains(#"agent="a\\u0007b""#), "\(r.stdout)")
    #expect(!r.stdout.unicodeScalars.contains("\u{07}"))
  }

  /// An agent id of U+200B and a template named with three spaces were rows with no name in
  /// the text dashboard, on the page and in the CSV tables (an empty-looking field, where
  /// empty means "no value"). Each character of such a label is written as an escape now,
  /// alike in all three.
  @Test func aLabelWithNoVisibleCharacterIsShownAsEscapesInEveryFormat() throws {
    let events =
      #"{"type":"track","event":"message.sent","userId":"+254712345678","#
      + #""timestamp":"2026-11-02T09:00:00Z","properties":{"messageId":"m1","#
      + #""agentId":"\u200b","templateId":"   "},"context":{"channel":"whatsapp"}}"# + "\n"
    let records = try Tools.run(Tools.path("wa-aggregate"), [], input: Data(events.utf8))
    #expect(records.status == 0, "\(records.stderr)")
    let input = Data(records.stdout.utf8)
    let (agent, template) = (#"\u200B"#, #"\u0020\u0020\u0020"#)
    let text = try Tools.run(Tools.path("wa-report"), [], input: input).stdout
    #expect(text.contains("  " + agent + " ") && text.contains("  " + template + " "), "\(text)")
    let page = try Tools.run(Tools.path("wa-report"), ["--format", "html"], input: input).stdout
    #expect(page.contains(">" + agent + "</th>") && page.contains(">" + template + "</th>"))
    for (table, label) in [("agents", agent), ("templates", template)] {
      let csv = try Tools.run(
        Tools.path("wa-report"), ["--format", "csv", "--table", table], input: input
      ).stdout
      #expect(csv.contains("\r\n" + label + ",1,"), "\(table): \(csv)")
    }
  }

  /// A campaign sent again under the same name (two `campaign.sent` of "Promo Nov", ids
  /// `cmp_1` and `cmp_2`) made two rows "Promo Nov" with different numbers in the text
  /// dashboard and on the page, and nothing told which was which (only the CSV table has the
  /// id). The text shows such campaigns by id; the page shows every campaign's id under its
  /// name.
  @Test func campaignsOfOneNameAreToldApartByTheirIds() throws {
    var events = ""
    for (i, id) in ["cmp_1", "cmp_2"].enumerated() {
      events +=
        #"{"type":"track","event":"campaign.sent","userId":"system","timestamp":"2026-11-0"#
        + "\(i + 2)T09:00:00Z\",\"properties\":{\"campaignId\":\"\(id)\","
        + #""campaignName":"Promo Nov","templateId":"promo","recipientCount":1},"#
        + #""context":{"channel":"whatsapp"}}"# + "\n"
        + #"{"type":"track","event":"message.sent","userId":"+254712345678","timestamp":""#
        + "2026-11-0\(i + 2)T09:00:01Z\",\"properties\":{\"messageId\":\"m\(i)\","
        + "\"templateId\":\"promo\",\"campaignId\":\"\(id)\"},"
        + #""context":{"channel":"whatsapp"}}"# + "\n"
    }
    let records = try Tools.run(Tools.path("wa-aggregate"), [], input: Data(events.utf8))
    #expect(records.status == 0, "\(records.stderr)")
    let input = Data(records.stdout.utf8)
    let text = try Tools.run(Tools.path("wa-report"), ["--ascii"], input: input).stdout
    let rows = text.split(separator: "\n").filter { $0.hasPrefix("  cmp_") }
    #expect(rows.map { $0.split(separator: " ").first ?? "" } == ["cmp_1", "cmp_2"], "\(text)")
    let page = try Tools.run(Tools.path("wa-report"), ["--format", "html"], input: input).stdout
    for id in ["cmp_1", "cmp_2"] {
      #expect(page.contains("Promo Nov<small>\(id) · template promo</small>"), "\(id)")
    }
  }

  /// The text dashboard's template table gave a template with no cost of its own "0.00":
  /// right for one whose messages were free, wrong for one whose billable messages the rate
  /// card does not price (counted in `unpriced`, "never priced at 0": docs/campaigns.md).
  /// With unpriced messages such a template's cost is "–" now.
  @Test func aTemplateWhoseMessagesHaveNoRateHasNoCostNotZero() throws {
    let folder = try Tools.scratchFolder("template-unpriced")
    defer { try? FileManager.default.removeItem(at: folder) }
    let card = folder.appendingPathComponent("card.csv").path
    try "country,category,price,currency\n*,marketing,0.05,USD\n".write(
      toFile: card, atomically: false, encoding: .utf8)
    func events(_ templates: [(String, String, Bool)]) -> String {
      var lines = ""
      for (i, (template, category, billable)) in templates.enumerated() {
        lines +=
          #"{"type":"track","event":"message.sent","userId":"+254712345678","timestamp":""#
          + "2026-11-02T09:0\(i):00Z\",\"properties\":{\"messageId\":\"m\(i)\","
          + "\"templateId\":\"\(template)\"},\"context\":{\"channel\":\"whatsapp\"}}\n"
          + #"{"type":"track","event":"message.delivered","userId":"+254712345678","#
          + "\"timestamp\":\"2026-11-02T09:0\(i):05Z\",\"properties\":{\"messageId\":\"m\(i)\","
          + "\"pricing\":{\"billable\":\(billable),\"category\":\"\(category)\"}},"
          + #""context":{"channel":"whatsapp"}}"# + "\n"
      }
      return lines
    }
    func templateCosts(_ input: String) throws -> [String: String] {
      let records = try Tools.run(
        Tools.path("wa-aggregate"), ["--rate-card", card], input: Data(input.utf8))
      #expect(records.status == 0, "\(records.stderr)")
      let text = try Tools.run(Tools.path("wa-report"), [], input: Data(records.stdout.utf8))
      var costs: [String: String] = [:]
      for line in text.stdout.split(separator: "\n") {
        let fields = line.split(separator: " ")
        if let name = fields.first, ["promo", "otp", "welcome"].contains(name) {
          costs[String(name)] = String(fields.last ?? "")
        }
      }
      return costs
    }
    let unpriced = try templateCosts(
      events([
        ("promo", "marketing", true), ("otp", "authentication", true),
        ("welcome", "utility", false),
      ]))
    #expect(unpriced == ["promo": "0.05", "otp": "–", "welcome": "–"])
    let allPriced = try templateCosts(
      events([("promo", "marketing", true), ("welcome", "utility", false)]))
    #expect(allPriced == ["promo": "0.05", "welcome": "0.00"])
  }
}

extension ReportRegressionTests {
  /// The countries CSV left `name` empty for `ZZ`, where the text dashboard and the page say
  /// "unknown region": the same row read differently in a spreadsheet.
  @Test func theUnknownRegionHasOneNameInEveryFormat() throws {
    let input = try Data(
      contentsOf: Tools.root.appendingPathComponent("Tests/Fixtures/report/snapshot.ndjson"))
    try #require(String(decoding: input, as: UTF8.self).contains(#""ZZ":{"#))
    let csv = try Tools.run(
      Tools.path("wa-report"), ["--format", "csv", "--table", "countries"], input: input)
    #expect(csv.status == 0, "\(csv.stderr)")
    #expect(csv.stdout.contains("ZZ,unknown region,"), "\(csv.stdout)")
    // The page lists it among its top countries (the text dashboard's ten leave it out).
    let page = try Tools.run(Tools.path("wa-report"), ["--format", "html"], input: input)
    #expect(page.stdout.contains("unknown region"))
  }
}

extension ReportRegressionTests {
  /// `--output FILE`: a write that failed (a full disk; here a file size limit, EFBIG) was
  /// reported as `cannot write /dir/.page.html.tmp-PID`, a name the user never gave and that
  /// is gone by then. The message names FILE; FILE is not created.
  @Test func aFailedWriteOfTheOutputFileNamesThatFile() throws {
    let folder = try Tools.scratchFolder("report-output-failure")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("page.html").path
    let snapshot = Tools.root.appendingPathComponent("Tests/Fixtures/report/snapshot.ndjson").path
    // A limit of 1 kB on a file's size, SIGXFSZ ignored: the page's write fails with EFBIG.
    let script = #"trap "" XFSZ; ulimit -f 1; exec "$0" "$@""#
    let r = try Tools.run(
      "/bin/sh",
      ["-c", script, Tools.path("wa-report"), "--format", "html", "--output", file, snapshot])
    #expect(r.status == 3)
    #expect(r.stderr.hasPrefix("wa-report: cannot write \(file): "), "\(r.stderr)")
    #expect(!r.stderr.contains(".tmp-"), "\(r.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
  }
}

extension ReportRegressionTests {
  /// Writes `page` into `folder` and runs scripts/watools/check_report_html.py on it (valid
  /// HTML; in headless Chromium at 375 px and 1440 px, nothing wider than the screen). Its
  /// status 77, a missing tool, cancels the test and says so. Debian's python3 has html5lib;
  /// a python3 earlier in PATH may not, which would only skip the check.
  static func expectTheChecksPass(page: String, in folder: URL) throws {
    let path = folder.appendingPathComponent("page.html").path
    try page.write(toFile: path, atomically: false, encoding: .utf8)
    let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
    guard let python else { try Test.cancel("python3 is missing") }
    let script = Tools.root.appendingPathComponent("scripts/watools/check_report_html.py").path
    let check = try Tools.run(python, [script, path])
    if check.status == 77 { try Test.cancel(Comment(rawValue: "skipped: " + check.stdout)) }
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
  }
}

extension ReportRegressionTests {
  /// What wa-aggregate writes with `flags` for one `message.received` of one user at each of
  /// `times` (RFC 3339), a message id of its own each.
  static func aggregated(receivedAt times: [String], _ flags: [String]) throws -> Data {
    let events = times.enumerated().map { k, time in
      #"{"type":"track","event":"message.received","userId":"+254712345678","timestamp":""#
        + time + #"","properties":{"messageId":"m\#(k)","chatId":"c"},"#
        + #""context":{"channel":"whatsapp"}}"# + "\n"
    }.joined()
    let r = try Tools.run(Tools.path("wa-aggregate"), flags, input: Data(events.utf8))
    #expect(r.status == 0, "\(r.stderr)")
    return Data(r.stdout.utf8)
  }
}
