/// wa-report: renders wa-aggregate's snapshots as a terminal dashboard or Prometheus metrics.
enum ReportTool: CommandLineTool {
  static let description = ToolDescription(
    name: "wa-report",
    summary: "render wa-aggregate's snapshots as a terminal dashboard or Prometheus metrics",
    description: """
      Renders each snapshot line that wa-aggregate writes (SPEC §5): as a dashboard for a
      terminal (headline numbers, funnel, volume by hour, day × hour heatmap, countries, agents,
      response times, conversations), or in the Prometheus text exposition format. Reads the
      FILEs in order, or standard input ('-' or no FILE). Colour only on a terminal, never
      with NO_COLOR set.
      """,
    flags: ReportOptions.flags,
    examples: [
      "cat webhook.log | wa-validate | wa-enrich | wa-aggregate | wa-report",
      "tail -F events.ndjson | wa-aggregate --interval 10s | wa-report --watch",
      """
      wa-aggregate --interval 15s < events.ndjson \\
        | wa-report --format prometheus --output /var/lib/node_exporter/textfile/wa.prom
      """,
    ],
    success: "every line rendered", rejected: "a line was not a snapshot")

  static func options(_ args: ParsedArguments) throws(UsageError) -> ReportOptions {
    try ReportOptions(args)
  }

  static func run(_ options: ReportOptions, stderr: OutputBuffer) -> ExitStatus {
    ReportRunner(options: options, terminal: ReportTerminal.detect(), stderr: stderr)
      .run(stdout: OutputBuffer(fd: FileDescriptor.standardOutput))
  }
}
