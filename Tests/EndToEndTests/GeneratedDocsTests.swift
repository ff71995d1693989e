import Foundation
import Testing

/// The man pages, completions and flag reference are checked in; each must be exactly what
/// the tool's description renders today, so a new flag cannot land without them.
@Suite("generated documents")
struct GeneratedDocsTests {
  static let tools = ["wa-convert", "wa-validate", "wa-enrich", "wa-aggregate", "wa-report"]
  static let howToFix = "regenerate with scripts/gen-docs and commit the result"

  @Test(arguments: tools)
  func manPageAndCompletionsAreInStep(tool: String) {
    let files = [
      ("man", "docs/man/\(tool).1"), ("bash", "completions/\(tool).bash"),
      ("zsh", "completions/_\(tool)"), ("fish", "completions/\(tool).fish"),
    ]
    for (format, path) in files {
      let generated = Subprocess.run(tool, ["--generate-doc", format])
      #expect(generated.status == 0, "\(tool) --generate-doc \(format)")
      #expect(!generated.stdout.isEmpty)
      #expect(
        Fixtures.bytes(path) == generated.stdout,
        "\(path) differs from `\(tool) --generate-doc \(format)`: \(Self.howToFix)")
    }
  }

  @Test func flagReferenceHoldsEveryToolsSection() throws {
    let reference = try String(contentsOfFile: Fixtures.path("docs/reference.md"), encoding: .utf8)
    for tool in Self.tools {
      let section = Subprocess.run(tool, ["--generate-doc", "markdown"]).stdoutText
      #expect(section.hasPrefix("## \(tool)\n"))
      #expect(
        reference.contains(section),
        "docs/reference.md lacks `\(tool) --generate-doc markdown`: \(Self.howToFix)")
    }
  }

  @Test func anUnknownFormatIsAUsageError() {
    let result = Subprocess.run("wa-validate", ["--generate-doc", "pdf"])
    #expect(result.status == 2)
  }

  /// The hidden flag stays out of what users read.
  @Test func helpDoesNotShowTheGeneratorFlag() {
    for tool in Self.tools {
      #expect(!Subprocess.run(tool, ["--help"]).stdoutText.contains("generate-doc"))
    }
  }
}
