import Foundation
import Testing

@testable import WAKit

/// The parsing cases of nst/JSONTestSuite, copied into the repository under
/// `Tests/Fixtures/JSONTestSuite/test_parsing` with their MIT licence and origin (see the README
/// there), so that every clone runs them.
enum JSONTestSuite {
  /// `<package root>/Tests/Fixtures/JSONTestSuite/test_parsing`, the root found from this
  /// file's path (`Tests/WAKitTests/JSON/<this file>`).
  static let directory: URL = {
    var root = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { root.deleteLastPathComponent() }
    return root.appendingPathComponent("Tests/Fixtures/JSONTestSuite/test_parsing")
      .standardizedFileURL
  }()

  static var isPresent: Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory)
      && isDirectory.boolValue
  }

  /// The names of the files that start with `prefix`, sorted; empty when the folder is absent.
  static func files(_ prefix: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".json") }.sorted()
  }

  static func bytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
  }

  /// Scans a file's whole content as one document (some contain raw newlines, which the
  /// scanner treats as whitespace like the JSON grammar does).
  static func scan(_ name: String) throws -> ScanOutcome {
    WAKitTests.scan(try bytes(name))
  }
}

/// Every `y_` file accepted, every `n_` file rejected, every `i_` file either way without a
/// crash or a hang. The files are part of the repository: when they are missing the suite fails
/// (`theCasesArePresent`, `everyFileIsCovered`) instead of passing over zero files.
@Suite("JSONTestSuite conformance", .timeLimit(.minutes(10)))
struct JSONTestSuiteTests {
  /// The two `y_` files whose objects repeat a key. RFC 8259 only says names SHOULD be
  /// unique, so JSONTestSuite counts them valid; SPEC §1 rejects such a line
  /// (`duplicate_key`), since which of the values counts would otherwise depend on the
  /// reader. They must be rejected for that reason and no other.
  static let duplicateKeyFiles: Set<String> = [
    "y_object_duplicated_key.json", "y_object_duplicated_key_and_value.json",
  ]

  @Test("y_ files are accepted", arguments: JSONTestSuite.files("y_"))
  func accepted(_ name: String) throws {
    let outcome = try JSONTestSuite.scan(name)
    if Self.duplicateKeyFiles.contains(name) {
      #expect(outcome.kind == .duplicateKey, "\(name): \(outcome)")
    } else {
      #expect(outcome.accepted, "\(name): \(outcome)")
    }
  }

  @Test("n_ files are rejected", arguments: JSONTestSuite.files("n_"))
  func rejected(_ name: String) throws {
    let outcome = try JSONTestSuite.scan(name)
    #expect(!outcome.accepted, "\(name) was accepted as \(outcome.rootKind)")
    #expect(outcome.error != nil, "\(name): rejected without an error")
  }

  /// How each implementation-defined case goes. Nothing here is required by RFC 8259; the
  /// table records the scanner's choices so that a change is noticed:
  /// - huge numbers and exponents (`i_number_*`) are accepted: the scanner checks the
  ///   grammar only, and the schema judges values it needs (`1e400` is not finite);
  /// - lone or inverted surrogate escapes (`i_string_*surrogate*`, `…UTF-16_invalid…`) are
  ///   rejected, because no UTF-8 consumer downstream could represent them;
  /// - invalid UTF-8 (`i_string_*UTF-8*`, `overlong`, `not_in_unicode_range`, `iso_latin_1`,
  ///   `UTF8_surrogate`) is rejected as `invalid_utf8`;
  /// - UTF-16 and BOM-prefixed documents are rejected (lines are UTF-8, and the line reader
  ///   strips the one BOM a stream may start with before the scanner sees the line);
  /// - 500 nested arrays are rejected as `too_deep` (SPEC §1: 64 at most).
  static let implementationDefined: [String: Bool] = [
    "i_number_double_huge_neg_exp.json": true,
    "i_number_huge_exp.json": true,
    "i_number_neg_int_huge_exp.json": true,
    "i_number_pos_double_huge_exp.json": true,
    "i_number_real_neg_overflow.json": true,
    "i_number_real_pos_overflow.json": true,
    "i_number_real_underflow.json": true,
    "i_number_too_big_neg_int.json": true,
    "i_number_too_big_pos_int.json": true,
    "i_number_very_big_negative_int.json": true,
    "i_object_key_lone_2nd_surrogate.json": false,
    "i_string_1st_surrogate_but_2nd_missing.json": false,
    "i_string_1st_valid_surrogate_2nd_invalid.json": false,
    "i_string_UTF-16LE_with_BOM.json": false,
    "i_string_UTF-8_invalid_sequence.json": false,
    "i_string_UTF8_surrogate_U+D800.json": false,
    "i_string_incomplete_surrogate_and_escape_valid.json": false,
    "i_string_incomplete_surrogate_pair.json": false,
    "i_string_incomplete_surrogates_escape_valid.json": false,
    "i_string_invalid_lonely_surrogate.json": false,
    "i_string_invalid_surrogate.json": false,
    "i_string_invalid_utf-8.json": false,
    "i_string_inverted_surrogates_U+1D11E.json": false,
    "i_string_iso_latin_1.json": false,
    "i_string_lone_second_surrogate.json": false,
    "i_string_lone_utf8_continuation_byte.json": false,
    "i_string_not_in_unicode_range.json": false,
    "i_string_overlong_sequence_2_bytes.json": false,
    "i_string_overlong_sequence_6_bytes.json": false,
    "i_string_overlong_sequence_6_bytes_null.json": false,
    "i_string_truncated-utf-8.json": false,
    "i_string_utf16BE_no_BOM.json": false,
    "i_string_utf16LE_no_BOM.json": false,
    "i_structure_500_nested_arrays.json": false,
    "i_structure_UTF-8_BOM_empty_object.json": false,
  ]

  @Test("i_ files go either way, as recorded", arguments: JSONTestSuite.files("i_"))
  func implementationDefined(_ name: String) throws {
    let outcome = try JSONTestSuite.scan(name)
    print("JSONTestSuite \(name): \(outcome)")
    let expected = try #require(
      Self.implementationDefined[name] as Bool?, "\(name) is new: record how it goes (\(outcome))")
    #expect(outcome.accepted == expected, "\(name): \(outcome)")
  }

  @Test func theCasesArePresent() {
    #expect(
      JSONTestSuite.isPresent,
      "JSONTestSuite cases missing at \(JSONTestSuite.directory.path): restore them from git")
  }

  @Test func everyFileIsCovered() {
    let all = JSONTestSuite.files("")
    let y = JSONTestSuite.files("y_").count
    let n = JSONTestSuite.files("n_").count
    let i = JSONTestSuite.files("i_").count
    print("JSONTestSuite: \(y) y_, \(n) n_, \(i) i_ files")
    #expect(y > 90 && n > 180 && i > 30)
    #expect(y + n + i == all.count)
    #expect(Set(JSONTestSuite.files("i_")) == Set(Self.implementationDefined.keys))
  }

  /// The scanner is reused for every line: running all files through one scanner gives the
  /// same answers as a fresh scanner for each.
  @Test func oneScannerForAllFiles() throws {
    let scanner = JSONScanner()
    for name in JSONTestSuite.files("") {
      let bytes = try JSONTestSuite.bytes(name)
      let reused = scan(bytes, with: scanner)
      let fresh = scan(bytes)
      #expect(reused.accepted == fresh.accepted && reused.error == fresh.error, "\(name)")
    }
  }

  /// Rejections carry the right kind: files with invalid UTF-8 are `invalidUTF8`.
  @Test func invalidUTF8FilesAreReportedAsSuch() throws {
    for name in JSONTestSuite.files("") {
      let bytes = try JSONTestSuite.bytes(name)
      let outcome = scan(bytes)
      guard !outcome.accepted else { continue }
      let validUTF8 = String(validating: bytes, as: UTF8.self) != nil
      if outcome.kind == .invalidUTF8 {
        #expect(!validUTF8, "\(name) is valid UTF-8 but was rejected as invalid UTF-8")
      }
    }
  }
}
