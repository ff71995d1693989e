import Foundation
import Testing

/// The README is the user's reference: it must list every flag the tools accept.
@Suite("documentation")
struct DocumentationTests {
  @Test func readmeListsEveryFlagOfEveryTool() throws {
    let readme = try String(contentsOfFile: Fixtures.path("README.md"), encoding: .utf8)
    for tool in ["wa-validate", "wa-enrich", "wa-aggregate", "wa-report", "wa-convert"] {
      let help = Subprocess.run(tool, ["--help"])
      #expect(help.status == 0, "\(tool) --help")
      let flags = help.stdoutText.split(separator: "\n").compactMap { line -> String? in
        let trimmed = line.drop { $0 == " " }
        guard trimmed.hasPrefix("--") else { return nil }
        return String(trimmed.prefix { $0 != " " })
      }
      #expect(!flags.isEmpty)
      for flag in flags { #expect(readme.contains("`\(flag)"), "README lacks \(flag) of \(tool)") }
    }
  }
}
