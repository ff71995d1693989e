/// wa-aggregate: valid events in, dashboard snapshots out (one JSON object per line).
enum AggregateTool: CommandLineTool {
  static let description = ToolDescription(
    name: "wa-aggregate",
    summary: "fold WhatsApp track events into dashboard metrics, written as snapshot lines",
    description: """
      Folds WhatsApp track events (NDJSON) into the dashboard's metrics — messages, the
      Sent → Delivered → Read → Replied funnel, response times, volume by hour, the day × hour
      heatmap, countries, agents, conversations, contacts, unique users; defined in
      docs/metrics.md — and writes snapshots of them, one JSON object per line: after every N
      events, every interval, and always a final one at the end (also on SIGINT, SIGTERM, SIGHUP). Lines
      are validated exactly as wa-validate does; rejected lines are reported and counted. Reads
      the FILEs in order, or standard input.
      """,
    flags: AggregateOptions.flags,
    examples: [
      "cat webhook.log | wa-validate | wa-aggregate",
      "tail -F events.ndjson | wa-aggregate --interval 10s --tz Africa/Nairobi | wa-report --watch",
      "tail -F -n +1 events.ndjson | wa-aggregate --state agg.state --interval 10s",
      "wa-aggregate --merge shard0.state shard1.state shard2.state",
    ],
    success: "every line valid", rejected: "a line was rejected")

  static func options(_ args: ParsedArguments) throws(UsageError) -> AggregateOptions {
    try AggregateOptions(args)
  }

  /// With `--state` and `--merge`: Sources/WAKit/Metrics/AggregateCommand.swift.
  static func run(_ options: AggregateOptions, stderr: OutputBuffer) -> ExitStatus {
    AggregateCommand.run(options, stderr: stderr)
  }
}
