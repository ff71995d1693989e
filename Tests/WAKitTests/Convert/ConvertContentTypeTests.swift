import Foundation
import Testing

@testable import WAKit

/// One vocabulary of content types for wa-convert and wa-validate (SPEC §2, §7): every type
/// of the shared list, sent through the converter, gives events that `--strict` validation
/// takes; a type outside the list is written as `unknown`, never as itself.
@Suite("wa-convert content types")
struct ConvertContentTypeTests {
  static let fixture = "Tests/Fixtures/convert/content-types.log"

  /// The fixture's bodies, found from this file: up to the package root.
  static func bodies() throws -> [String] {
    var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path)
    {
      let parent = dir.deletingLastPathComponent()
      try #require(parent.path != dir.path, "no Package.swift above \(#filePath)")
      dir = parent
    }
    let text = try String(
      contentsOf: dir.appendingPathComponent(fixture), encoding: .utf8)
    return text.split(separator: "\n").map(String.init)
  }

  /// The message `type` of each body.
  static func messageType(_ body: String) throws -> String {
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    let entry = (object["entry"] as? [[String: Any]])?.first
    let change = (entry?["changes"] as? [[String: Any]])?.first
    let value = change?["value"] as? [String: Any]
    let message = (value?["messages"] as? [[String: Any]])?.first
    return try #require(message?["type"] as? String)
  }

  @Test func theFixtureHasAMessageOfEveryListedType() throws {
    let types = Set(try Self.bodies().map(Self.messageType))
    for type in ContentTypes.all {
      #expect(types.contains(type.description), "add a \(type) message to \(Self.fixture)")
    }
  }

  @Test func everyEventWrittenPassesStrictValidation() throws {
    let validator = EventValidator(strict: true)
    var written: Set<String> = []
    for body in try Self.bodies() {
      let type = try Self.messageType(body)
      let converted = convert(body, .init(includeReactions: true))
      #expect(converted.accepted && converted.problems.isEmpty, "\(type)")
      for line in converted.lines {
        let verdict = validate(line, with: validator)
        #expect(verdict.valid && verdict.warnings.isEmpty, "\(type): \(verdict)")
        written.insert(converted.properties(0)["contentType"] as? String ?? "")
      }
    }
    // Meta's types come out as themselves; one outside the list as `unknown`.
    #expect(written.contains("order") && written.contains("unsupported"))
    #expect(!written.contains("gif") && written.contains("unknown"))
    #expect(written.isSubset(of: Set(ContentTypes.all.map(\.description))))
  }
}
