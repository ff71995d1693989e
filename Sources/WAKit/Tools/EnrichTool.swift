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
      """,
    flags: FilterOptions.flags,
    examples: ["cat webhook.log | wa-enrich --rejects bad.ndjson | wa-aggregate"],
    success: "every line valid", rejected: "a line was rejected")

  static func options(_ args: ParsedArguments) throws(UsageError) -> FilterOptions {
    try FilterOptions(args)
  }

  static func run(_ options: FilterOptions, stderr: OutputBuffer) -> ExitStatus {
    var sink = EnrichSink(out: OutputBuffer(fd: FileDescriptor.standardOutput))
    return FilterRunner(tool: description.name, options: options, stderr: stderr)
      .run(sink: &sink).status
  }
}
