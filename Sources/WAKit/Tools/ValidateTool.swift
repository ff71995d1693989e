/// wa-validate: valid events pass through untouched; every other line is accounted for.
enum ValidateTool: CommandLineTool {
  static let description = ToolDescription(
    name: "wa-validate",
    summary: "check WhatsApp track events and pass the valid ones through unchanged",
    description: """
      Checks WhatsApp track events (NDJSON, one per line; the rules are in docs/contract.md).
      Valid lines are written to standard output byte for byte; each rejected line is reported
      with its line number, codes and JSON paths. Reads the FILEs in order, or standard input
      ('-' or no FILE).
      """,
    flags: FilterOptions.flags,
    examples: ["cat webhook.log | wa-validate --rejects bad.ndjson | wa-aggregate"],
    success: "every line valid", rejected: "a line was rejected")

  static func options(_ args: ParsedArguments) throws(UsageError) -> FilterOptions {
    try FilterOptions(args)
  }

  static func run(_ options: FilterOptions, stderr: OutputBuffer) -> ExitStatus {
    var sink = PassThroughSink(out: OutputBuffer(fd: FileDescriptor.standardOutput))
    return FilterRunner(tool: description.name, options: options, stderr: stderr)
      .run(sink: &sink).status
  }
}
