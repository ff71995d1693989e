/// One command-line option. A tool's table of these drives parsing, `--help`, the man page,
/// the shell completions and the flag reference (`ToolDescription`).
struct Flag: Sendable {
  /// Long name without dashes (`rejects`).
  let name: String
  /// Placeholder of the value (`FILE`), or nil for a switch. `…FILE` completes file names.
  let value: String?
  let help: String
  /// The values the flag accepts, when they are a fixed list (completed by the shells).
  let choices: [String]
  /// Accepted but not documented (`--generate-doc`, for the build only).
  let hidden: Bool

  init(
    _ name: String, value: String? = nil, help: String, choices: [String] = [],
    hidden: Bool = false
  ) {
    self.name = name
    self.value = value
    self.help = help
    self.choices = choices
    self.hidden = hidden
  }

  /// `--name VALUE` or `--name`.
  var label: String { "--\(name)" + (value.map { " \($0)" } ?? "") }
  /// The value is a file name (`FILE`, `KEYFILE`).
  var takesFile: Bool { value?.hasSuffix("FILE") ?? false }
}

/// A command-line mistake: exit status 2 with a short usage on stderr.
struct UsageError: Error, Equatable, Sendable {
  let message: String
  init(_ message: String) { self.message = message }
}

/// Arguments split into options and operands.
struct ParsedArguments: Sendable {
  var switches: Set<String> = []
  var values: [String: String] = [:]
  var operands: [String] = []

  func has(_ name: String) -> Bool { switches.contains(name) }
  func value(_ name: String) -> String? { values[name] }
}

/// Parses `--name`, `--name VALUE`, `--name=VALUE`, `--` (end of options) and operands
/// (`-` alone is an operand: standard input). `-h` is accepted for `--help`.
enum FlagParser {
  /// The flags every tool has, after its own.
  static let common: [Flag] = [
    Flag("help", help: "show this help and exit"),
    Flag("version", help: "show the version and exit"),
    Flag(
      "generate-doc", value: "FORMAT", help: "print the man page, a completion script or flags",
      choices: DocumentFormat.allCases.map(\.rawValue), hidden: true),
  ]

  static func parse(_ args: [String], flags: [Flag]) throws(UsageError) -> ParsedArguments {
    var parsed = ParsedArguments()
    var i = 0
    var optionsEnded = false
    while i < args.count {
      let arg = args[i]
      i += 1
      if optionsEnded || arg == "-" || !arg.hasPrefix("-") {
        parsed.operands.append(arg)
        continue
      }
      if arg == "--" {
        optionsEnded = true
        continue
      }
      if arg == "-h" {
        parsed.switches.insert("help")
        continue
      }
      guard arg.hasPrefix("--") else { throw UsageError("unknown option '\(arg)'") }
      var name = String(arg.dropFirst(2))
      var inline: String? = nil
      if let eq = name.firstIndex(of: "=") {
        inline = String(name[name.index(after: eq)...])
        name = String(name[..<eq])
      }
      guard let flag = (common + flags).first(where: { $0.name == name }) else {
        throw UsageError("unknown option '--\(name)'")
      }
      if let placeholder = flag.value {
        if let inline {
          parsed.values[name] = inline
        } else if i < args.count {
          parsed.values[name] = args[i]
          i += 1
        } else {
          throw UsageError("option '--\(name)' needs a value (\(placeholder))")
        }
      } else {
        if inline != nil { throw UsageError("option '--\(name)' takes no value") }
        parsed.switches.insert(name)
      }
    }
    return parsed
  }

  /// Parses a byte size: `65536`, `64K`, `1M`, `1MiB`, `2G` (binary multiples).
  static func parseSize(_ text: String) -> Int? {
    var digits = Substring(text)
    var multiplier = 1
    for (suffixes, m) in [
      (["KiB", "K", "k"], 1 << 10), (["MiB", "M"], 1 << 20), (["GiB", "G"], 1 << 30),
    ] {
      if let s = suffixes.first(where: { digits.hasSuffix($0) }) {
        digits = digits.dropLast(s.count)
        multiplier = m
        break
      }
    }
    guard let n = Int(digits), n > 0 else { return nil }
    let (v, overflow) = n.multipliedReportingOverflow(by: multiplier)
    return overflow ? nil : v
  }

  /// Parses a count: `1000000`, `500k`, `2M` (decimal multiples, as counts are).
  static func parseCount(_ text: String) -> Int? {
    var digits = Substring(text)
    var multiplier = 1
    if let last = digits.last, let m = ["k": 1_000, "K": 1_000, "M": 1_000_000][last] {
      digits = digits.dropLast()
      multiplier = m
    }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits)
    else { return nil }
    let (v, overflow) = n.multipliedReportingOverflow(by: multiplier)
    return overflow ? nil : v
  }
}
