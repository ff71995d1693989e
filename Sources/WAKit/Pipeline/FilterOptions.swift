/// The version every tool reports (`--version`, rejects records, snapshots).
enum WATools {
  static let version = "1.0.0"
}

/// What a filter does with a foreign line (SPEC §2 "Foreign lines"): a JSON object that is
/// not a WhatsApp track event, from a collector log shared with other channels and calls.
enum ForeignMode: String, Sendable {
  /// Rejected like any other invalid line (the default: a CI gate stays strict).
  case reject
  /// Dropped and counted as `foreign`.
  case skip
  /// Written through untouched and counted as `foreign` (wa-validate and wa-enrich).
  case pass
}

/// The options every validating filter shares (wa-validate, wa-enrich, wa-aggregate).
struct FilterOptions: Sendable {
  /// Files to read in order; `-` is standard input. Empty means standard input.
  var inputs: [String] = []
  var rejectsPath: String? = nil
  var quiet = false
  var strict = false
  var exitZero = false
  var summaryJSONPath: String? = nil
  var maxLineBytes = 1 << 20
  /// `--foreign`.
  var foreign = ForeignMode.reject

  init() {}

  /// The largest accepted `--max-line-bytes`: offsets inside a line are 32-bit.
  static let maxLineBytesLimit = 1 << 30

  /// The shared flags, in `--help` order.
  static let flags: [Flag] = [
    Flag("rejects", value: "FILE", help: "append one JSON record per rejected line to FILE"),
    Flag("quiet", help: "no per-line diagnostics on stderr (the summary line stays)"),
    Flag("strict", help: "reject lines with warnings too (code warning:<name>)"),
    Flag("exit-zero", help: "exit 0 even when lines were rejected"),
    Flag("summary-json", value: "FILE", help: "write the end-of-run summary as JSON to FILE"),
    Flag(
      "max-line-bytes", value: "N",
      help: "reject lines longer than N bytes (default 1MiB; K/M/G suffixes)"),
    Flag(
      "foreign", value: "MODE",
      help: "lines that are not WhatsApp track events (identify, page, other channels):"
        + " reject (default), skip, or pass them through (wa-validate, wa-enrich)",
      choices: ["reject", "skip", "pass"]),
  ]

  /// Builds the options from parsed arguments.
  init(_ args: ParsedArguments) throws(UsageError) {
    inputs = args.operands
    rejectsPath = args.value("rejects")
    quiet = args.has("quiet")
    strict = args.has("strict")
    exitZero = args.has("exit-zero")
    summaryJSONPath = args.value("summary-json")
    if let text = args.value("max-line-bytes") {
      guard let n = FlagParser.parseSize(text), n <= Self.maxLineBytesLimit else {
        throw UsageError("--max-line-bytes takes a size from 1 to 1GiB, such as 65536 or 1M")
      }
      maxLineBytes = n
    }
    if let text = args.value("foreign") {
      guard let mode = ForeignMode(rawValue: text) else {
        throw UsageError("--foreign takes reject, skip or pass")
      }
      foreign = mode
    }
    for path in [rejectsPath, summaryJSONPath].compactMap({ $0 }) where path.isEmpty {
      throw UsageError("an empty file name was given")
    }
    // `-` names standard input among the inputs, and standard output elsewhere in Unix
    // tools; written to a file called `-` it would be lost to a user who meant either.
    for (flag, path) in [("rejects", rejectsPath), ("summary-json", summaryJSONPath)]
    where path == "-" {
      throw UsageError(
        "--\(flag) takes a file name, not '-' (standard output carries the tool's output; "
          + "/dev/stderr, or ./- for a file named '-')")
    }
    if let path = summaryJSONPath {
      try Self.refuseAnInput(path, flag: "summary-json", inputs, "it would be emptied unread")
    }
  }

  /// Refuses an output file that is also an input. `--summary-json` is opened, and emptied,
  /// before any input is read: naming an input there (`--summary-json *.ndjson` makes the
  /// glob's first file the summary) would empty it unread, with status 0 and the file lost;
  /// wa-report's `--output` would replace it once read. (Not applied to `--merge --state
  /// OUT`: merging OUT with a new shard into OUT is a fine way to keep a running total.)
  static func refuseAnInput(
    _ path: String, flag: String, _ inputs: [String], _ why: String
  ) throws(UsageError) {
    guard let output = FileIdentity(regularFileAt: path) else { return }
    for input in inputs.isEmpty ? ["-"] : inputs {
      let identity =
        input == "-"
        ? FileDescriptor.standardInput.regularFileIdentity : FileIdentity(regularFileAt: input)
      if identity == output {
        throw UsageError(
          "--\(flag) \(path) is also an input (\(input == "-" ? "standard input" : input)): "
            + why)
      }
    }
  }
}
