/// wa-enrich: valid events out with the country of their phone number added.
enum EnrichTool: CommandLineTool {
  static let description = ToolDescription(
    name: "wa-enrich",
    summary: "add the country and calling code of the phone number to WhatsApp track events",
    description: """
      Adds context.countryCode (the ISO 3166-1 region of the E.164 userId, as Google's
      libphonenumber resolves it: +1876 is JM, +77 is KZ, +441534 is JE) and context.callingCode
      ("254") to every valid event, keeping every other byte of the line as it was. Lines are
      validated exactly as wa-validate does; rejected lines are reported and not written.

      --pseudonymize KEYFILE replaces userId (and context.bsuid) by a keyed pseudonym, CC. and
      32 hex digits of HMAC-SHA-256 under the key file's bytes (KE.3f9a…), and drops
      context.username; every metric that links events is unchanged. Every other member is
      kept as it is: a chatId or messageId that encodes the number (wa-convert's do) still
      does; see docs/privacy.md. Make a key with: (umask 077; head -c 32 /dev/urandom > key)
      """,
    flags: EnrichOptions.flags,
    examples: ["cat webhook.log | wa-enrich --rejects bad.ndjson | wa-aggregate"],
    success: "every line valid", rejected: "a line was rejected")

  static func options(_ args: ParsedArguments) throws(UsageError) -> EnrichOptions {
    try EnrichOptions(args)
  }

  static func run(_ options: EnrichOptions, stderr: OutputBuffer) -> ExitStatus {
    var sink = EnrichSink(
      out: OutputBuffer(fd: FileDescriptor.standardOutput), pseudonymKey: options.pseudonymKey)
    return FilterRunner(tool: description.name, options: options.filter, stderr: stderr)
      .run(sink: &sink).status
  }
}
