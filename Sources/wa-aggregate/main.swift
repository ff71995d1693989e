// wa-aggregate: valid events in, dashboard snapshots out (one JSON object per line).
import WAKit

let usage = """
  usage: wa-aggregate [options] [FILE ...]

  Folds WhatsApp track events (NDJSON; SPEC §5) into the dashboard's metrics — messages, the
  Sent → Delivered → Read → Replied funnel, response times, volume by hour, the day × hour
  heatmap, countries, agents, conversations, contacts, unique users — and writes snapshots of
  them, one JSON object per line: after every N events, every interval, and always a final
  one at the end (also on SIGINT/SIGTERM). Lines are validated exactly as wa-validate does;
  rejected lines are reported and counted. Reads the FILEs in order, or standard input.

  Options:
  \(ArgumentParser.optionsHelp(AggregateOptions.flags))
  Examples:
    cat webhook.log | wa-validate | wa-aggregate
    tail -F events.ndjson | wa-aggregate --interval 10s --tz Africa/Nairobi | wa-report --watch

  Exit status: 0 every line valid, 1 a line was rejected, 2 usage error,
  3 an input could not be read or output could not be written.

  """

let stderr = OutputBuffer(fd: FileDescriptor.standardError, capacity: 1 << 14)
let options = Console.start(
  tool: "wa-aggregate", usage: usage, flags: AggregateOptions.flags, stderr: stderr
) { args throws(UsageError) in try AggregateOptions(args) }
AggregateCommand.run(options, stderr: stderr)
