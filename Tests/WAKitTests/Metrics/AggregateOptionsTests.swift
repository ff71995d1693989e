import Testing

@testable import WAKit

/// wa-aggregate's flags: values, defaults and usage errors.
@Suite("wa-aggregate: options")
struct AggregateOptionsTests {
  static func options(_ args: [String]) throws(UsageError) -> AggregateOptions {
    try AggregateOptions(try FlagParser.parse(args, flags: AggregateOptions.flags))
  }

  @Test func durationsTakeAWholeNumberAndAUnit() {
    #expect(AggregateOptions.parseDuration("500ms") == 500_000_000)
    #expect(AggregateOptions.parseDuration("10s") == 10_000_000_000)
    #expect(AggregateOptions.parseDuration("5m") == 300_000_000_000)
    #expect(AggregateOptions.parseDuration("1h") == 3_600_000_000_000)
    #expect(AggregateOptions.parseDuration("7d") == 604_800_000_000_000)
    for bad in ["", "10", "ms", "1.5h", "-1s", "+1s", "10x", "1 h", "٣s", "99999999999d"] {
      #expect(AggregateOptions.parseDuration(bad) == nil, "\(bad)")
    }
  }

  @Test func defaultsAreUTCSevenDaysOneMillionAndADay() throws {
    let o = try Self.options([])
    #expect(o.every == nil && o.interval == nil && o.zoneName == "UTC")
    #expect(o.aggregator.stateHorizon == 7 * 86_400 * 1_000_000_000)
    #expect(o.aggregator.replyWindow == 86_400 * 1_000_000_000)
    #expect(o.aggregator.maxState == 1_000_000)
  }

  @Test func flagsSetTheirValues() throws {
    let o = try Self.options([
      "--every", "100", "--interval=250ms", "--tz", "+03:00", "--state-horizon", "2d",
      "--max-state", "500k", "--reply-window", "1h", "--quiet", "in.ndjson",
    ])
    #expect(o.every == 100 && o.interval == 250_000_000 && o.zoneName == "+03:00")
    #expect(o.aggregator.zone.offset(atEpochSeconds: 0) == 10_800)
    #expect(o.aggregator.stateHorizon == 2 * 86_400 * 1_000_000_000)
    #expect(o.aggregator.maxState == 500_000 && o.aggregator.replyWindow == 3_600_000_000_000)
    #expect(o.filter.quiet && o.filter.inputs == ["in.ndjson"])
  }

  @Test func badValuesAreUsageErrors() {
    for args in [
      ["--every", "0"], ["--every", "x"], ["--interval", "0s"], ["--interval", "10"],
      ["--tz", "Mars/Olympus_Mons"], ["--tz", "../../etc/passwd"], ["--max-state", "3"],
      ["--reply-window", "soon"], ["--state-horizon", "36501d"], ["--every"],
    ] {
      #expect(throws: UsageError.self, "\(args)") { try Self.options(args) }
    }
  }
}
