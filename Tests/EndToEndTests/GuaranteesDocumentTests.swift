import Foundation
import Testing

/// docs/guarantees.md names, for each promise, the tests that prove it. A promise whose test
/// was renamed or deleted would still read as proved: this suite fails instead.
@Suite("docs/guarantees.md")
struct GuaranteesDocumentTests {
  /// A reference from a "Proved by" list: `Suite`, `Suite.test` or `scripts/path`.
  struct Reference: CustomStringConvertible {
    var suite: String
    var test: String?
    var script: String?
    var description: String { script ?? (test.map { "\(suite).\($0)" } ?? suite) }
  }

  /// The first code span of every list item of the page: `- \`Name\` …`.
  static func references(in page: String) -> [Reference] {
    page.split(separator: "\n").compactMap { line -> Reference? in
      guard line.hasPrefix("- `") else { return nil }
      let name = line.dropFirst(3).prefix { $0 != "`" }
      if name.hasPrefix("scripts/") { return Reference(suite: "", script: String(name)) }
      let parts = name.split(separator: ".", omittingEmptySubsequences: false)
      return Reference(suite: String(parts[0]), test: parts.count > 1 ? String(parts[1]) : nil)
    }
  }

  /// Finds what a reference names among the test sources; nil when it exists, otherwise why
  /// not. A test counts when a file that declares its suite (or extends it) declares the
  /// function.
  static func missing(_ r: Reference, sources: [String: String]) -> String? {
    if let script = r.script {
      return FileManager.default.isExecutableFile(atPath: Fixtures.path(script))
        ? nil : "\(script) is not an executable file"
    }
    let declares = sources.filter { _, text in
      matches(text, #"\b(struct|class|enum|extension)\s+\#(r.suite)\b"#)
    }
    if declares.isEmpty { return "no suite \(r.suite) in Tests/" }
    guard let test = r.test else { return nil }
    let found = declares.values.contains { text in matches(text, #"\bfunc\s+\#(test)\s*\("#) }
    return found ? nil : "no test \(test) in suite \(r.suite)"
  }

  static func matches(_ text: String, _ pattern: String) -> Bool {
    guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
    return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
  }

  static func testSources() throws -> [String: String] {
    var sources: [String: String] = [:]
    for file in Repository.files(withSuffix: ".swift") where file.hasPrefix("Tests/") {
      sources[file] = try String(contentsOfFile: Fixtures.path(file), encoding: .utf8)
    }
    return sources
  }

  @Test func everyNamedTestExists() throws {
    let page = try String(contentsOfFile: Fixtures.path("docs/guarantees.md"), encoding: .utf8)
    let references = Self.references(in: page)
    #expect(references.count > 40, "only \(references.count) references: is the parser broken?")
    let sources = try Self.testSources()
    for r in references {
      let why = Self.missing(r, sources: sources)
      #expect(why == nil, "docs/guarantees.md names \(r): \(why ?? "")")
    }
  }

  /// The check itself can fail: a made-up name, a real suite with a made-up test, a missing
  /// script are all reported.
  @Test func aNameThatDoesNotExistIsReported() throws {
    let sources = try Self.testSources()
    let page = """
      - `NoSuchSuiteAnywhere.someTest`
      - `GuaranteesDocumentTests.noSuchTestInThisSuite`
      - `scripts/no-such-script`
      - `GuaranteesDocumentTests.everyNamedTestExists` (this one exists)
      """
    let results = Self.references(in: page).map { Self.missing($0, sources: sources) }
    #expect(results.count == 4)
    #expect(results[0] != nil && results[1] != nil && results[2] != nil)
    #expect(results[3] == nil)
  }
}
