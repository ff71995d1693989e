// wa-enrich: valid events out with the country of their phone number added.
import WAKit

let usage = """
  usage: wa-enrich [options] [FILE ...]

  Adds context.countryCode (the ISO 3166-1 region of the E.164 userId, as Google's
  libphonenumber resolves it: +1876 is JM, +77 is KZ, +441534 is JE) and context.callingCode
  ("254") to every valid event, keeping every other byte of the line as it was. Lines are
  validated exactly as wa-validate does; rejected lines are reported and not written.

  Options:
  \(ArgumentParser.optionsHelp(FilterOptions.flags))
  Example:
    cat webhook.log | wa-enrich --rejects bad.ndjson | wa-aggregate

  Exit status: 0 every line valid, 1 a line was rejected, 2 usage error,
  3 an input could not be read or output could not be written.

  """

let stderr = OutputBuffer(fd: FileDescriptor.standardError, capacity: 1 << 14)
let options = Console.start(
  tool: "wa-enrich", usage: usage, flags: FilterOptions.flags, stderr: stderr
) { args throws(UsageError) in try FilterOptions(args) }
var sink = EnrichSink(out: OutputBuffer(fd: FileDescriptor.standardOutput))
Console.runFilter(tool: "wa-enrich", options: options, sink: &sink, stderr: stderr)
