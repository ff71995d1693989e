#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

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
      try Self.refuseAnotherOutput(
        path, flag: "summary-json", rejects: rejectsPath,
        "the summary would be written over the start of the other's lines")
    }
  }

  /// Refuses an output file that is also `--rejects` or standard output. Two outputs in one
  /// file spoil each other without a word: `--summary-json` written at the end over the
  /// first rejects records, or over the first lines of `> FILE`; wa-aggregate's `--state`
  /// renamed over the rejects, the summary or the output, which went to the file replaced.
  static func refuseAnotherOutput(
    _ path: String, flag: String, rejects: String?, summaryJSON: String? = nil, _ why: String
  ) throws(UsageError) {
    for (other, name) in [(rejects, "--rejects"), (summaryJSON, "--summary-json")] {
      if let other, sameFile(path, other) {
        throw UsageError("--\(flag) \(path) is also \(name): \(why)")
      }
    }
    if let output = FileDescriptor.standardOutput.regularFileIdentity,
      FileIdentity(regularFileAt: path) == output
    {
      throw UsageError("--\(flag) \(path) is also standard output: \(why)")
    }
  }

  /// Whether two paths name one regular file: the same one where either exists, else the
  /// same name in the same folder (`out.json` and `./out.json`, neither written yet). A
  /// pipe or a terminal (`/dev/stdout` twice) takes two outputs in turn without harm.
  static func sameFile(_ a: String, _ b: String) -> Bool {
    func identity(_ path: String) -> (UInt64, UInt64)? {
      var st = stat()
      guard stat(path, &st) == 0 else { return nil }
      return (UInt64(st.st_dev), UInt64(st.st_ino))
    }
    if identity(a) != nil || identity(b) != nil {
      guard let fa = FileIdentity(regularFileAt: a) else { return false }
      return fa == FileIdentity(regularFileAt: b)
    }
    func split(_ path: String) -> (folder: String, name: Substring) {
      guard let slash = path.lastIndex(of: "/") else { return (".", Substring(path)) }
      let folder = String(path[...slash])
      return (folder, path[path.index(after: slash)...])
    }
    let (fa, fb) = (split(a), split(b))
    guard fa.name == fb.name, let da = identity(fa.folder), let db = identity(fb.folder) else {
      return false
    }
    return da == db
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
