#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The options of wa-report (SPEC §6).
public struct ReportOptions: Sendable {
  public enum Format: String, Sendable, CaseIterable {
    case text, prometheus
  }

  /// Files to read in order; `-` is standard input. Empty means standard input.
  public var inputs: [String] = []
  public var format = Format.text
  public var outputPath: String? = nil
  public var watch = false
  public var ascii = false
  /// Snapshots are one line each and grow with the number of countries and agents: the
  /// limit is far above the filters' 1 MiB, and only bounds memory against garbage input.
  public var maxLineBytes = 16 << 20

  public init() {}

  /// The flags, in `--help` order.
  static let flags: [Flag] = [
    Flag(
      "format", value: "FORMAT",
      help: "text (default: the dashboard) or prometheus (text exposition format)",
      choices: Format.allCases.map(\.rawValue)),
    Flag(
      "output", value: "FILE",
      help: "write each rendering to FILE by atomic replace instead of standard output"),
    Flag("watch", help: "on a terminal, redraw the latest snapshot in place (for tail -F)"),
    Flag("ascii", help: "plain ASCII: no Unicode blocks, lines or accented letters"),
    Flag(
      "max-line-bytes", value: "N",
      help: "longest snapshot line accepted (default 16MiB; K/M/G suffixes)"),
  ]

  init(_ args: ParsedArguments) throws(UsageError) {
    inputs = args.operands
    if let text = args.value("format") {
      guard let format = Format(rawValue: text) else {
        throw UsageError("--format takes text or prometheus, not '\(TerminalEscape.escape(text))'")
      }
      self.format = format
    }
    outputPath = args.value("output")
    if let path = outputPath, path.isEmpty || path.hasSuffix("/") {
      throw UsageError("--output takes a file name, not a folder")
    }
    watch = args.has("watch")
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
public struct ReportTerminal: Sendable, Equatable {
  /// Standard output is a terminal.
  public var isTerminal: Bool
  /// `NO_COLOR` is set to a non-empty value (no-color.org).
  public var noColor: Bool
  /// `TERM=dumb`: no colours and no cursor movement.
  public var dumb: Bool
  /// The terminal's height in rows, when known.
  public var rows: Int?

  public init(isTerminal: Bool = false, noColor: Bool = false, dumb: Bool = false, rows: Int? = nil)
  {
    self.isTerminal = isTerminal
    self.noColor = noColor
    self.dumb = dumb
    self.rows = rows
  }

  /// The terminal (or not) on standard output and the environment's wishes.
  public static func detect() -> ReportTerminal {
    let isTerminal = FileDescriptor.isTerminal(FileDescriptor.standardOutput)
    return ReportTerminal(
      isTerminal: isTerminal, noColor: !(environment("NO_COLOR") ?? "").isEmpty,
      dumb: environment("TERM") == "dumb", rows: isTerminal ? currentRows() : nil)
  }

  /// The height of the terminal on standard output now (it may have been resized).
  public static func currentRows() -> Int? {
    var size = winsize()
    guard ioctl(FileDescriptor.standardOutput, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0
    else { return nil }
    return Int(size.ws_row)
  }

  private static func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }
}
