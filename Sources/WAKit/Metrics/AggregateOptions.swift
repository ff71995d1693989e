/// wa-aggregate's options: the shared filter flags plus when to write snapshots, the time
/// zone, and the bounds of its state (SPEC §5).
struct AggregateOptions {
  var filter = FilterOptions()
  /// `--every N`: a snapshot after every N events.
  var every: Int? = nil
  /// `--interval DURATION`: a snapshot every DURATION of wall-clock time (nanoseconds).
  var interval: Int64? = nil
  /// `--tz`, as given (`UTC` by default).
  var zoneName = "UTC"
  var aggregator = AggregatorConfiguration()
  /// `--state FILE` (`-`: the state in text form on standard output at the end, instead of
  /// snapshots).
  var statePath: String? = nil
  /// `--state-reset`: start from empty and replace the state file.
  var stateReset = false
  /// `--merge`: the operands are states to merge, not events.
  var merge = false
  /// `--no-snapshots`: only window (and conversation) records.
  var snapshots = true
  /// `--threads`: 1 or 2, or nil for `auto` (two when the machine has two online CPUs).
  var threads: Int? = nil

  init() {}

  /// wa-aggregate's own flags, then the shared ones, in `--help` order.
  static let flags: [Flag] =
    [
      Flag("every", value: "N", help: "write a snapshot after every N events"),
      Flag(
        "interval", value: "DURATION",
        help: "write a snapshot every DURATION (500ms, 10s, 5m, 1h), even when idle"),
      Flag(
        "tz", value: "ZONE",
        help: "hours and weekdays in ZONE: Africa/Nairobi, +03:00 (default UTC)"),
      Flag(
        "state-horizon", value: "DURATION",
        help: "forget message and user state older than DURATION (default 7d)"),
      Flag(
        "max-state", value: "N", help: "keep at most N entries per state table (default 1000000)"),
      Flag(
        "reply-window", value: "DURATION",
        help: "a reply counts if it comes within DURATION of the message (default 24h)"),
      Flag(
        "business-hours", value: "SPEC",
        help: "open hours in --tz, e.g. \"Mon-Fri 09:00-17:00; Sat 10:00-14:00\": response "
          + "times also in business time"),
      Flag(
        "holidays", value: "FILE",
        help: "days closed all day with --business-hours: one YYYY-MM-DD a line, # comments"),
      Flag(
        "sla", value: "TARGETS",
        help: "targets such as first-response=15m,resolution=24h: met, missed, pending"),
      Flag(
        "emit", value: "WHAT",
        help: "also write records: 'conversations' (a wa.conversation line per chat.resolved)",
        choices: ["conversations"]),
      Flag(
        "state", value: "FILE",
        help: "load FILE at start, save it at snapshots (≤ 1/s) and at exit (- : to stdout)"),
      Flag("state-reset", help: "start from empty instead of loading --state FILE"),
      Flag("merge", help: "merge the state files given as FILEs: their snapshot (and --state)"),
      Flag(
        "window", value: "SIZE",
        help: "also write a record per calendar window: 15m, 30m, 1h, 1d, 1w or 1mo (in --tz)",
        choices: WindowSize.allCases.map(\.rawValue)),
      Flag(
        "grace", value: "DURATION",
        help: "a window is complete DURATION after its end, by event time (default 5m)"),
      Flag(
        "since", value: "TIME",
        help: "count only numbers from TIME on (RFC 3339, or YYYY-MM-DD: midnight in --tz)"),
      Flag("until", value: "TIME", help: "count only numbers before TIME (as --since)"),
      Flag(
        "no-snapshots",
        help: "write only the window (--window) and conversation (--emit) records, no snapshots"),
      Flag(
        "rate-card", value: "FILE",
        help: "price billable messages (CSV country,category,price,currency; * any country)"),
      Flag(
        "threads", value: "N",
        help: "1: read, validate and fold on one thread; 2: fold on a second; auto (default): "
          + "2 when two CPUs are online",
        choices: ["1", "2", "auto"]),
    ]
    // `--foreign pass` is a usage error here: the shells offer only what is accepted.
    + FilterOptions.flags.map {
      $0.name == "foreign"
        ? Flag($0.name, value: $0.value, help: $0.help, choices: ["reject", "skip"]) : $0
    }

  /// The largest `--max-state`: 10¹² entries (about 415 TB of state) is past any machine,
  /// and keeps a table's sizes (capacity, then bytes) far inside 64 bits.
  static let maxStateLimit = 1_000_000_000_000

  /// The longest duration accepted: 100 years keeps every time sum inside 64 bits.
  static let maxDuration: Int64 = 100 * 365 * 86_400 * EventTime.nanosPerSecond

  /// Builds and checks the options from parsed arguments.
  init(_ args: ParsedArguments) throws(UsageError) {
    // The filters' message for a bad value offers `pass`, which is refused here next.
    if let text = args.value("foreign"), ForeignMode(rawValue: text) == nil {
      throw UsageError("--foreign takes reject or skip")
    }
    filter = try FilterOptions(args)
    if filter.foreign == .pass {
      throw UsageError("--foreign pass writes lines through: wa-aggregate takes reject or skip")
    }
    if let text = args.value("every") {
      guard let n = Int(text), n > 0 else {
        throw UsageError("--every takes a number of events ≥ 1, such as 1000")
      }
      every = n
    }
    if let text = args.value("interval") {
      interval = try Self.duration(text, flag: "interval")
    }
    if let text = args.value("tz") {
      do {
        aggregator.zone = try ZoneRule.parse(text)
      } catch {
        throw UsageError(
          "--tz: unknown time zone '\(TerminalEscape.escape(text))' "
            + "(an IANA name such as Africa/Nairobi, or an offset such as +03:00)")
      }
      zoneName = text
    }
    if let text = args.value("state-horizon") {
      aggregator.stateHorizon = try Self.duration(text, flag: "state-horizon")
    }
    if let text = args.value("max-state") {
      guard let n = FlagParser.parseCount(text), n >= 16, n <= Self.maxStateLimit else {
        throw UsageError(
          "--max-state takes a number of entries from 16 to 1000000M, such as 1000000 or 500k")
      }
      aggregator.maxState = n
    }
    if let text = args.value("reply-window") {
      aggregator.replyWindow = try Self.duration(text, flag: "reply-window")
    }
    if let path = args.value("rate-card") {
      aggregator.rateCard = try RateCard.load(path: path)
    }
    statePath = args.value("state")
    stateReset = args.has("state-reset")
    merge = args.has("merge")
    if statePath == "" { throw UsageError("--state: an empty file name was given") }
    if stateReset && (statePath == nil || statePath == "-" || merge) {
      throw UsageError("--state-reset needs --state FILE (and no --merge)")
    }
    if let path = statePath, path != "-" {
      try FilterOptions.refuseAnotherOutput(
        path, flag: "state", rejects: filter.rejectsPath, summaryJSON: filter.summaryJSONPath,
        "each save renames a new file over it, and the other's lines would go to the file "
          + "replaced")
    }
    if let text = args.value("threads"), text != "auto" {
      guard let n = Int(text), n == 1 || n == 2 else {
        throw UsageError("--threads takes 1, 2 or auto")
      }
      threads = n
    }
    try parseServiceDesk(args)
    try parseWindows(args)
    // `--state -` writes the state's text form on standard output in place of the records:
    // conversation records among its lines made it no state `--merge` would read.
    if statePath == "-" && !merge && aggregator.emitConversations {
      throw UsageError(
        "--emit conversations writes its records on standard output, where --state - writes "
          + "the state: give --state a FILE")
    }
    if merge { try Self.refuseAShardNamedTwice(filter.inputs) }
  }

  /// `--merge a.state a.state` (a glob and a name that overlap, a link beside its shard)
  /// merged one file twice without a word: every count doubled, distinct users not. Files
  /// are told apart by device and inode, so a link is the file it points at.
  private static func refuseAShardNamedTwice(_ inputs: [String]) throws(UsageError) {
    var named: [(identity: FileIdentity, path: String)] = []
    for path in inputs where path != "-" {
      guard let identity = FileIdentity(regularFileAt: path) else { continue }
      if let first = named.first(where: { $0.identity == identity }) {
        let again = first.path == path ? "is named twice" : "is the same file as \(first.path)"
        throw UsageError("--merge: \(path) \(again): its numbers would count twice")
      }
      named.append((identity, path))
    }
  }

  /// `--window`, `--grace`, `--since`, `--until`, `--no-snapshots` (after `--tz`).
  private mutating func parseWindows(_ args: ParsedArguments) throws(UsageError) {
    if let text = args.value("window") {
      guard let size = WindowSize(rawValue: text) else {
        throw UsageError(
          "--window: unknown size '\(TerminalEscape.escape(text))' (one of 15m, 30m, 1h, 1d, "
            + "1w, 1mo)")
      }
      aggregator.window = WindowConfiguration(size: size, zoneName: zoneName)
    }
    if let text = args.value("grace") {
      guard args.value("window") != nil else { throw UsageError("--grace needs --window") }
      // 0 is a fine grace, in any unit (`0`, `0s`, `0m`): complete as soon as the clock
      // passes the end.
      guard let grace = text == "0" ? 0 : Self.parseDuration(text), grace <= Self.maxDuration
      else {
        throw UsageError("--grace takes a duration such as 0, 30s, 5m or 1h (at most 36500d)")
      }
      // A window is forgotten, and final, a horizon after its end: it was then written as
      // complete though the clock had not passed end + grace, as docs/windows.md defines it.
      guard grace <= aggregator.stateHorizon else {
        throw UsageError(
          "--grace \(TerminalEscape.escape(text)) is longer than --state-horizon "
            + "\(StateFingerprint.duration(aggregator.stateHorizon)): a window is final a horizon "
            + "after its end (raise --state-horizon)")
      }
      aggregator.window?.grace = grace
    }
    if let text = args.value("since") {
      aggregator.since = try Self.time(text, flag: "since", zone: aggregator.zone)
    }
    if let text = args.value("until") {
      let until = try Self.time(text, flag: "until", zone: aggregator.zone)
      // Held at the last time events can have, where events past it are held too: the
      // half-open range left those out, so `--until 9999-12-31`, "no end", dropped an event
      // of a wrong clock (2500) that a run without it counts. At or past the bound is no end.
      aggregator.until = until >= EventTime.limit ? .max : until
    }
    if aggregator.since >= aggregator.until {
      // Both before the first time events can have: held there, they are one instant.
      let held =
        aggregator.until == -EventTime.limit
        ? " once both are held at the first time events can have ("
          + RFC3339.format(EventTime.timestamp(-EventTime.limit), fractionDigits: 0) + ")" : ""
      throw UsageError(
        "--since \(args.value("since") ?? "") is not before --until \(args.value("until") ?? "")"
          + "\(held): the range would be empty")
    }
    if args.has("no-snapshots") {
      // `--emit conversations` writes records of its own: with it, no window is needed.
      guard args.value("window") != nil || args.value("emit") != nil else {
        throw UsageError(
          "--no-snapshots needs --window or --emit conversations (there would be no output)")
      }
      snapshots = false
    }
  }

  /// `--since`/`--until`: an RFC 3339 time, or a local date `YYYY-MM-DD` (its first instant
  /// in `zone`), as nanoseconds.
  static func time(_ text: String, flag: String, zone: ZoneRule) throws(UsageError) -> Int64 {
    let shown = TerminalEscape.escape(text)
    let bytes = Array(text.utf8)
    if bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D {
      let digits = bytes.enumerated().filter { $0.offset != 4 && $0.offset != 7 }.map { $0.element }
      guard digits.allSatisfy({ $0 &- 0x30 < 10 }) else {
        throw UsageError("--\(flag): '\(shown)' is not a date YYYY-MM-DD nor an RFC 3339 time")
      }
      let n = digits.map { Int($0 - 0x30) }
      let year = n[0] * 1000 + n[1] * 100 + n[2] * 10 + n[3]
      let month = n[4] * 10 + n[5]
      let day = n[6] * 10 + n[7]
      guard (1...12).contains(month),
        (1...CivilCalendar.daysInMonth(year: Int64(year), month: month)).contains(day)
      else {
        throw UsageError("--\(flag): \(shown) is not a date (no such day in the calendar)")
      }
      let days = CivilCalendar.daysFromCivil(year: Int64(year), month: month, day: day)
      guard zone.hasRules(atEpochSeconds: days * 86_400) else {
        throw UsageError(
          "--\(flag): the zone \(TerminalEscape.escape(zone.name)) has no rules for \(shown) "
            + "(its data ends before that date)")
      }
      let start = zone.startOfLocalDay(days)
      let local = start + Int64(zone.offset(atEpochSeconds: start))
      guard CivilCalendar.floorDiv(local, 86_400) == days else {
        throw UsageError(
          "--\(flag): \(shown) does not exist in \(TerminalEscape.escape(zone.name)) "
            + "(its clocks skipped that whole day)")
      }
      // Clamped as every time is (EventTime.limit): a far date (`--until 9999-12-31`, "no
      // end") overflowed the nanoseconds.
      return EventTime.nanos(Timestamp(seconds: start, nanoseconds: 0))
    }
    let parsed = bytes.withUnsafeBytes { RFC3339.parse($0) }
    guard let t = parsed else {
      throw UsageError(
        "--\(flag): '\(shown)' is not an RFC 3339 time (2026-01-05T00:00:00+03:00) nor a "
          + "date (2026-01-05)")
    }
    return EventTime.nanos(t)
  }

  /// `--business-hours`, `--holidays`, `--sla`, `--emit` (after `--tz`, which they use).
  mutating func parseServiceDesk(_ args: ParsedArguments) throws(UsageError) {
    let holidaysPath = args.value("holidays")
    if let spec = args.value("business-hours") {
      do {
        let days = try holidaysPath.map { p throws(BusinessHoursError) in
          try BusinessHours.loadHolidays(path: p)
        }
        aggregator.businessHours = try BusinessHours.parse(
          spec, holidays: days ?? [], zone: aggregator.zone)
      } catch {
        throw UsageError(TerminalEscape.escape(error.message))
      }
    } else if holidaysPath != nil {
      throw UsageError(
        "--holidays needs --business-hours (holidays close whole days of business hours)")
    }
    if let text = args.value("sla") {
      aggregator.sla = try Self.slaTargets(text)
    }
    if let what = args.value("emit") {
      guard what == "conversations" else {
        throw UsageError(
          "--emit: unknown record kind '\(TerminalEscape.escape(what))' (use --emit conversations)")
      }
      aggregator.emitConversations = true
    }
  }

  /// `first-response=15m,resolution=24h` (either or both).
  static func slaTargets(_ text: String) throws(UsageError) -> SLATargets {
    let howTo =
      "write --sla first-response=15m,resolution=24h (either or both; durations "
      + "such as 90s, 15m, 4h, 2d, more than 0)"
    var targets = SLATargets()
    for item in text.split(separator: ",", omittingEmptySubsequences: false) {
      let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = parts.first.map(String.init) ?? ""
      guard parts.count == 2, name == "first-response" || name == "resolution" else {
        throw UsageError(
          "--sla: '\(TerminalEscape.escape(String(item)))' is not a target; \(howTo)")
      }
      guard let d = parseDuration(String(parts[1])), d > 0, d <= maxDuration else {
        throw UsageError(
          "--sla: \(name) target '\(TerminalEscape.escape(String(parts[1])))' is not a "
            + "duration above 0; \(howTo)")
      }
      // The same target twice is a typo or a paste: which one was meant is a guess.
      guard (name == "first-response" ? targets.firstResponse : targets.resolution) == nil else {
        throw UsageError("--sla: \(name) given twice; \(howTo)")
      }
      if name == "first-response" { targets.firstResponse = d } else { targets.resolution = d }
    }
    return targets
  }

  static func duration(_ text: String, flag: String) throws(UsageError) -> Int64 {
    guard let d = parseDuration(text), d > 0, d <= maxDuration else {
      throw UsageError(
        "--\(flag) takes a duration such as 500ms, 10s, 5m, 1h or 7d (more than 0, "
          + "at most 36500d)")
    }
    return d
  }

  /// Parses `500ms`, `10s`, `5m`, `1h`, `7d` into nanoseconds: a whole number and a unit
  /// (`ms`, `s`, `m`, `h`, `d`). Nil when malformed or too large for 64 bits.
  static func parseDuration(_ text: String) -> Int64? {
    let units: [(String, Int64)] = [
      ("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000),
      ("h", 3_600_000_000_000), ("d", 86_400_000_000_000),
    ]
    for (suffix, scale) in units where text.hasSuffix(suffix) {
      let digits = text.dropLast(suffix.count)
      guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
        let n = Int64(digits)
      else { return nil }
      let (v, overflow) = n.multipliedReportingOverflow(by: scale)
      return overflow ? nil : v
    }
    return nil
  }
}
