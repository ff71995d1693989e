import Foundation
import Testing

@testable import WAKit

/// `FileDescriptor.readAll(limit:)`: the one whole-file reader behind state files, holidays
/// tables, key files and zone files.
@Suite("FileDescriptor.readAll")
struct FileDescriptorReadAllTests {
  static func file(_ bytes: [UInt8]) throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("wa-readall-\(UUID().uuidString)").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test(arguments: [0, 1, 4095, 4096, 4097, 100_000])
  func readsEveryByteOfAFile(_ size: Int) throws {
    let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    let path = try Self.file(bytes)
    defer { unlink(path) }
    #expect(try FileDescriptor.readFile(path) == bytes)
    #expect(try FileDescriptor.readFile(path, limit: size) == bytes)
  }

  @Test func oneByteOverTheLimitIsTooLarge() throws {
    let path = try Self.file([UInt8](repeating: 7, count: 5000))
    defer { unlink(path) }
    #expect(throws: IOError.tooLarge(limit: 4999)) {
      try FileDescriptor.readFile(path, limit: 4999)
    }
  }

  @Test func anEndlessDeviceStopsAtTheLimit() {
    #expect(throws: IOError.tooLarge(limit: 1 << 20)) {
      try FileDescriptor.readFile("/dev/zero", limit: 1 << 20)
    }
  }

  @Test func aPipeIsReadToItsEnd() throws {
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    let bytes = [UInt8](repeating: 0x61, count: 10_000)
    let writeEnd = ends[1]
    let writer = Thread {
      bytes.withUnsafeBytes { _ = write(writeEnd, $0.baseAddress, $0.count) }
      close(writeEnd)
    }
    writer.start()
    let got = try FileDescriptor(rawValue: ends[0]).readAll()
    close(ends[0])
    #expect(got == bytes)
  }

  @Test func aFolderIsAReadFailureAndAMissingFileAnOpenFailure() {
    #expect(throws: IOError.readFailed(errno: EISDIR)) { try FileDescriptor.readFile("/tmp") }
    #expect(throws: IOError.openFailed(path: "/nonexistent/x", errno: ENOENT)) {
      try FileDescriptor.readFile("/nonexistent/x")
    }
  }
}
