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
        help: "also write records: 'conversations' (a wa.conversation line per chat.resolved)"),
    ] + FilterOptions.flags

  /// The longest duration accepted: 100 years keeps every time sum inside 64 bits.
  static let maxDuration: Int64 = 100 * 365 * 86_400 * EventTime.nanosPerSecond

  /// Builds and checks the options from parsed arguments.
  init(_ args: ParsedArguments) throws(UsageError) {
    filter = try FilterOptions(args)
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
      guard let n = FlagParser.parseCount(text), n >= 16 else {
        throw UsageError("--max-state takes a number of entries ≥ 16, such as 1000000 or 500k")
      }
      aggregator.maxState = n
    }
    if let text = args.value("reply-window") {
      aggregator.replyWindow = try Self.duration(text, flag: "reply-window")
    }
    try parseServiceDesk(args)
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
