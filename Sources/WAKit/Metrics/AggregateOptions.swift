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
