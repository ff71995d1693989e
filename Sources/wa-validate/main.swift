// wa-validate: valid events pass through untouched; every other line is accounted for.
import WAKit

let usage = """
  usage: wa-validate [options] [FILE ...]

  Checks WhatsApp track events (NDJSON, one per line; SPEC §2). Valid lines are written to
  standard output byte for byte; each rejected line is reported with its line number, codes
  and JSON paths. Reads the FILEs in order, or standard input ('-' or no FILE).

  Options:
  \(ArgumentParser.optionsHelp(FilterOptions.flags))
  Example:
    cat webhook.log | wa-validate --rejects bad.ndjson | wa-aggregate

  Exit status: 0 every line valid, 1 a line was rejected, 2 usage error,
  3 an input could not be read or output could not be written.

  """

let stderr = OutputBuffer(fd: FileDescriptor.standardError, capacity: 1 << 14)
let options = Console.start(
  tool: "wa-validate", usage: usage, flags: FilterOptions.flags, stderr: stderr
) { args throws(UsageError) in try FilterOptions(args) }
var sink = PassThroughSink(out: OutputBuffer(fd: FileDescriptor.standardOutput))
Console.runFilter(tool: "wa-validate", options: options, sink: &sink, stderr: stderr)
