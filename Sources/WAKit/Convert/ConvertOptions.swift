// Convert: raw WhatsApp webhook bodies (Meta Cloud API, and the retired On-Premises API)
// in, track events (SPEC §2) out — wa-convert, SPEC §7.

/// The options of wa-convert: the shared filter options that make sense for webhook bodies
/// (no `--strict`: a body has no warnings), and the two mapping switches.
struct ConvertOptions: Sendable {
  /// Inputs, `--rejects`, `--quiet`, `--exit-zero`, `--summary-json`, `--max-line-bytes`.
  var filter = FilterOptions()
  /// `--no-sent`: `sent` statuses are skipped (reason `status_sent`), for users whose own
  /// send log already emits `message.sent` with `agentId` and `templateId`.
  var noSent = false
  /// `--include-reactions`: reactions become `message.received` with `contentType`
  /// `"reaction"` instead of being skipped.
  var includeReactions = false
  /// `--include-welcome`: `request_welcome` (a user opening the chat) becomes
  /// `message.received` with `contentType` `"request_welcome"` instead of being skipped.
  var includeWelcome = false

  /// Meta documents webhook bodies of up to 3 MB, so the default line limit is 4 MiB, not
  /// the 1 MiB of the tools that read track events.
  static let defaultMaxLineBytes = 4 << 20

  init() {
    filter.maxLineBytes = Self.defaultMaxLineBytes
  }

  /// The flags, in `--help` order.
  static let flags: [Flag] =
    FilterOptions.flags.filter { !["strict", "max-line-bytes", "foreign"].contains($0.name) } + [
      Flag(
        "max-line-bytes", value: "N",
        help: "reject bodies longer than N bytes (default 4MiB; K/M/G suffixes)"),
      Flag("no-sent", help: "skip 'sent' statuses (your send log already has message.sent)"),
      Flag(
        "include-reactions",
        help: "emit reactions as message.received with contentType \"reaction\""),
      Flag(
        "include-welcome",
        help: "emit request_welcome (a user opening the chat) as message.received"),
    ]

  init(_ args: ParsedArguments) throws(UsageError) {
    filter = try FilterOptions(args)
    if args.value("max-line-bytes") == nil { filter.maxLineBytes = Self.defaultMaxLineBytes }
    noSent = args.has("no-sent")
    includeReactions = args.has("include-reactions")
    includeWelcome = args.has("include-welcome")
  }
}
