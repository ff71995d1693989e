import Foundation
import Testing

@testable import WAKit

/// Bugs fixed in the JSON scanner (de53651), each replayed from its input file.
@Suite struct ScannerRegressionTests {
  /// Scans `name` and returns the error with the offset of the last occurrence of `key` (the
  /// repeated copy, with its opening quote).
  static func duplicate(_ name: String, key: String) throws -> (JSONError?, Int) {
    let bytes = [UInt8](try Tools.input(name)).filter { $0 != 0x0A }
    let quoted = Array(("\"" + key + "\"").utf8)
    var last = -1
    for i in 0...(bytes.count - quoted.count) where Array(bytes[i..<i + quoted.count]) == quoted {
      last = i
    }
    let scanner = JSONScanner()
    let accepted = bytes.withUnsafeBytes { scanner.scan($0) }
    #expect(!accepted)
    return (scanner.error, last)
  }

  /// In an object of more than 16 keys the scanner sorts the keys to find a repeat; it used
  /// to report the offset of the first copy of the key instead of the repeated one.
  @Test func aRepeatedKeyAfterSixteenKeysIsReportedWhereItRepeats() throws {
    let (error, repeatAt) = try Self.duplicate("duplicate-key-after-16-keys.json", key: "a05")
    let e = try #require(error)
    #expect(e.kind == .duplicateKey)
    #expect(repeatAt > 100)
    #expect(e.offset == repeatAt, "offset \(e.offset), the repeated key is at \(repeatAt)")
  }

  /// The same with the repeated key written with an escape: the offset used to be that of the
  /// key's decoded copy in the scanner's arena (0 here), not a place in the line.
  @Test func anEscapedRepeatedKeyAfterSixteenKeysIsReportedWhereItRepeats() throws {
    let (error, repeatAt) = try Self.duplicate(
      "escaped-duplicate-key-after-16-keys.json", key: #"a\u00305"#)
    let e = try #require(error)
    #expect(e.kind == .duplicateKey)
    #expect(repeatAt > 100)
    #expect(e.offset == repeatAt, "offset \(e.offset), the repeated key is at \(repeatAt)")
  }
}
