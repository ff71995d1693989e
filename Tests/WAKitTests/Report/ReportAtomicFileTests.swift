import Foundation
import Testing

@testable import WAKit

@Suite("AtomicFile")
struct ReportAtomicFileTests {
  static func folder() -> String {
    let path = NSTemporaryDirectory() + "wa-report-atomic-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  @Test func temporaryFileSitsBesideTheTargetAndIsHidden() {
    #expect(AtomicFile.temporaryPath(for: "/a/b/wa.prom", pid: 7) == "/a/b/.wa.prom.tmp-7")
    #expect(AtomicFile.temporaryPath(for: "wa.prom", pid: 7) == ".wa.prom.tmp-7")
  }

  /// FILE may have a name of 255 bytes; the temporary name, 12 bytes longer, could not be
  /// created (ENAMETOOLONG) and every write failed: it is now cut to fit.
  @Test func aFileWithTheLongestNameCanBeReplaced() throws {
    let dir = Self.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for name in [String(repeating: "a", count: 250) + ".html", String(repeating: "é", count: 127)] {
      #expect(name.utf8.count >= 254)
      let temporary = AtomicFile.temporaryPath(for: dir + "/" + name)
      let base = temporary.split(separator: "/").last ?? ""
      #expect(base.utf8.count <= 255 && base.hasPrefix(".") && base.contains(".tmp-"))
      try AtomicFile.replace(dir + "/" + name, with: "page\n")
      #expect(try String(contentsOfFile: dir + "/" + name, encoding: .utf8) == "page\n")
      #expect(try FileManager.default.contentsOfDirectory(atPath: dir).count == 1)
      try FileManager.default.removeItem(atPath: dir + "/" + name)
    }
  }

  @Test func replacesTheContentAndLeavesNothingBehind() throws {
    let dir = Self.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/wa.prom"
    try AtomicFile.replace(path, with: "first\n")
    // Another process holding the old file open keeps reading the old content: a rename,
    // not an overwrite in place.
    let old = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
    try AtomicFile.replace(path, with: "second\n")
    #expect(String(decoding: old.readDataToEndOfFile(), as: UTF8.self) == "first\n")
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["wa.prom"])
  }

  @Test func aFailureNamesTheFileAndKeepsTheOldContent() throws {
    let dir = Self.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(throws: AtomicFile.Failure.self) {
      try AtomicFile.replace(dir + "/missing/wa.prom", with: "x")
    }
    do {
      try AtomicFile.replace(dir + "/missing/wa.prom", with: "x")
    } catch {
      #expect(error.message.hasPrefix("cannot write \(dir)/missing/wa.prom: cannot create "))
      #expect(error.message.contains("/missing/.wa.prom.tmp-") && error.message.contains("ENOENT"))
    }
    // Renaming a file over a folder fails: the temporary file is removed.
    try FileManager.default.createDirectory(
      atPath: dir + "/wa.prom", withIntermediateDirectories: true)
    #expect(throws: AtomicFile.Failure.self) { try AtomicFile.replace(dir + "/wa.prom", with: "x") }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["wa.prom"])
  }
}
