/// Everything a user reads about a tool, in one value: `--help`, the man page, the shell
/// completions and the flag reference are all rendered from it, so they cannot disagree.
struct ToolDescription: Sendable {
  /// `wa-validate`.
  let name: String
  /// One line for the man page's NAME section and the completions: lower case, no period.
  let summary: String
  /// What follows the name in the synopsis.
  let operands: String
  /// Paragraphs separated by a blank line; lines already wrapped for a terminal.
  let description: String
  /// The tool's own flags, in help order (`FlagParser.common` follows them).
  let flags: [Flag]
  /// Command lines; a long one may continue on the next line after ` \`.
  let examples: [String]
  /// What 0 and 1 mean for this tool (2 and 3 mean the same for every tool).
  let success: String
  let rejected: String

  init(
    name: String, summary: String, operands: String = "[FILE ...]", description: String,
    flags: [Flag], examples: [String], success: String, rejected: String
  ) {
    self.name = name
    self.summary = summary
    self.operands = operands
    self.description = description
    self.flags = flags
    self.examples = examples
    self.success = success
    self.rejected = rejected
  }

  /// The synopsis line, as `--help` starts.
  var synopsis: String { "\(name) [options] \(operands)" }

  /// The flags a user sees: the tool's, then help and version.
  var documentedFlags: [Flag] { (flags + FlagParser.common).filter { !$0.hidden } }

  /// Every exit status with its meaning for this tool, in order.
  var exitStatuses: [(status: ExitStatus, meaning: String)] {
    ExitStatus.allCases.map { status in
      switch status {
      case .success: (status, success)
      case .rejected: (status, rejected)
      default: (status, ExitStatus.commonMeanings[status] ?? "")
      }
    }
  }

  /// The `--help` text.
  var help: String {
    var text = "usage: \(synopsis)\n\n\(description)\n\nOptions:\n"
    let labels = documentedFlags.map(\.label)
    let width = (labels.map(\.count).max() ?? 0) + 2
    for (label, flag) in zip(labels, documentedFlags) {
      text += "  " + label + String(repeating: " ", count: width - label.count) + flag.help + "\n"
    }
    text += examples.count == 1 ? "\nExample:\n" : "\nExamples:\n"
    for example in examples { text += "  " + example.replacing("\n", with: "\n  ") + "\n" }
    text +=
      "\n"
      + Self.wrap(
        "Exit status:", exitStatuses.map { "\($0.status.rawValue) \($0.meaning)" }, width: 92)
    return text
  }

  /// `head item, item, … item.` cut into lines of at most `width` columns between items.
  static func wrap(_ head: String, _ items: [String], width: Int) -> String {
    var lines = [head]
    for (i, item) in items.enumerated() {
      let piece = item + (i == items.count - 1 ? "." : ",")
      if lines[lines.count - 1].count + 1 + piece.count > width {
        lines.append(piece)
      } else {
        lines[lines.count - 1] += " " + piece
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

/// What `--generate-doc FORMAT` prints.
enum DocumentFormat: String, Sendable, CaseIterable {
  /// The roff man page (`docs/man/NAME.1`).
  case man
  /// Completion scripts (`completions/`).
  case bash, zsh, fish
  /// The tool's section of the flag reference (`docs/reference.md`).
  case markdown

  func render(_ tool: ToolDescription) -> String {
    switch self {
    case .man: tool.manPage
    case .bash: tool.bashCompletion
    case .zsh: tool.zshCompletion
    case .fish: tool.fishCompletion
    case .markdown: tool.referenceSection
    }
  }
}
