// wa-enrich: valid events out with the country of their phone number added.
import WAKit

let usage = """
  usage: wa-enrich [options] [FILE ...]

  Adds context.countryCode (the ISO 3166-1 region of the E.164 userId, as Google's
  libphonenumber resolves it: +1876 is JM, +77 is KZ, +441534 is JE) and context.callingCode
  ("254") to every valid event, keeping every other byte of the line as it was. Lines are
  validated exactly as wa-validate does; rejected lines are reported and not written.

  --pseudonymize KEYFILE replaces userId (and context.bsuid) by a keyed pseudonym, CC. and
  32 hex digits of HMAC-SHA-256 under the key file's bytes (KE.3f9a…), and drops
  context.username: the output holds no phone number or BSUID, and every metric that links
  events is unchanged. Make a key with: (umask 077; head -c 32 /dev/urandom > key)

  Options:
  \(ArgumentParser.optionsHelp(EnrichOptions.flags))
  Example:
    cat webhook.log | wa-enrich --rejects bad.ndjson | wa-aggregate

  Exit status: 0 every line valid, 1 a line was rejected, 2 usage error,
  3 an input could not be read or output could not be written.

  """

let stderr = OutputBuffer(fd: FileDescriptor.standardError, capacity: 1 << 14)
let options = Console.start(
  tool: "wa-enrich", usage: usage, flags: EnrichOptions.flags, stderr: stderr
) { args throws(UsageError) in try EnrichOptions(args) }
var sink = EnrichSink(
  out: OutputBuffer(fd: FileDescriptor.standardOutput), pseudonymKey: options.pseudonymKey)
Console.runFilter(tool: "wa-enrich", options: options.filter, sink: &sink, stderr: stderr)
