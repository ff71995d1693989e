import Foundation
import Testing

/// The documentation is part of the product: the guide lists every flag the tools accept, the
/// README stays a front page, every link leads somewhere inside the repository (or to the
/// web), and nothing points outside the repository.
@Suite("documentation")
struct DocumentationTests {
  @Test func guideListsEveryFlagOfEveryTool() throws {
    let guide = try String(contentsOfFile: Fixtures.path("docs/guide.md"), encoding: .utf8)
    for tool in ["wa-validate", "wa-enrich", "wa-aggregate", "wa-report", "wa-convert"] {
      let help = Subprocess.run(tool, ["--help"])
      #expect(help.status == 0, "\(tool) --help")
      let flags = help.stdoutText.split(separator: "\n").compactMap { line -> String? in
        let trimmed = line.drop { $0 == " " }
        guard trimmed.hasPrefix("--") else { return nil }
        return String(trimmed.prefix { $0 != " " })
      }
      #expect(!flags.isEmpty)
      for flag in flags {
        #expect(guide.contains("`\(flag)"), "docs/guide.md lacks \(flag) of \(tool)")
      }
    }
  }

  /// The README is a front page; the rest lives in docs/. It keeps the two commands a
  /// newcomer runs first.
  @Test func readmeIsAFrontPageWithTheTwoCommands() throws {
    let readme = try String(contentsOfFile: Fixtures.path("README.md"), encoding: .utf8)
    let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).count
    #expect(lines <= 250, "README.md has \(lines) lines; move the detail into docs/")
    #expect(readme.contains("scripts/demo"))
    #expect(readme.contains("swift test"))
    #expect(readme.contains("## Documentation"))
  }

  /// Every relative link in the project's Markdown files leads to a file or folder inside
  /// the repository; anything else must be a web address or an anchor.
  @Test func linksStayInsideTheRepository() throws {
    let root = Fixtures.root.standardizedFileURL.path
    var checked = 0
    for file in Repository.files(withSuffix: ".md") {
      let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
      for target in Markdown.linkTargets(text) {
        if target.hasPrefix("http://") || target.hasPrefix("https://")
          || target.hasPrefix("mailto:") || target.hasPrefix("#")
        {
          continue
        }
        checked += 1
        let path = String(target.prefix { $0 != "#" })
        let folder = (file as NSString).deletingLastPathComponent
        let resolved = URL(fileURLWithPath: root + "/" + folder + "/" + path).standardizedFileURL
          .path
        #expect(
          resolved == root || resolved.hasPrefix(root + "/"),
          "\(file): link \(target) leaves the repository")
        #expect(
          FileManager.default.fileExists(atPath: resolved),
          "\(file): link \(target) leads nowhere")
      }
    }
    #expect(checked > 20, "only \(checked) relative links found: is the scan broken?")
  }

  /// A clone stands alone: no file refers to the shared folder beside the checkout where the
  /// project was first written.
  @Test func nothingPointsOutsideTheRepository() throws {
    let root = Fixtures.root.standardizedFileURL.path
    let outside = ".." + "/shared"  // split, so that this file does not match itself
    var scanned = 0
    for file in Repository.files(withSuffix: "") {
      guard let data = FileManager.default.contents(atPath: root + "/" + file) else { continue }
      scanned += 1
      #expect(
        data.range(of: Data(outside.utf8)) == nil, "\(file) points at \(outside)")
    }
    #expect(scanned > 100)
  }
}

/// The repository's own files: everything under the package root but build folders, git's
/// folder, caches and benchmark data.
enum Repository {
  static func files(withSuffix suffix: String) -> [String] {
    let root = Fixtures.root.standardizedFileURL.path
    guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
    var found: [String] = []
    while let path = walker.nextObject() as? String {
      let first = path.split(separator: "/").first.map(String.init) ?? path
      if first.hasPrefix(".build") || first == ".git" || first == ".swiftpm"
        || first == "bench-data" || path.hasSuffix("__pycache__")
      {
        walker.skipDescendants()
        continue
      }
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
      if !isDirectory.boolValue && path.hasSuffix(suffix) { found.append(path) }
    }
    return found.sorted()
  }
}

/// Just enough Markdown to find link targets: `[text](target)`, outside code spans and
/// fenced code blocks.
enum Markdown {
  static func linkTargets(_ text: String) -> [String] {
    var targets: [String] = []
    var inFence = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
        inFence.toggle()
        continue
      }
      if inFence { continue }
      // Drop code spans, whose brackets are not links.
      var plain = ""
      var inCode = false
      for c in line {
        if c == "`" {
          inCode.toggle()
        } else if !inCode {
          plain.append(c)
        }
      }
      var rest = Substring(plain)
      while let open = rest.range(of: "](") {
        let after = rest[open.upperBound...]
        guard let close = after.firstIndex(of: ")") else { break }
        let target = after[..<close].split(separator: " ").first.map(String.init) ?? ""
        if !target.isEmpty { targets.append(target) }
        rest = after[close...]
      }
    }
    return targets
  }
}
