/// wa-report: renders wa-aggregate's snapshots as a terminal dashboard, Prometheus metrics,
/// an HTML page or CSV tables.
enum ReportTool: CommandLineTool {
  static let description = ToolDescription(
    name: "wa-report",
    summary:
      "render wa-aggregate's snapshots as a terminal dashboard, Prometheus metrics, an HTML page "
      + "or CSV tables",
    description: """
      Renders each snapshot line that wa-aggregate writes (docs/metrics.md): as a dashboard for a
      terminal (headline numbers, funnel, volume by hour, day × hour heatmap, countries, agents,
      response times, conversations), in the Prometheus text exposition format, as one
      self-contained HTML page (--format html) or as one CSV table (--format csv --table
      NAME); window and conversation records (version 2) feed the page's trend and tables.
      Reads the FILEs in order, or standard input ('-' or no FILE). Colour only on a
      terminal, never with NO_COLOR set.
      """,
    flags: ReportOptions.flags,
    examples: [
      "cat webhook.log | wa-validate | wa-enrich | wa-aggregate | wa-report",
      "tail -F events.ndjson | wa-aggregate --interval 10s | wa-report --watch",
      """
      wa-aggregate --interval 15s < events.ndjson \\
        | wa-report --format prometheus --output /var/lib/node_exporter/textfile/wa.prom
      """,
      """
      wa-aggregate --interval 30s < events.ndjson \\
        | wa-report --format html --refresh 30s --output /var/www/wa/index.html
      """,
      "wa-aggregate < events.ndjson | wa-report --format csv --table agents > agents.csv",
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
