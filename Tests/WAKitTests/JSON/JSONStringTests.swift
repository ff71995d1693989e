import Foundation
import Testing

@testable import WAKit

/// Decoding and escaping of string contents, number values, and the UTF-8 check.
@Suite("JSONString, JSONNumber, UTF8Check")
struct JSONStringTests {
  // MARK: Helpers

  /// `JSONString.decode` over the content bytes of a string (between the quotes).
  static func decode(_ content: [UInt8]) -> [UInt8] {
    var out = [UInt8](repeating: 0xAA, count: content.count)
    let n = content.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        JSONString.decode(src.baseAddress!, count: src.count, into: dst.baseAddress!)
      }
    }
    #expect(n <= content.count)
    return Array(out[..<n])
  }

  static func decode(_ content: String) -> [UInt8] { decode(Array(content.utf8)) }

  /// What an `OutputBuffer` writes, read back through a pipe.
  static func written(_ body: (OutputBuffer) -> Void) -> [UInt8] {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { return [] }
    let out = OutputBuffer(fd: FileDescriptor(rawValue: fds[1]))
    body(out)
    out.flush()
    close(fds[1])
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
      if n <= 0 { break }
      result += chunk[..<n]
    }
    close(fds[0])
    return result
  }

  static func escaped(_ bytes: [UInt8]) -> String {
    let out = written { out in bytes.withUnsafeBytes { JSONString.appendEscaped($0, to: out) } }
    return String(decoding: out, as: UTF8.self)
  }

  static func escaped(_ text: String) -> String { escaped(Array(text.utf8)) }

  // MARK: decode

  @Test(
    "every escape",
    arguments: [
      (#"\""#, "\""), (#"\\"#, "\\"), (#"\/"#, "/"), (#"\b"#, "\u{8}"), (#"\f"#, "\u{C}"),
      (#"\n"#, "\n"), (#"\r"#, "\r"), (#"\t"#, "\t"), (#"\u0041"#, "A"), (#"\u00e9"#, "é"),
      (#"\u00E9"#, "é"), (#"\u07FF"#, "\u{7FF}"), (#"\u0800"#, "\u{800}"), (#"\u20aC"#, "€"),
      (#"\uFFFF"#, "\u{FFFF}"), (#"\uD83D\uDE00"#, "😀"), (#"\ud83d\ude00"#, "😀"),
      (#"\uD800\uDC00"#, "\u{10000}"), (#"\uDBFF\uDFFF"#, "\u{10FFFF}"),
      (#"\uD834\uDD1E"#, "𝄞"), (#"\u2028"#, "\u{2028}"), (#"\u0000"#, "\u{0}"),
      (#"a\nb\u00e9c\\d\"e"#, "a\nbéc\\d\"e"), (#"\\u0041"#, #"\u0041"#),
      ("plain é 😀", "plain é 😀"),
      (#"\uD83D\uDE00\uD83D\uDE01x"#, "😀😁x"), ("", ""),
    ])
  func decodeEscape(_ content: String, _ expected: String) {
    #expect(Self.decode(content) == Array(expected.utf8))
  }

  @Test func stringOfAScannedValue() {
    withScanned(#"{"type":"a\u00e9\n\ud83d\ude00","event":"plain é","userId":""}"#) {
      s, ok, bytes in
      #expect(ok)
      bytes.withUnsafeBytes { line in
        #expect(JSONString.string(s[.type], in: line) == "aé\n😀")
        #expect(JSONString.string(s[.event], in: line) == "plain é")
        #expect(JSONString.string(s[.userId], in: line) == "")
      }
    }
  }

  // MARK: appendEscaped

  @Test(
    "escaping",
    arguments: [
      ("plain", "plain"), ("a\"b", #"a\"b"#), ("a\\b", #"a\\b"#), ("\n\r\t", #"\n\r\t"#),
      ("\u{0}", #"\u0000"#), ("\u{1}", #"\u0001"#), ("\u{8}", #"\u0008"#), ("\u{C}", #"\u000c"#),
      ("\u{1B}[31m", #"\u001b[31m"#), ("\u{1F}", #"\u001f"#), ("\u{7F}", #"\u007f"#),
      ("a\u{2028}b\u{2029}c", #"a\u2028b\u2029c"#), ("\u{2027}\u{202A}", "\u{2027}\u{202A}"),
      ("\u{2028}", #"\u2028"#), ("/", "/"), ("é€😀", "é€😀"), ("\u{85}\u{9B}", "\u{85}\u{9B}"),
      ("", ""), ("'", "'"),
    ])
  func escaping(_ raw: String, _ expected: String) {
    #expect(Self.escaped(raw) == expected)
  }

  @Test func everyControlCharacterIsEscaped() {
    for byte in UInt8(0)..<0x20 {
      let out = Self.escaped([0x61, byte, 0x62])
      #expect(!out.utf8.contains { $0 < 0x20 }, "\(byte)")
      #expect(out.count > 3)
    }
  }

  @Test func appendQuotedWritesACompleteLiteral() {
    let out = Self.written { JSONString.appendQuoted("say \"hi\"\n", to: $0) }
    #expect(String(decoding: out, as: UTF8.self) == #""say \"hi\"\n""#)
  }

  /// A random string of scalars drawn from every range that escaping treats differently.
  static func randomString(_ rng: inout SeededGenerator) -> String {
    var scalars = String.UnicodeScalarView()
    for _ in 0..<Int.random(in: 0...40, using: &rng) {
      let value: UInt32
      switch Int.random(in: 0..<10, using: &rng) {
      case 0: value = UInt32.random(in: 0..<0x20, using: &rng)
      case 1: value = [0x22, 0x5C, 0x2F, 0x7F, 0x2028, 0x2029, 0x27].randomElement(using: &rng)!
      case 2: value = UInt32.random(in: 0x80..<0x800, using: &rng)
      case 3: value = UInt32.random(in: 0x800..<0xD800, using: &rng)
      case 4: value = UInt32.random(in: 0xE000...0xFFFF, using: &rng)
      case 5: value = UInt32.random(in: 0x10000...0x10FFFF, using: &rng)
      case 6: value = UInt32.random(in: 0x2020...0x202F, using: &rng)
      default: value = UInt32.random(in: 0x20..<0x7F, using: &rng)
      }
      scalars.append(Unicode.Scalar(value)!)
    }
    return String(scalars)
  }

  @Test func roundTripThroughEscapeScanAndDecode() throws {
    var rng = SeededGenerator(seed: 0x5EED_2026)
    let scanner = JSONScanner()
    for _ in 0..<2_000 {
      let original = Self.randomString(&rng)
      let literal = "\"" + Self.escaped(original) + "\""
      #expect(!literal.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" })
      let document = #"{"type":\#(literal)}"#
      let outcome = scan(document, with: scanner)
      try #require(outcome.accepted, "\(original.debugDescription) → \(literal): \(outcome)")
      let bytes = Array(document.utf8)
      let ref = scanner[.type]
      let decoded = Self.decode(Array(bytes[Int(ref.start)..<Int(ref.end)]))
      #expect(decoded == Array(original.utf8), "\(original.debugDescription)")
      bytes.withUnsafeBytes { line in
        #expect(JSONString.string(ref, in: line) == original)
      }
      // Foundation agrees on what the literal means.
      let parsed = try JSONSerialization.jsonObject(
        with: Data(literal.utf8), options: .fragmentsAllowed)
      #expect(parsed as? String == original)
    }
  }

  // MARK: JSONNumber

  /// Runs `body` with the `ValueRef` of `literal` (scanned as the value of `type`) and the line.
  static func withNumber<T>(
    _ literal: String, _ body: (ValueRef, UnsafeRawBufferPointer) -> T
  ) -> T {
    withScanned(#"{"type":\#(literal)}"#) { s, ok, bytes in
      #expect(ok, "\(literal)")
      return bytes.withUnsafeBytes { body(s[.type], $0) }
    }
  }

  @Test(
    "double values",
    arguments: [
      ("0", 0.0), ("-0", 0.0), ("1", 1), ("-17", -17), ("1e5", 100_000), ("1E+5", 100_000),
      ("1.5e-3", 0.0015), ("-12.5", -12.5), ("8.0", 8), ("123456789012345", 123_456_789_012_345),
      ("1234567890123456789", 1_234_567_890_123_456_789), ("1e400", .infinity),
      ("-1e400", -.infinity), ("1e-400", 0), ("4.9e-324", 4.9e-324), ("0.1", 0.1),
      ("9007199254740993", 9_007_199_254_740_992),
    ])
  func double(_ literal: String, _ expected: Double) {
    #expect(Self.withNumber(literal) { JSONNumber.double($0, in: $1) } == expected)
  }

  @Test func doubleOfANonNumberIsNaN() {
    #expect(Self.withNumber(#""1""#) { JSONNumber.double($0, in: $1) }.isNaN)
    #expect(Self.withNumber("true") { JSONNumber.int64($0, in: $1) } == nil)
  }

  @Test(
    "int64 values",
    arguments: [
      ("0", Int64(0)), ("-0", 0), ("42", 42), ("-42", -42), ("131047", 131_047),
      ("9223372036854775807", .max), ("-9223372036854775808", .min), ("9223372036854775808", nil),
      ("-9223372036854775809", nil), ("99999999999999999999", nil), ("1.0", nil), ("1e2", nil),
      ("-1.5", nil),
    ] as [(String, Int64?)])
  func int64(_ literal: String, _ expected: Int64?) {
    #expect(Self.withNumber(literal) { JSONNumber.int64($0, in: $1) } == expected)
  }

  @Test(
    "integral values",
    arguments: [
      ("8", true), ("-8", true), ("8.0", true), ("8e0", true), ("8.00e1", true), ("1.5e1", true),
      ("-3.0", true), ("0.0", true), ("-0", true), ("12345678901234567890123", true),
      ("8.5", false), ("0.1", false), ("1e-1", false), ("-0.5", false), ("1e400", false),
      ("-1e400", false), ("8.0000000000000001", false), ("1e-400", false), ("-1e-400", false),
      ("100e-2", true), ("1000e-4", false), ("0.0e-5", true), ("-0.0E+3", true),
      ("12345678901234567890123.0", true), ("1.25E2", true), ("1.25e+1", false),
    ])
  func integral(_ literal: String, _ expected: Bool) {
    #expect(Self.withNumber(literal) { JSONNumber.isIntegral($0, in: $1) } == expected)
  }

  @Test(
    "below zero on the digits written",
    arguments: [
      ("-1", true), ("-1e-400", true), ("-0.5", true), ("-0", false), ("-0.0e5", false),
      ("0", false), ("1e-400", false), ("-1e400", true),
    ])
  func belowZero(_ literal: String, _ expected: Bool) {
    #expect(Self.withNumber(literal) { JSONNumber.isBelowZero($0, in: $1) } == expected)
  }

  // MARK: UTF8Check

  /// The reference: the first offset where decoding fails is the length of the longest
  /// valid prefix (a valid prefix always ends on a character boundary).
  static func referenceFirstInvalid(_ bytes: [UInt8]) -> Int? {
    if String(validating: bytes, as: UTF8.self) != nil { return nil }
    var k = bytes.count - 1
    while k > 0, String(validating: bytes[..<k], as: UTF8.self) == nil { k -= 1 }
    return k
  }

  static func firstInvalid(_ bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBytes { UTF8Check.firstInvalidOffset($0) }
  }

  /// Random byte strings of several shapes: uniform bytes, ASCII with a few high bytes, and
  /// valid text with one byte changed, dropped or cut.
  static func randomBytes(_ rng: inout SeededGenerator) -> [UInt8] {
    let length = Int.random(in: 0...48, using: &rng)
    switch Int.random(in: 0..<4, using: &rng) {
    case 0:
      return (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
    case 1:
      return (0..<length).map { _ in
        Int.random(in: 0..<8, using: &rng) == 0
          ? UInt8.random(in: 0x80...0xFF, using: &rng) : UInt8.random(in: 0x20..<0x7F, using: &rng)
      }
    default:
      var bytes = Array(randomString(&rng).utf8)
      guard !bytes.isEmpty else { return bytes }
      let at = Int.random(in: 0..<bytes.count, using: &rng)
      switch Int.random(in: 0..<4, using: &rng) {
      case 0: bytes[at] = UInt8.random(in: 0x80...0xFF, using: &rng)
      case 1: bytes.remove(at: at)
      case 2: bytes.removeSubrange(at...)
      default: bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
      }
      return bytes
    }
  }

  @Test func firstInvalidOffsetAgreesWithTheStandardLibrary() {
    var rng = SeededGenerator(seed: 20_260_123)
    var invalid = 0
    for _ in 0..<20_000 {
      let bytes = Self.randomBytes(&rng)
      let expected = Self.referenceFirstInvalid(bytes)
      if expected != nil { invalid += 1 }
      #expect(Self.firstInvalid(bytes) == expected, "\(bytes)")
      #expect(bytes.withUnsafeBytes { UTF8Check.isValid($0) } == (expected == nil))
    }
    // Both outcomes were exercised plenty.
    #expect(invalid > 5_000 && invalid < 15_000)
  }

  /// Every lead byte with every second byte, and a few choices of the rest, at offsets that
  /// put it inside and after the 8-byte ASCII fast path.
  @Test func firstInvalidOffsetOnEverySecondByte() {
    var mismatches: [[UInt8]] = []
    for lead in UInt8(0x80)...0xFF {
      for second in UInt8(0)...0xFF {
        for rest: [UInt8] in [[0x80, 0xBF], [0xBF, 0x41], [0x41], []] {
          for prefix in [[], Array("abcdefghi".utf8)] {
            let bytes = prefix + [lead, second] + rest
            if Self.firstInvalid(bytes) != Self.referenceFirstInvalid(bytes) {
              mismatches.append(bytes)
            }
          }
        }
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
  }

  @Test func firstInvalidOffsetOfEmptyAndASCII() {
    #expect(Self.firstInvalid([]) == nil)
    #expect(UTF8Check.firstInvalidOffset(UnsafeRawBufferPointer(start: nil, count: 0)) == nil)
    #expect(Self.firstInvalid(Array(String(repeating: "ascii ", count: 50).utf8)) == nil)
    #expect(Self.firstInvalid(Array(String(repeating: "x", count: 17).utf8) + [0xFF]) == 17)
  }
}
