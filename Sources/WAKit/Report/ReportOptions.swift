#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The options of wa-report (SPEC §6).
struct ReportOptions: Sendable {
  enum Format: String, Sendable, CaseIterable {
    case text, prometheus, html, csv
  }

  /// Files to read in order; `-` is standard input. Empty means standard input.
  var inputs: [String] = []
  var format = Format.text
  var outputPath: String? = nil
  var watch = false
  var ascii = false
  /// `--table`: the table `--format csv` writes.
  var table: CSVTable.Name? = nil
  /// `--refresh`: seconds between reloads of the HTML page, nil for none.
  var refreshSeconds: Int? = nil
  /// Snapshots are one line each and grow with the number of countries and agents: the
  /// limit is far above the filters' 1 MiB, and only bounds memory against garbage input.
  /// It must take the largest snapshot wa-aggregate writes: every label map full (10,000
  /// agents, 1,000 templates …) of 256-byte labels of control characters, each written
  /// `\u0001`, makes about 40 MB; at 16 MiB, 10,000 such agents (19 MB) were refused.
  var maxLineBytes = 64 << 20

  init() {}

  /// The flags, in `--help` order.
  static let flags: [Flag] = [
    Flag(
      "format", value: "FORMAT",
      help:
        "text (default: the dashboard), prometheus (text exposition format), html (a "
        + "self-contained page) or csv (one table, with --table)",
      choices: Format.allCases.map(\.rawValue)),
    Flag(
      "table", value: "NAME",
      help: "with --format csv: agents, countries, templates, campaigns, windows or conversations",
      choices: CSVTable.Name.allCases.map(\.rawValue)),
    Flag(
      "refresh", value: "DURATION",
      help: "with --format html: the page reloads itself every DURATION (30s, 5m; default never)"),
    Flag(
      "output", value: "FILE",
      help: "write each rendering to FILE by atomic replace instead of standard output"),
    Flag("watch", help: "on a terminal, redraw the latest snapshot in place (for tail -F)"),
    Flag("ascii", help: "plain ASCII: no Unicode blocks, lines or accented letters"),
    Flag(
      "max-line-bytes", value: "N",
      help: "longest snapshot line accepted (default 64MiB; K/M/G suffixes)"),
  ]

  init(_ args: ParsedArguments) throws(UsageError) {
    inputs = args.operands
    if let text = args.value("format") {
      guard let format = Format(rawValue: text) else {
        throw UsageError(
          "--format takes text, prometheus, html or csv, not '\(TerminalEscape.escape(text))'")
      }
      self.format = format
    }
    outputPath = args.value("output")
    if let path = outputPath, path.isEmpty || path.hasSuffix("/") {
      throw UsageError("--output takes a file name, not a folder")
    }
    if outputPath == "-" {
      throw UsageError(
        "--output takes a file name, not '-': without --output the rendering goes to standard "
          + "output (./- for a file named '-')")
    }
    // Each rendering is renamed over FILE, which replaces whatever is there: a device
    // (`--output /dev/null`, which run as root became a regular file), a FIFO or the
    // target of a link such as /dev/stdout would be lost, not written to.
    if let path = outputPath {
      var st = stat()
      if stat(path, &st) == 0, st.st_mode & S_IFMT != S_IFREG {
        throw UsageError(
          "--output \(TerminalEscape.escape(path)) is not a regular file: each rendering is "
            + "renamed over FILE, which would replace it (without --output the rendering goes "
            + "to standard output)")
      }
    }
    // Each rendering replaces FILE: an input named there (`--output *.ndjson`) would be
    // replaced by a dashboard once read.
    if let path = outputPath {
      try FilterOptions.refuseAnInput(
        path, flag: "output", inputs, "it would be replaced by its own rendering")
    }
    if let text = args.value("table") {
      guard let table = CSVTable.Name(rawValue: text) else {
        let names = CSVTable.Name.allCases.map(\.rawValue).joined(separator: ", ")
        throw UsageError("--table takes one of \(names), not '\(TerminalEscape.escape(text))'")
      }
      guard format == .csv else { throw UsageError("--table goes with --format csv") }
      self.table = table
    } else if format == .csv {
      throw UsageError("--format csv needs --table NAME (agents, countries, templates, …)")
    }
    if let text = args.value("refresh") {
      guard format == .html else { throw UsageError("--refresh goes with --format html") }
      guard let ns = AggregateOptions.parseDuration(text), ns >= 1_000_000_000,
        ns <= AggregateOptions.maxDuration
      else {
        throw UsageError(
          "--refresh takes a duration of 1s or more, at most 36500d, such as 30s or 5m")
      }
      refreshSeconds = Int(min(ns / 1_000_000_000, 86_400 * 365))
    }
    watch = args.has("watch")
    if watch && (format == .html || format == .csv) {
      throw UsageError("--watch redraws a terminal; --format \(format.rawValue) writes a file")
    }
    ascii = args.has("ascii")
    if watch && outputPath != nil {
      throw UsageError("--watch redraws a terminal; with --output each snapshot replaces FILE")
    }
    if let text = args.value("max-line-bytes") {
      guard let n = FlagParser.parseSize(text), n <= FilterOptions.maxLineBytesLimit else {
        throw UsageError("--max-line-bytes takes a size from 1 to 1GiB, such as 64M")
      }
      maxLineBytes = n
    }
  }
}

/// What wa-report needs to know about where its output goes, read once at start-up.
struct ReportTerminal: Sendable, Equatable {
  /// Standard output is a terminal.
  var isTerminal: Bool
  /// `NO_COLOR` is set to a non-empty value (no-color.org).
  var noColor: Bool
  /// `TERM=dumb`: no colours and no cursor movement.
  var dumb: Bool
  /// The terminal's height in rows, when known.
  var rows: Int?

  init(isTerminal: Bool = false, noColor: Bool = false, dumb: Bool = false, rows: Int? = nil) {
    self.isTerminal = isTerminal
    self.noColor = noColor
    self.dumb = dumb
    self.rows = rows
  }

  /// The terminal (or not) on standard output and the environment's wishes.
  static func detect() -> ReportTerminal {
    let isTerminal = FileDescriptor.standardOutput.isTerminal
    return ReportTerminal(
      isTerminal: isTerminal, noColor: !(environment("NO_COLOR") ?? "").isEmpty,
      dumb: environment("TERM") == "dumb", rows: isTerminal ? currentSize().rows : nil)
  }

  /// The size of the terminal on standard output now (it may have been resized), in rows
  /// and columns, each nil when unknown.
  static func currentSize() -> (rows: Int?, columns: Int?) {
    var size = winsize()
    guard ioctl(FileDescriptor.standardOutput.rawValue, UInt(TIOCGWINSZ), &size) == 0 else {
      return (nil, nil)
    }
    return (
      size.ws_row > 0 ? Int(size.ws_row) : nil, size.ws_col > 0 ? Int(size.ws_col) : nil
    )
  }

  /// The rows `line` takes on a terminal `columns` wide: a line wider than the terminal
  /// wraps. Escape sequences (the dashboard's colours) take no room; 0 columns (unknown)
  /// counts one row a line.
  static func rowsTaken(by line: Substring, columns: Int) -> Int {
    guard columns > 0 else { return 1 }
    var width = 0
    var inEscape = false
    for scalar in line.unicodeScalars {
      if inEscape {
        // A CSI sequence ends at its final byte (0x40-0x7E); `[` opens it.
        if scalar != "[" && (0x40...0x7E).contains(scalar.value) { inEscape = false }
        continue
      }
      if scalar == "\u{1B}" {
        inEscape = true
        continue
      }
      width += DisplayWidth.of(scalar)
    }
    return max(1, (width + columns - 1) / columns)
  }

  private static func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }
}
