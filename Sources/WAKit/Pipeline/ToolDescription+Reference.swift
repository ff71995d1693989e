extension ToolDescription {
  /// The tool's section of `docs/reference.md`: synopsis, flag table, exit statuses.
  var referenceSection: String {
    var text = """
      ## \(name)

      `\(synopsis)` — \(summary).

      | Flag | Meaning |
      | --- | --- |

      """
    for flag in documentedFlags {
      let help = flag.help.replacing("|", with: "\\|")
      let choices =
        flag.choices.isEmpty
        ? "" : "; one of " + flag.choices.map { "`\($0)`" }.joined(separator: ", ")
      text += "| `\(flag.label)` | \(help)\(choices) |\n"
    }
    text += "\n| Exit status | Meaning |\n| --- | --- |\n"
    for (status, meaning) in exitStatuses {
      text += "| \(status.rawValue) | \(meaning) |\n"
    }
    return text
  }
}
