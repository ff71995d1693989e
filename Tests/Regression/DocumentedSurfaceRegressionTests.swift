import Foundation
import Testing

@testable import WAKit

/// What users read about the tools (`--help`, the man pages, the completions) and the flag
/// values the docs promise, each fixed once because it said one thing and did another.
@Suite struct DocumentedSurfaceRegressionTests {
  /// wa-report's HTML example lost its ` \` (a `\` at the end of a line of a Swift string
  /// literal joins the lines): `--help` and the man page showed one line with a run of
  /// spaces where the continuation belonged.
  @Test(arguments: Tool.allCases.map(\.description.name))
  func examplesThatSpanLinesContinueWithABackslash(_ name: String) throws {
    let tool = try #require(Tool.allCases.first { $0.description.name == name }).description
    for example in tool.examples {
      let lines = example.split(separator: "\n")
      for (i, line) in lines.enumerated() {
        let command = line.drop { $0 == " " }
        #expect(!command.contains("  "), "\(name): a run of spaces inside '\(line)'")
        if i < lines.count - 1 {
          #expect(line.hasSuffix(" \\"), "\(name): '\(line)' goes on without a ` \\`")
        }
      }
    }
  }

  /// The man pages escaped the two dashes of a flag but not the hyphens inside its name
  /// (`.B \-\-max-line-bytes`) nor the tool's name: groff prints a bare `-` as a hyphen
  /// (U+2010) where the man macros do not remap it, and a copied flag is then unknown.
  @Test(arguments: Tool.allCases.map(\.description.name))
  func manPagesEscapeEveryHyphenOfAFlagOrToolName(_ name: String) throws {
    let tool = try #require(Tool.allCases.first { $0.description.name == name }).description
    let named = tool.manPage.split(separator: "\n").filter {
      $0.hasPrefix(".B ") || $0.hasPrefix("\\fB") || $0.hasPrefix("wa")
    }
    #expect(named.count >= tool.documentedFlags.count + 2)
    for line in named {
      #expect(!line.replacing("\\-", with: "").contains("-"), "\(name): bare '-' in '\(line)'")
    }
  }

  /// wa-aggregate's man page held a raw `≤` (in `--state`'s help): troff reads its input as
  /// Latin-1 unless a preprocessor converts it first, and warned of a byte it could not place.
  @Test(arguments: Tool.allCases.map(\.description.name))
  func manPagesAreASCII(_ name: String) throws {
    let tool = try #require(Tool.allCases.first { $0.description.name == name }).description
    let nonASCII = tool.manPage.unicodeScalars.filter { !$0.isASCII }
    #expect(nonASCII.isEmpty, "\(name): \(String(String.UnicodeScalarView(nonASCII)))")
    #expect(ToolDescription.roff("≤ 1/s") == "\\[u2264] 1/s")
  }

  /// `--grace 0` was accepted but `--grace 0s` refused as not "more than 0", though
  /// docs/windows.md allows a grace of 0.
  @Test(arguments: ["0", "0s", "0m", "0ms", "0h", "0d"])
  func aGraceOfZeroIsAcceptedInAnyUnit(_ zero: String) throws {
    let args = try FlagParser.parse(
      ["--window", "1d", "--grace", zero], flags: AggregateOptions.flags)
    #expect(try AggregateOptions(args).aggregator.window?.grace == 0)
    let tooLong = try FlagParser.parse(
      ["--window", "1d", "--grace", "36501d"], flags: AggregateOptions.flags)
    #expect(throws: UsageError.self) { try AggregateOptions(tooLong) }
  }

  /// A grace longer than `--state-horizon` cannot be waited for: the window is forgotten, and
  /// final, a horizon after its end. With `--grace 8d` (horizon 7d) the days were written
  /// `"complete":true` at that moment, a day before the clock passed end + grace, which is how
  /// docs/windows.md defines complete. Such a grace is now a usage error.
  @Test func aGraceLongerThanTheStateHorizonIsAUsageError() throws {
    func options(_ flags: [String]) throws -> AggregateOptions {
      try AggregateOptions(
        FlagParser.parse(["--window", "1d"] + flags, flags: AggregateOptions.flags))
    }
    #expect(throws: UsageError.self) { try options(["--grace", "8d"]) }
    #expect(throws: UsageError.self) { try options(["--grace", "2h", "--state-horizon", "1h"]) }
    #expect(try options(["--grace", "7d"]).aggregator.window?.grace == 7 * 86_400 * 1_000_000_000)
    #expect(try options(["--grace", "8d", "--state-horizon", "8d"]).aggregator.window != nil)
    let r = try Tools.run(Tools.path("wa-aggregate"), ["--window", "1d", "--grace", "8d"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("--grace 8d is longer than --state-horizon 7d"), "\(r.stderr)")
  }

  /// `wa-report --refresh` said "at most 36500d" but took any length, cut to a year.
  @Test func aRefreshLongerThanTheLongestDurationIsAUsageError() throws {
    let r = try Tools.run(
      Tools.path("wa-report"), ["--format", "html", "--refresh", "36501d"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("at most 36500d"))
    let ok = try FlagParser.parse(
      ["--format", "html", "--refresh", "36500d"], flags: ReportOptions.flags)
    #expect(try ReportOptions(ok).refreshSeconds == 86_400 * 365)
  }

  /// The shells completed no value after `--foreign`, `--threads`, `--window` or `--emit`,
  /// though each takes one of a fixed list (and wa-aggregate refuses `--foreign pass`).
  @Test func completionsOfferTheValuesOfFlagsWithAFixedList() {
    let aggregate = Tool.aggregate.description
    let expected = [
      ("foreign", "reject skip"), ("threads", "1 2 auto"),
      ("window", "15m 30m 1h 1d 1w 1mo"), ("emit", "conversations"),
    ]
    for (flag, words) in expected {
      #expect(
        aggregate.bashCompletion.contains("--\(flag)) COMPREPLY=($(compgen -W \"\(words)\""),
        "wa-aggregate --\(flag)")
      #expect(aggregate.fishCompletion.contains("-l \(flag) -x -a '\(words)'"))
      #expect(aggregate.zshCompletion.contains(":(\(words))'"))
    }
    for tool in [Tool.validate, .enrich] {
      #expect(
        tool.description.bashCompletion.contains(
          "--foreign) COMPREPLY=($(compgen -W \"reject skip pass\""))
    }
  }

  /// bash completion offered nothing after `--format=` or `--format=p`: bash cuts the line
  /// at `=`, so the word before the cursor was `=`, not the flag (the tools take both
  /// `--format html` and `--format=html`).
  @Test func bashCompletesTheValueOfAFlagWrittenWithAnEqualsSign() throws {
    let script = FileManager.default.temporaryDirectory
      .appendingPathComponent("wa-report-completion-\(getpid()).bash")
    try Tool.report.description.bashCompletion.write(to: script, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: script) }
    // The words bash gives the function, as it splits each line (the last is the cursor's):
    // `--format=p` is `--format`, `=`, `p`.
    let cases: [(words: String, expected: String)] = [
      ("wa-report --format ''", "text prometheus html csv"),
      ("wa-report --format =", "text prometheus html csv"),
      ("wa-report --format = p", "prometheus"),
      ("wa-report --table = c", "countries campaigns conversations"),
      ("wa-report --format = html --t", "--table"),
    ]
    for c in cases {
      let r = try Tools.run(
        "/bin/bash",
        [
          "-c",
          """
          source '\(script.path)'
          COMP_WORDS=(\(c.words))
          COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
          _wa_report
          echo "${COMPREPLY[*]}"
          """,
        ])
      #expect(r.status == 0, "\(c.words): \(r.stderr)")
      #expect(r.stdout == c.expected + "\n", "\(c.words)")
    }
  }

  /// A file name from the command line reached standard error raw in the messages about a
  /// key file, a `--rejects` or `--summary-json` that cannot be opened, a state file's
  /// directory and a `--merge` shard, though every other message escapes it (SPEC §8).
  @Test(
    arguments: [
      ["wa-enrich", "--pseudonymize", "NAME"], ["wa-validate", "--rejects", "NAME/r"],
      ["wa-validate", "--summary-json", "NAME/s"], ["wa-aggregate", "--state", "NAME/s"],
      ["wa-aggregate", "--merge", "NAME"], ["wa-aggregate", "--merge", "--state", "NAME/s"],
    ])
  func fileNamesInMessagesAreEscapedForTheTerminal(_ command: [String]) throws {
    let name = "no\u{1B}[2J\u{07}such"
    let args = command.dropFirst().map { $0.replacing("NAME", with: name) }
    // No input: each stops before reading, and a write into its closed stdin is SIGPIPE.
    let r = try Tools.run(Tools.path(command[0]), Array(args))
    #expect(r.status == 2 || r.status == 3, "\(command)")
    #expect(r.stderr.contains("no\\u001B[2J\\u0007such"), "\(command): \(r.stderr)")
    #expect(!r.stderr.contains("\u{1B}") && !r.stderr.contains("\u{07}"), "\(command)")
  }

  /// `--rejects -`, `--summary-json -` and `wa-report --output -` wrote a file named `-` in
  /// the current folder, silently, where a Unix user means standard output (or input).
  @Test(
    arguments: [
      ["wa-validate", "--rejects", "-"], ["wa-enrich", "--summary-json", "-"],
      ["wa-aggregate", "--rejects", "-"], ["wa-convert", "--summary-json", "-"],
      ["wa-report", "--output", "-"],
    ])
  func aDashForAnOutputFileIsAUsageErrorNotAFileNamedDash(_ command: [String]) throws {
    // A folder per case: the cases run in parallel, and each removes its own.
    let folder = try Tools.scratchFolder("dash-output-\(command[0])")
    defer { try? FileManager.default.removeItem(at: folder) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Tools.path(command[0]))
    p.arguments = Array(command.dropFirst())
    p.currentDirectoryURL = folder
    p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
    p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    p.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try p.run()
    p.waitUntilExit()
    #expect(p.terminationStatus == 2, "\(command)")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("-").path))
  }

  /// `--state - --emit conversations` wrote the conversation records among the `wa-state`
  /// lines on standard output, and `--merge` then refused that output as "not a wa-aggregate
  /// state file": through `scripts/spark-aggregate --wa '--emit conversations'` every
  /// partition's state was lost. The two cannot share standard output: a usage error.
  @Test func emittingConversationsBesideAStateOnStandardOutputIsAUsageError() throws {
    let sample = Tools.root.appendingPathComponent("examples/webhook.log").path
    let r = try Tools.run(
      Tools.path("wa-aggregate"), ["--state", "-", "--emit", "conversations", sample])
    #expect(r.status == 2, "\(r.stderr)")
    #expect(r.stderr.contains("--emit conversations writes its records on standard output"))
    #expect(r.stdout.isEmpty)
    // A state on standard output alone is still a state `--merge` reads, and `--merge` with
    // `--emit` (which writes no conversation records) stays allowed.
    let state = try Tools.run(Tools.path("wa-aggregate"), ["--quiet", "--state", "-", sample])
    #expect(state.status == 0 || state.status == 1, "\(state.stderr)")
    #expect(state.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("wa-state ") })
    let merged = try Tools.run(
      Tools.path("wa-aggregate"), ["--merge", "--emit", "conversations"],
      input: Data(state.stdout.utf8))
    #expect(merged.status == 0, "\(merged.stderr)")
    #expect(merged.stdout.contains(#""kind":"wa.snapshot""#))
  }

  /// `--max-state 9223372036854775807` (or anything past 7.3 × 10¹⁸) crashed wa-aggregate
  /// at start: a state table's largest capacity, a quarter more than the limit, overflowed.
  @Test(arguments: ["9223372036854775807", "7400000000000000000", "1000001M"])
  func aMaxStateTooLargeForAnyMachineIsAUsageErrorNotACrash(_ value: String) throws {
    // No input: the run stops at its options, and a write into its closed stdin is SIGPIPE.
    let r = try Tools.run(Tools.path("wa-aggregate"), ["--max-state", value])
    #expect(!r.terminatedBySignal && r.status == 2, "\(r.stderr)")
    #expect(r.stderr.contains("--max-state takes a number of entries from 16 to 1000000M"))
    let largest = try FlagParser.parse(["--max-state", "1000000M"], flags: AggregateOptions.flags)
    #expect(try AggregateOptions(largest).aggregator.maxState == 1_000_000_000_000)
  }

  /// A rate card row for `UK` (Britain is GB) or `XX` was taken, though docs/campaigns.md
  /// refuses a country that is not an ISO code: it matched no message, so those prices went
  /// unused without a word.
  @Test(arguments: ["UK", "XX", "ZZ", "uk"])
  func aRateCardRowForACountryThatIsNoISOCodeIsRefused(_ country: String) {
    let text = "country,category,price,currency\nKE,marketing,1,USD\n\(country),marketing,2,USD\n"
    #expect {
      _ = try RateCard.parse(Array(text.utf8), name: "card.csv")
    } throws: { error in
      (error as? UsageError)?.message.contains(
        "card.csv:3: country '\(country)' is not an assigned ISO 3166-1 code") == true
    }
    let fine = "country,category,price,currency\nke,marketing,1,USD\nAC,utility,2,USD\n"
    #expect(throws: Never.self) { try RateCard.parse(Array(fine.utf8), name: "card.csv") }
  }

  /// `--since` or `--until` given as a date outside 1678–2262 (`--until 9999-12-31`, "no
  /// end") crashed wa-aggregate at start: the day's first second times 10⁹ overflowed. An
  /// RFC 3339 time of the same instant was clamped, as every time is.
  @Test(arguments: ["9999-12-31", "0000-01-01", "2262-04-12", "1677-09-21", "2100-01-01"])
  func aFarDateInTheRangeIsClampedLikeAFarTimeNotACrash(_ date: String) throws {
    let asDate = try AggregateOptions.time(date, flag: "until", zone: ZoneRule.utc)
    let asTime = try AggregateOptions.time(
      date + "T00:00:00Z", flag: "until", zone: ZoneRule.utc)
    #expect(asDate == asTime)
    #expect(abs(asDate) == EventTime.limit)
    let flag = asDate < 0 ? "--since" : "--until"
    let r = try Tools.run(Tools.path("wa-aggregate"), ["--quiet", flag, date])
    #expect(!r.terminatedBySignal && r.status == 0, "\(r.stderr)")
  }

  /// A time a fraction of a second past 2096-10-02T07:06:40Z, the last time events can have,
  /// was not held at it as docs/metrics.md says: the clamp compared whole seconds only, so
  /// `eventTime.last` read `…07:06:40.500Z`.
  @Test func aFractionPastTheLastTimeOfEventsIsHeldAtIt() throws {
    let last = Timestamp(seconds: EventTime.limit / EventTime.nanosPerSecond, nanoseconds: 0)
    for fraction: Int32 in [1, 500_000_000, 999_999_999] {
      let past = Timestamp(seconds: last.seconds, nanoseconds: fraction)
      #expect(EventTime.nanos(past) == EventTime.limit, "\(fraction)")
    }
    #expect(EventTime.nanos(last) == EventTime.limit)
    let first = Timestamp(seconds: -EventTime.limit / EventTime.nanosPerSecond, nanoseconds: 1)
    #expect(EventTime.nanos(first) == -EventTime.limit + 1)
    let line =
      #"{"type":"track","event":"message.received","userId":"+254712345678","#
      + #""timestamp":"2096-10-02T07:06:40.5Z","properties":{"messageId":"m","chatId":"c"},"#
      + #""context":{"channel":"whatsapp"}}"# + "\n"
    let r = try Tools.run(Tools.path("wa-aggregate"), ["--quiet"], input: Data(line.utf8))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains(#""last":"2096-10-02T07:06:40.000Z""#), "\(r.stdout)")
  }

  /// `--until 9999-12-31`, "no end" in docs/windows.md, was held at the last time events can
  /// have (2096-10-02T07:06:40Z), where an event of a wrong clock (2500) is held too; the
  /// range is half-open, so that event was out of range, though a run without `--until`
  /// counts it. And `--since 1700-01-01 --until 1800-01-01` said 1700 "is not before" 1800.
  @Test func anUntilPastTheLastTimeOfEventsIsNoEnd() throws {
    let input = Data(
      ["2026-06-01T10:00:00Z", "2500-01-01T00:00:00Z"].enumerated().map { k, time in
        #"{"type":"track","event":"message.received","userId":"+254712345678","timestamp":""#
          + time + #"","properties":{"messageId":"m\#(k)","chatId":"c"},"#
          + #""context":{"channel":"whatsapp"}}"# + "\n"
      }.joined().utf8)
    for range in [
      [], ["--until", "9999-12-31"], ["--until", "2200-01-01T00:00:00Z"],
      ["--since", "2026-06-01", "--until", "9999-12-31"],
    ] {
      let r = try Tools.run(
        Tools.path("wa-aggregate"), ["--quiet", "--state-horizon", "36500d"] + range, input: input)
      #expect(r.status == 0, "\(range): \(r.stderr)")
      let last = try #require(r.stdout.split(separator: "\n").last)
      let snapshot = try #require(
        try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
      #expect((snapshot["messages"] as? [String: Any])?["received"] as? Int == 2, "\(range)")
      #expect((snapshot["input"] as? [String: Any])?["outOfRange"] as? Int == 0, "\(range)")
    }
    let r = try Tools.run(
      Tools.path("wa-aggregate"), ["--since", "1700-01-01", "--until", "1800-01-01"], input: input)
    #expect(r.status == 2)
    #expect(
      r.stderr.contains(
        "is not before --until 1800-01-01 once both are held at the first time events can "
          + "have (1843-03-31T16:53:20Z)"), "\(r.stderr)")
    // A state saved with the held instant before this fix loads under the same flag.
    #expect(
      StateFingerprint(text: "until=\(EventTime.limit)\n")
        == StateFingerprint(text: "until=none\n"))
  }

  /// `--summary-json FILE` named an input too (`--summary-json *.ndjson`: the glob's first
  /// file): it was emptied when opened, before it was read, and the run ended with status 0
  /// and the file lost.
  @Test(arguments: ["wa-validate", "wa-enrich", "wa-aggregate", "wa-convert"])
  func aSummaryJSONThatIsAlsoAnInputIsRefusedBeforeItIsEmptied(_ tool: String) throws {
    let folder = try Tools.scratchFolder("summary-is-input-\(tool)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let events = folder.appendingPathComponent("events.ndjson").path
    try Tools.validEventLine.write(toFile: events, atomically: false, encoding: .utf8)
    let r = try Tools.run(Tools.path(tool), ["--summary-json", events, events])
    #expect(r.status == 2, "\(r.stderr)")
    #expect(r.stderr.contains("is also an input"))
    #expect(try String(contentsOfFile: events, encoding: .utf8) == Tools.validEventLine)
  }

  /// The same for `wa-report --output FILE`: an input named there (`--output *.ndjson`) was
  /// read, then replaced by its own dashboard.
  @Test func aReportOutputThatIsAlsoAnInputIsRefusedBeforeItIsReplaced() throws {
    let folder = try Tools.scratchFolder("output-is-input")
    defer { try? FileManager.default.removeItem(at: folder) }
    let snapshots = folder.appendingPathComponent("snapshots.ndjson").path
    let line = try Tools.run(
      Tools.path("wa-aggregate"), ["--quiet"], input: Data(Tools.validEventLine.utf8)
    ).stdout
    #expect(line.hasPrefix(#"{"kind":"wa.snapshot""#))
    try line.write(toFile: snapshots, atomically: false, encoding: .utf8)
    let r = try Tools.run(Tools.path("wa-report"), ["--output", snapshots, snapshots])
    #expect(r.status == 2, "\(r.stderr)")
    #expect(try String(contentsOfFile: snapshots, encoding: .utf8) == line)
  }

  /// `wa-report --output /dev/null` renamed its rendering over the device: run as root it
  /// left a regular file at /dev/null (and /dev/full), with status 0. A FIFO or a link to
  /// one (as /dev/stdout is) was replaced likewise, and a folder failed only once the input
  /// was read. Anything there but a regular file is now refused at start, left as it was.
  @Test func aReportOutputThatIsNoRegularFileIsRefusedNotReplaced() throws {
    let folder = try Tools.scratchFolder("output-not-regular")
    defer { try? FileManager.default.removeItem(at: folder) }
    let line = try Tools.run(
      Tools.path("wa-aggregate"), ["--quiet"], input: Data(Tools.validEventLine.utf8)
    ).stdout
    let fifo = folder.appendingPathComponent("fifo").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let link = folder.appendingPathComponent("stdout").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fifo)
    for output in [fifo, link, folder.path] {
      let r = try Tools.run(Tools.path("wa-report"), ["--output", output], input: Data(line.utf8))
      #expect(r.status == 2, "\(output): \(r.stderr)")
      #expect(r.stderr.contains("not a regular file"), "\(output): \(r.stderr)")
    }
    var st = stat()
    #expect(lstat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO)
    #expect(lstat(link, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK)
    let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(left.sorted() == ["fifo", "stdout"])
  }

  /// A rate card saved as "CSV UTF-8" by a spreadsheet starts with a byte-order mark, which
  /// hid the header's first column ("missing column 'country'"); a holidays file saved "with
  /// BOM" was refused at its first date. The inputs skip a BOM (SPEC §1); these files too.
  @Test func aByteOrderMarkStartsARateCardOrAHolidaysFileAsItMayAnInput() throws {
    let bom = "\u{FEFF}"
    let card = bom + "country,category,price,currency\r\nKE,marketing,0.0225,USD\r\n"
    let parsed = try RateCard.parse(Array(card.utf8), name: "card.csv")
    let plain = try RateCard.parse(Array(card.dropFirst().utf8), name: "card.csv")
    #expect(parsed.fingerprint == plain.fingerprint)
    let days = try BusinessHours.parseHolidays(Array((bom + "2026-12-25\n").utf8), name: "h.txt")
    #expect(days == (try BusinessHours.parseHolidays(Array("2026-12-25\n".utf8), name: "h.txt")))
    #expect(days.count == 1)
  }

  /// A rate card row for `Marketing`, as Meta's price list writes the category, priced
  /// nothing: the events carry `marketing`, and the row was matched as written.
  @Test func aRateCardCategoryInCapitalsPricesTheEventsLowerCaseCategory() throws {
    let card = try RateCard.parse(
      Array("country,category,price,currency\nKE,Marketing,0.0225,USD\n*,UTILITY,1,USD\n".utf8),
      name: "card.csv")
    let kenya = try #require(RegionCode("KE"))
    #expect(card.price(category: Hash64.hash("marketing"), country: kenya) == 22_500)
    #expect(card.price(category: Hash64.hash("utility"), country: kenya) == 1_000_000)
  }

  /// Ten billable messages at the largest price a card takes (999999999999.999999) summed
  /// past Int.max micro-units and trapped; a total past 2^56, the most a state file holds,
  /// was saved and then refused as corrupt on the next start. The total now stays there.
  @Test func aCostPastWhatAStateHoldsStaysThereInsteadOfTrapping() throws {
    let folder = try Tools.scratchFolder("cost-overflow")
    defer { try? FileManager.default.removeItem(at: folder) }
    let card = folder.appendingPathComponent("card.csv").path
    try "country,category,price,currency\nKE,marketing,999999999999.999999,USD\n".write(
      toFile: card, atomically: false, encoding: .utf8)
    let events = (1...12).map { i in
      #"{"type":"track","event":"message.sent","userId":"+254712345678","#
        + #""timestamp":"2026-03-02T10:04:00Z","properties":{"messageId":"m\#(i)","#
        + #""pricing":{"billable":true,"category":"marketing"}},"context":{"channel":"whatsapp"}}"#
        + "\n"
    }.joined()
    let state = folder.appendingPathComponent("s.state").path
    for _ in 1...2 {
      let r = try Tools.run(
        Tools.path("wa-aggregate"), ["--quiet", "--rate-card", card, "--state", state],
        input: Data(events.utf8))
      #expect(!r.terminatedBySignal && r.status == 0, "\(r.stderr)")
      #expect(r.stdout.contains(#""total":72057594037.927936"#))
    }
    let copy = folder.appendingPathComponent("copy.state").path
    try FileManager.default.copyItem(atPath: state, toPath: copy)
    let merged = try Tools.run(
      Tools.path("wa-aggregate"), ["--merge", "--rate-card", card, state, copy])
    #expect(!merged.terminatedBySignal && merged.status == 0, "\(merged.stderr)")
    #expect(merged.stdout.contains(#""total":72057594037.927936"#))
  }

  /// docs/producers.md said a batch element's nesting is counted from the line (62 levels of
  /// its own), but every path of the tools counts it from the element (64), as if it were the
  /// line wa-validate writes it as; the doc now says what the tools do.
  @Test func aBatchElementNestsAsDeepAsALineOfItsOwn() throws {
    func element(_ arrays: Int) -> String {
      #"{"type":"track","event":"message.read","userId":"+254712345678","#
        + #""properties":{"messageId":"m"},"context":{"channel":"whatsapp"},"x":"#
        + String(repeating: "[", count: arrays) + String(repeating: "]", count: arrays) + "}"
    }
    // The element object and 63 arrays: 64 levels; one more is too deep.
    let input = [63, 64].map { #"{"sentAt":1,"batch":["# + element($0) + "]}\n" }.joined()
    let r = try Tools.run(Tools.path("wa-validate"), [], input: Data(input.utf8))
    #expect(r.stdout == element(63) + "\n", "\(r.stderr)")
    #expect(r.stderr.contains("<stdin>:2: batch[0].x[0]"), "\(r.stderr)")
    #expect(r.stderr.contains("too_deep"), "\(r.stderr)")
    let producers = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("docs/producers.md")
    let text = try String(contentsOf: producers, encoding: .utf8)
      .replacingOccurrences(of: "\n  ", with: " ")
    #expect(text.contains("element may nest 64 levels"))
  }

  /// docs/contract.md called the position in an `invalid_json` message a "byte offset",
  /// which reads as counted from 0 (`dd skip=`), though the tool counts from 1 (`cut -b`):
  /// the example the contract now gives is the tool's own message.
  @Test func theContractsInvalidJSONExampleIsTheToolsMessage() throws {
    let contract = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("docs/contract.md")
    let text = try String(contentsOf: contract, encoding: .utf8)
    let row = try #require(
      text.split(separator: "\n").first { $0.hasPrefix("| `invalid_json` |") }.map(String.init))
    #expect(row.contains("counted from 1"), "\(row)")
    let example = try #require(row.firstMatch(of: /`(\{[^`]*\})` is `([^`]*)`/))
    let r = try Tools.run(
      Tools.path("wa-validate"), [], input: Data((String(example.1) + "\n").utf8))
    #expect(r.status == 1)
    #expect(r.stderr.contains("invalid_json: \(example.2) |"), "\(r.stderr)")
  }

  /// docs/contract.md: `messageCount` is an integer (`8.0` is, `8.5` is not) and
  /// `durationMinutes` is ≥ 0. Both were judged on the nearest Double, so `1e-400` and
  /// `8.0000000000000001` passed as integers and `-1e-400` (a Double of -0) as ≥ 0.
  @Test(arguments: [
    (#""messageCount":1e-400,"durationMinutes":1"#, "properties.messageCount: wrong_type"),
    (
      #""messageCount":8.0000000000000001,"durationMinutes":1"#,
      "properties.messageCount: wrong_type"
    ),
    (#""messageCount":8,"durationMinutes":-1e-400"#, "properties.durationMinutes: invalid_value"),
  ])
  func aNumberIsJudgedOnItsDigitsNotOnTheNearestDouble(_ members: String, _ problem: String)
    throws
  {
    let event =
      #"{"type":"track","event":"chat.resolved","userId":"+254712345678","#
      + #""properties":{"chatId":"c",\#(members)},"context":{"channel":"whatsapp"}}"# + "\n"
    let r = try Tools.run(Tools.path("wa-validate"), [], input: Data(event.utf8))
    #expect(r.status == 1 && r.stdout.isEmpty, "\(r.stderr)")
    #expect(r.stderr.contains(problem), "\(r.stderr)")
    let exact = event.replacingOccurrences(of: "1e-400", with: "0")
      .replacingOccurrences(of: "8.0000000000000001", with: "8.0")
    #expect(try Tools.run(Tools.path("wa-validate"), [], input: Data(exact.utf8)).status == 0)
  }

  /// A `recipientCount` is any integer JSON allows: one of 2^63 or more (`1e19`) trapped
  /// wa-aggregate when made an audience, and one past 2^56 was saved into a state the next
  /// start refused as corrupt. The audience stays at 2^56, also summed by `--merge`.
  @Test(arguments: ["1e19", "9223372036854775807", "144115188075855872"])
  func aHugeRecipientCountStaysWhereAStateHoldsItInsteadOfTrapping(_ count: String) throws {
    let folder = try Tools.scratchFolder("audience-overflow-\(count)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let event =
      #"{"type":"track","event":"campaign.sent","timestamp":"2026-03-02T10:04:00Z","#
      + #""properties":{"campaignId":"k","recipientCount":\#(count)},"#
      + #""context":{"channel":"whatsapp"}}"# + "\n"
    let state = folder.appendingPathComponent("s.state").path
    for _ in 1...2 {
      let r = try Tools.run(
        Tools.path("wa-aggregate"), ["--quiet", "--state", state], input: Data(event.utf8))
      #expect(!r.terminatedBySignal && r.status == 0, "\(r.stderr)")
      #expect(r.stdout.contains(#""audience":72057594037927936"#))
    }
    let copy = folder.appendingPathComponent("copy.state").path
    try FileManager.default.copyItem(atPath: state, toPath: copy)
    let merged = try Tools.run(Tools.path("wa-aggregate"), ["--merge", state, copy])
    #expect(!merged.terminatedBySignal && merged.status == 0, "\(merged.stderr)")
    #expect(merged.stdout.contains(#""audience":72057594037927936"#))
  }

  /// `--no-snapshots --emit conversations` was refused ("needs --window ... there would be
  /// no output"), though the conversation records are output; and once allowed, they were
  /// left in the output buffer at the end, which only a snapshot or window record flushed.
  @Test(arguments: ["1", "2"])
  func conversationRecordsAloneAreWrittenWithoutSnapshots(_ threads: String) throws {
    let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("examples/webhook.log").path
    let r = try Tools.run(
      Tools.path("wa-aggregate"),
      ["--quiet", "--threads", threads, "--no-snapshots", "--emit", "conversations", sample])
    #expect(r.status == 1, "\(r.stderr)")  // the sample has rejected lines on purpose
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.count > 100)
    #expect(lines.allSatisfy { $0.hasPrefix(#"{"kind":"wa.conversation""#) })
    let alone = try Tools.run(Tools.path("wa-aggregate"), ["--no-snapshots", sample])
    #expect(alone.status == 2 && alone.stderr.contains("needs --window or --emit"))
  }

  /// A rate card whose header named a column twice (`...,price,currency,price`) was taken,
  /// the prices read from whichever came last; `--sla` with one target twice kept the last.
  @Test func aColumnOrAnSLATargetGivenTwiceIsRefused() throws {
    let card = "country,category,price,currency,Price\n*,utility,1,USD,2\n"
    #expect {
      _ = try RateCard.parse(Array(card.utf8), name: "card.csv")
    } throws: { error in
      (error as? UsageError)?.message
        == "--rate-card card.csv:1: column 'Price' twice in the header"
    }
    #expect(throws: UsageError.self) {
      try AggregateOptions.slaTargets("first-response=1m,resolution=1h,first-response=2m")
    }
    let both = try AggregateOptions.slaTargets("first-response=1m,resolution=1h")
    #expect(both.firstResponse == 60 * EventTime.nanosPerSecond)
  }

  /// `--rate-card DIR` said "--rate-card: read failed: Is a directory", without the name.
  @Test func aRateCardThatCannotBeReadIsNamed() throws {
    let folder = try Tools.scratchFolder("rate-card-folder")
    defer { try? FileManager.default.removeItem(at: folder) }
    let r = try Tools.run(Tools.path("wa-aggregate"), ["--rate-card", folder.path])
    #expect(r.status == 2)
    #expect(
      r.stderr.hasPrefix("wa-aggregate: --rate-card \(folder.path): read failed:"), "\(r.stderr)")
  }

  /// docs/metrics.md showed the snapshot as `"version":1`, with the `input` of version 1 and
  /// none of the members version 2 added, under "Snapshot (version 1)", though wa-aggregate
  /// writes version 2 only: a reader's parser written from that page met another version and
  /// another field order. The page's example is now the tool's output for the eight events it
  /// describes; every member shown whole (not shortened with `…`) must be in it as written.
  @Test func theSnapshotExampleInTheMetricsPageIsWhatTheToolWrites() throws {
    func event(_ name: String, _ user: String, _ time: String?, _ properties: String) -> String {
      #"{"type":"track","event":""# + name + #"","userId":""# + user + #"","#
        + (time.map { #""timestamp":"2026-01-23T"# + $0 + #"Z","# } ?? "")
        + #""properties":{"# + properties + #"},"context":{"channel":"whatsapp"}}"# + "\n"
    }
    let user = "+254712345678"
    let input = [
      event(
        "contact.created", "+12025550123", "09:00:00", #""source":"ad","countryCode":"US""#),
      event(
        "message.received", user, "10:00:00",
        #""messageId":"i1","chatId":"c","contentType":"text""#),
      event(
        "message.sent", user, "10:00:05",
        #""messageId":"o1","chatId":"c","contentType":"interactive","isAutomated":true"#),
      event(
        "message.sent", user, "10:05:00",
        #""messageId":"o2","chatId":"c","contentType":"template","templateId":"t","#
          + #""agentId":"agent_789""#),
      event("message.read", user, nil, #""messageId":"o2""#),
      event("message.read", user, nil, #""messageId":"o2""#),
      event(
        "message.received", user, "10:07:00",
        #""messageId":"i2","chatId":"c","contentType":"text","replyTo":"o2""#),
      event(
        "chat.resolved", user, "10:30:00",
        #""chatId":"c","agentId":"agent_789","resolution":"solved","messageCount":4,"#
          + #""durationMinutes":30"#),
    ].joined()
    let r = try Tools.run(
      Tools.path("wa-aggregate"), ["--quiet", "--tz", "Africa/Nairobi"], input: Data(input.utf8))
    #expect(r.status == 0, "\(r.stderr)")
    let page = try String(
      contentsOf: Tools.root.appendingPathComponent("docs/metrics.md"), encoding: .utf8)
    let section = try #require(page.range(of: "## Snapshot"))
    let open = try #require(page.range(of: "```json\n", range: section.upperBound..<page.endIndex))
    let close = try #require(page.range(of: "```\n", range: open.upperBound..<page.endIndex))
    // One member a line, continued on lines indented further.
    var members: [String] = []
    for line in page[open.upperBound..<close.lowerBound].split(separator: "\n") {
      if line.hasPrefix(" \"") || members.isEmpty {
        members.append(line.trimmingCharacters(in: .whitespaces))
      } else {
        members[members.count - 1] += line.trimmingCharacters(in: .whitespaces)
      }
    }
    try #require(members.count > 10)
    let head = try #require(members.first?.components(separatedBy: #","generatedAt""#).first)
    #expect(r.stdout.hasPrefix(head + ","), "\(head)")
    for var member in members.dropFirst() where !member.contains("…") {
      if member.hasSuffix(",") { member.removeLast() }
      if member == members.last { member.removeLast() }  // the snapshot's closing brace
      #expect(r.stdout.contains(member), "\(member)")
    }
  }
}
