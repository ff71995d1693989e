import Foundation

@testable import WAKit

/// The snapshot fixtures of `Tests/Fixtures/report/`, decoded.
enum ReportFixtures {
  static let folder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/report")

  /// The first line of a fixture file.
  static func line(_ name: String) -> String {
    let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
    let text = data.map { String(decoding: $0, as: UTF8.self) } ?? ""
    return text.split(separator: "\n").first.map(String.init) ?? ""
  }

  /// Every non-blank line of a fixture file.
  static func lines(_ name: String) -> [String] {
    let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
    let text = data.map { String(decoding: $0, as: UTF8.self) } ?? ""
    return text.split(separator: "\n").map(String.init)
  }

  static func record(_ text: String) throws -> ReportRecord {
    var bytes = Array(text.utf8)
    return try bytes.withUnsafeMutableBytes { raw in
      try SnapshotDecoder().decodeRecord(UnsafeRawBufferPointer(raw))
    }
  }

  /// The state wa-report builds from every line of a fixture file.
  static func state(_ name: String) throws -> ReportState {
    var state = ReportState()
    for line in lines(name) { state.add(try record(line)) }
    return state
  }

  static func decode(_ text: String) throws -> Snapshot {
    var bytes = Array(text.utf8)
    return try bytes.withUnsafeMutableBytes { raw in
      try SnapshotDecoder().decode(UnsafeRawBufferPointer(raw))
    }
  }

  static func snapshot(_ name: String) throws -> Snapshot { try decode(line(name)) }

  /// The reason `decode` gives for `text`, or nil if it decodes.
  static func failure(_ text: String) -> String? {
    do {
      _ = try decode(text)
      return nil
    } catch {
      return (error as? SnapshotError)?.message ?? "\(error)"
    }
  }

  /// The fixture with one member replaced by `json` (or removed, with nil), at a dotted path.
  static func edited(_ name: String, _ path: String, _ json: String?) throws -> String {
    let value = try json.map {
      try JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed)
    }
    let data = Data(line(name).utf8)
    guard var root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      return ""
    }
    func edit(_ object: inout [String: Any], _ keys: ArraySlice<Substring>) {
      guard let key = keys.first.map(String.init) else { return }
      if keys.count == 1 {
        object[key] = value
      } else if var child = object[key] as? [String: Any] {
        edit(&child, keys.dropFirst())
        object[key] = child
      }
    }
    edit(&root, path.split(separator: ".")[...])
    let out = try JSONSerialization.data(withJSONObject: root)
    return String(decoding: out, as: UTF8.self)
  }
}
