// wa-report: renders wa-aggregate's snapshots as a terminal dashboard or Prometheus metrics.
import WAKit

let usage = """
  usage: wa-report [options] [FILE ...]

  Renders each snapshot line that wa-aggregate writes (SPEC §5): as a dashboard for a
  terminal (headline numbers, funnel, volume by hour, day × hour heatmap, countries, agents,
  response times, conversations), or in the Prometheus text exposition format. Reads the
  FILEs in order, or standard input ('-' or no FILE). Colour only on a terminal, never
  with NO_COLOR set.

  Options:
  \(ArgumentParser.optionsHelp(ReportOptions.flags))
  Examples:
    cat webhook.log | wa-validate | wa-enrich | wa-aggregate | wa-report
    tail -F events.ndjson | wa-aggregate --interval 10s | wa-report --watch
    wa-aggregate --interval 15s < events.ndjson \\
      | wa-report --format prometheus --output /var/lib/node_exporter/textfile/wa.prom

  Exit status: 0 every line rendered, 1 a line was not a snapshot, 2 usage error,
  3 an input could not be read or output could not be written.

  """

Signals.install()
let stderr = OutputBuffer(fd: FileDescriptor.standardError, capacity: 1 << 14)
let options: ReportOptions
do {
  let args = try ArgumentParser.parse(
    Array(CommandLine.arguments.dropFirst()), flags: ReportOptions.flags)
  if args.has("help") { Console.printAndExit(usage) }
  if args.has("version") { Console.printAndExit("wa-report \(WATools.version)\n") }
  options = try ReportOptions(args)
} catch {
  Console.usageError(tool: "wa-report", error, stderr: stderr)
}
let status = ReportRunner(options: options, terminal: ReportTerminal.detect(), stderr: stderr)
  .run(stdout: OutputBuffer(fd: FileDescriptor.standardOutput))
Signals.exit(status: Signals.pending == 0 ? status : 0)
