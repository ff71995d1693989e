import Foundation
import Testing

/// The folders of Sources/WAKit are layers (ARCHITECTURE.md, "Folder dependencies"): a file
/// may use types only from its own folder and the folders its row lists.
@Suite("architecture")
struct ArchitectureTests {
  @Test func everyFileUsesOnlyTheFoldersItsLayerMayUse() throws {
    let rules = try FolderRules.load()
    let sources = try SourceTree.load()
    for folder in sources.folders {
      #expect(
        rules.allowed[folder] != nil,
        "Sources/WAKit/\(folder)/ has no row in ARCHITECTURE.md's folder dependencies")
    }
    let violations = sources.uses().filter { use in
      guard let allowed = rules.allowed[use.folder] else { return false }
      return !allowed.contains(use.usedFolder)
    }
    for v in violations {
      let place = "\(v.file) uses \(v.type) from \(v.usedFolder)/"
      Issue.record("\(place), not allowed in \(v.folder)/ (ARCHITECTURE.md, folder dependencies)")
    }
    #expect(sources.files.count > 50, "the scan found too few source files")
  }

  /// The scanner must see a use that the rules forbid, or the test above proves nothing.
  @Test func theScanSeesAForbiddenUse() throws {
    let rules = try FolderRules.load()
    #expect(rules.allowed["IO"] == [])
    #expect(rules.allowed["Tools"]?.contains("Report") == true)
    let tree = SourceTree(files: [
      .init(folder: "Schema", name: "EventValidator.swift", text: "struct EventValidator {}"),
      .init(
        folder: "IO", name: "Planted.swift",
        text: """
          // EventValidator in a comment is no use.
          let s = "EventValidator in a string is none"
          let t = "\\(EventValidator.self)"
          """),
    ])
    let uses = tree.uses()
    #expect(uses.count == 1)
    #expect(uses.first?.type == "EventValidator" && uses.first?.usedFolder == "Schema")
    #expect(uses.first.map { rules.allowed["IO"]?.contains($0.usedFolder) } == false)
  }
}

/// The table of ARCHITECTURE.md: folder → folders it may use.
struct FolderRules {
  var allowed: [String: Set<String>] = [:]

  static func load() throws -> FolderRules {
    let text = try String(
      contentsOf: SourceTree.packageRoot.appendingPathComponent("ARCHITECTURE.md"),
      encoding: .utf8)
    guard let start = text.range(of: "## Folder dependencies") else {
      throw RulesError("ARCHITECTURE.md has no \"## Folder dependencies\" section")
    }
    var rules = FolderRules()
    var above: [String] = []
    for line in text[start.upperBound...].split(separator: "\n") where line.hasPrefix("| `") {
      let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count >= 2 else { continue }
      let folder = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`/"))
      let may: Set<String> =
        cells[1].hasPrefix("every folder above")
        ? Set(above)
        : Set(
          cells[1].split(separator: ",").map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "`/ "))
          }.filter { !$0.isEmpty && $0 != "—" })
      for used in may where !above.contains(used) {
        throw RulesError("ARCHITECTURE.md: \(folder)/ may use \(used)/, which is not above it")
      }
      rules.allowed[folder] = may
      above.append(folder)
    }
    return rules
  }
}

struct RulesError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// The library's sources, folder by folder, with the type names each folder declares.
struct SourceTree {
  struct File {
    let folder: String
    let name: String
    let text: String
  }

  struct Use: Equatable {
    let file: String
    let folder: String
    let type: String
    let usedFolder: String
  }

  let files: [File]

  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func load() throws -> SourceTree {
    let root = packageRoot.appendingPathComponent("Sources/WAKit")
    var files: [File] = []
    let fm = FileManager.default
    for folder in try fm.contentsOfDirectory(atPath: root.path).sorted() {
      let dir = root.appendingPathComponent(folder)
      guard let names = try? fm.contentsOfDirectory(atPath: dir.path) else { continue }
      for name in names.sorted() where name.hasSuffix(".swift") {
        let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        files.append(File(folder: folder, name: "\(folder)/\(name)", text: text))
      }
    }
    return SourceTree(files: files)
  }

  var folders: [String] { Array(Set(files.map(\.folder))).sorted() }

  /// Every use of a type declared at the top level of another folder and not declared (at
  /// any level) in the using file's own folder.
  func uses() -> [Use] {
    let code = files.map { Self.code(of: $0.text) }
    var topLevel: [String: Set<String>] = [:]
    var anyLevel: [String: Set<String>] = [:]
    for (file, text) in zip(files, code) {
      for (name, isTopLevel) in Self.declarations(in: text) {
        anyLevel[file.folder, default: []].insert(name)
        if isTopLevel { topLevel[name, default: []].insert(file.folder) }
      }
    }
    var uses: [Use] = []
    for (file, text) in zip(files, code) {
      let own = anyLevel[file.folder] ?? []
      for name in Set(Self.capitalizedWords(in: text)).sorted() where !own.contains(name) {
        for folder in (topLevel[name] ?? []).sorted() where folder != file.folder {
          uses.append(Use(file: file.name, folder: file.folder, type: name, usedFolder: folder))
        }
      }
    }
    return uses
  }

  /// Declared type names, and whether each is at the top level (starts a line).
  static func declarations(in code: String) -> [(String, Bool)] {
    let keywords: Set<Substring> = ["struct", "enum", "class", "protocol", "typealias", "actor"]
    var found: [(String, Bool)] = []
    for line in code.split(separator: "\n") {
      let words = line.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "<" })
      guard let k = words.firstIndex(where: { keywords.contains($0) }), k + 1 < words.count
      else { continue }
      // Only modifiers and attributes may come before the keyword.
      let modifiers: Set<Substring> = [
        "public", "package", "internal", "private", "fileprivate", "final", "indirect",
        "nonisolated",
      ]
      guard words[..<k].allSatisfy({ modifiers.contains($0) || $0.hasPrefix("@") }) else {
        continue
      }
      let name = String(words[k + 1].prefix { $0.isLetter || $0.isNumber || $0 == "_" })
      guard !name.isEmpty else { continue }
      found.append((name, !line.hasPrefix(" ")))
    }
    return found
  }

  static func capitalizedWords(in code: String) -> [String] {
    var words: [String] = []
    var current = ""
    for c in code {
      if c.isLetter || c.isNumber || c == "_" {
        current.append(c)
      } else {
        if let first = current.first, first.isUppercase { words.append(current) }
        current = ""
      }
    }
    if let first = current.first, first.isUppercase { words.append(current) }
    return words
  }

  /// The code of a Swift file without comments and string literals (interpolations kept).
  static func code(of text: String) -> String {
    let chars = Array(text)
    var out = ""
    var i = 0
    // Each open string: whether multi-line, and the paren depth of an interpolation in it.
    var strings: [(multiLine: Bool, depth: Int)] = []
    func at(_ s: String) -> Bool {
      let p = Array(s)
      return i + p.count <= chars.count && Array(chars[i..<i + p.count]) == p
    }
    while i < chars.count {
      if let top = strings.last, top.depth == 0 {
        // Inside a string's text.
        if chars[i] == "\\" && i + 1 < chars.count && chars[i + 1] == "(" {
          strings[strings.count - 1].depth = 1
          out += " "
          i += 2
        } else if chars[i] == "\\" {
          i += 2
        } else if top.multiLine ? at("\"\"\"") : chars[i] == "\"" {
          i += top.multiLine ? 3 : 1
          strings.removeLast()
          out += "\"\""
        } else {
          if chars[i] == "\n" { out.append("\n") }
          i += 1
        }
        continue
      }
      if at("//") {
        while i < chars.count && chars[i] != "\n" { i += 1 }
      } else if at("/*") {
        i += 2
        while i < chars.count && !at("*/") { i += 1 }
        i += 2
      } else if at("\"\"\"") {
        strings.append((true, 0))
        i += 3
      } else if chars[i] == "\"" {
        strings.append((false, 0))
        i += 1
      } else {
        if !strings.isEmpty {
          if chars[i] == "(" { strings[strings.count - 1].depth += 1 }
          if chars[i] == ")" {
            strings[strings.count - 1].depth -= 1
            if strings[strings.count - 1].depth == 0 {
              i += 1
              continue
            }
          }
        }
        out.append(chars[i])
        i += 1
      }
    }
    return out
  }
}
