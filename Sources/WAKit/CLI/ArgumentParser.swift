// CLI: what the executables share — the flag table, the filter driver that feeds lines
// through validation to a sink, and the mapping of outcomes to exit statuses.

/// One command-line option. A single table of these drives parsing, `--help` and the
/// README's flag list (a test checks the README against it).
public struct Flag: Sendable {
  /// Long name without dashes (`rejects`).
  public let name: String
  /// Placeholder of the value (`FILE`), or nil for a switch.
  public let value: String?
  public let help: String

  public init(_ name: String, value: String? = nil, help: String) {
    self.name = name
    self.value = value
    self.help = help
  }
}

/// A command-line mistake: exit status 2 with a short usage on stderr.
public struct UsageError: Error, Equatable, Sendable {
  public let message: String
  public init(_ message: String) { self.message = message }
}

/// Arguments split into options and operands.
public struct ParsedArguments: Sendable {
  public var switches: Set<String> = []
  public var values: [String: String] = [:]
  public var operands: [String] = []

  public func has(_ name: String) -> Bool { switches.contains(name) }
  public func value(_ name: String) -> String? { values[name] }
}

/// Parses `--name`, `--name VALUE`, `--name=VALUE`, `--` (end of options) and operands
/// (`-` alone is an operand: standard input). `-h` is accepted for `--help`.
public enum ArgumentParser {
  public static let common: [Flag] = [
    Flag("help", help: "show this help and exit"),
    Flag("version", help: "show the version and exit"),
  ]

  public static func parse(_ args: [String], flags: [Flag]) throws(UsageError) -> ParsedArguments {
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

  /// The options part of `--help`: one line a flag, aligned.
  public static func optionsHelp(_ flags: [Flag]) -> String {
    let all = flags + common
    let labels = all.map { f in "--\(f.name)" + (f.value.map { " \($0)" } ?? "") }
    let width = (labels.map(\.count).max() ?? 0) + 2
    var text = ""
    for (label, flag) in zip(labels, all) {
      text += "  " + label + String(repeating: " ", count: width - label.count) + flag.help + "\n"
    }
    return text
  }

  /// Parses a byte size: `65536`, `64K`, `1M`, `1MiB`, `2G` (binary multiples).
  public static func parseSize(_ text: String) -> Int? {
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
}
