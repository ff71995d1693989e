/// wa-convert: raw WhatsApp webhook bodies in, track events out (SPEC §7).
enum ConvertTool: CommandLineTool {
  static let description = ToolDescription(
    name: "wa-convert",
    summary: "turn WhatsApp Business webhook bodies into track events",
    description: """
      Turns the bodies Meta's WhatsApp Business Cloud API POSTs to a webhook (one JSON body per
      line, as an endpoint logs them; the retired On-Premises shape too) into track events
      (NDJSON) for wa-validate and wa-aggregate. Every entry, change, message and status of a
      body is converted, in order: messages to message.received; statuses sent, delivered, read
      and failed to message.sent, .delivered, .read and .failed; the WhatsApp Business app's
      message echoes to message.sent. Reactions, system and group messages, played, payment and
      unknown statuses, value.errors and other fields are skipped and counted. A body that is
      not JSON or not a webhook is rejected with its line number, codes and JSON paths, and
      none of its events is written. Reads the FILEs in order, or standard input ('-' or no
      FILE).
      """,
    flags: ConvertOptions.flags,
    examples: [
      "wa-convert --rejects bad-bodies.ndjson meta-webhooks.log | wa-validate | wa-aggregate"
    ],
    success: "every body converted", rejected: "a body was rejected")

  static func options(_ args: ParsedArguments) throws(UsageError) -> ConvertOptions {
    try ConvertOptions(args)
  }

  static func run(_ options: ConvertOptions, stderr: OutputBuffer) -> ExitStatus {
    ConvertRunner(options: options, stderr: stderr)
      .run(out: OutputBuffer(fd: FileDescriptor.standardOutput)).status
  }
}
