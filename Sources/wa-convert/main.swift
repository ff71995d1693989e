// wa-convert: raw WhatsApp webhook bodies in, track events out (SPEC §7).
import WAKit

let usage = """
  usage: wa-convert [options] [FILE ...]

  Turns the bodies Meta's WhatsApp Business Cloud API POSTs to a webhook (one JSON body per
  line, as an endpoint logs them; the retired On-Premises shape too) into track events
  (NDJSON) for wa-validate and wa-aggregate. Every entry, change, message and status of a
  body is converted, in order: messages to message.received; statuses sent, delivered, read
  and failed to message.sent, .delivered, .read and .failed. Reactions, system and group
  messages, played and unknown statuses, value.errors and other fields are skipped and
  counted. A body that is not JSON or not a webhook is rejected with its line number, codes
  and JSON paths, and none of its events is written. Reads the FILEs in order, or standard
  input ('-' or no FILE).

  Options:
  \(ArgumentParser.optionsHelp(ConvertOptions.flags))
  Example:
    wa-convert --rejects bad-bodies.ndjson meta-webhooks.log | wa-validate | wa-aggregate

  Exit status: 0 every body converted, 1 a body was rejected, 2 usage error,
  3 an input could not be read or output could not be written.

  """

let stderr = OutputBuffer(fd: FileDescriptor.standardError, capacity: 1 << 14)
let options = Console.start(
  tool: "wa-convert", usage: usage, flags: ConvertOptions.flags, stderr: stderr
) { args throws(UsageError) in try ConvertOptions(args) }
let result = ConvertRunner(options: options, stderr: stderr)
  .run(out: OutputBuffer(fd: FileDescriptor.standardOutput))
Signals.exit(status: Signals.pending == 0 ? result.status : 0)
