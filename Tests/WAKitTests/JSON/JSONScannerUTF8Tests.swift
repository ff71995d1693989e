import Testing

@testable import WAKit

/// UTF-8 as the scanner checks it (RFC 3629): invalid bytes inside a string are
/// `invalidUTF8`; outside strings, bytes that are not UTF-8 are `invalidUTF8` too, while
/// well-formed non-ASCII characters where JSON expects a token are `invalidJSON`.
@Suite("JSONScanner UTF-8")
struct JSONScannerUTF8Tests {
  /// A named byte sequence, for readable test-case names.
  struct Sequence: CustomTestStringConvertible, Sendable {
    var name: String
    var bytes: [UInt8]
    var testDescription: String { name }
    init(_ name: String, _ bytes: [UInt8]) {
      self.name = name
      self.bytes = bytes
    }
  }

  static let valid: [Sequence] = [
    .init("U+0080 (2 bytes, lowest)", [0xC2, 0x80]),
    .init("é U+00E9", [0xC3, 0xA9]),
    .init("U+07FF (2 bytes, highest)", [0xDF, 0xBF]),
    .init("U+0800 (3 bytes, lowest)", [0xE0, 0xA0, 0x80]),
    .init("€ U+20AC", [0xE2, 0x82, 0xAC]),
    .init("U+2028 line separator", [0xE2, 0x80, 0xA8]),
    .init("U+D7FF (below the surrogates)", [0xED, 0x9F, 0xBF]),
    .init("U+E000 (above the surrogates)", [0xEE, 0x80, 0x80]),
    .init("U+FEFF BOM inside a string", [0xEF, 0xBB, 0xBF]),
    .init("U+FFFF", [0xEF, 0xBF, 0xBF]),
    .init("U+10000 (4 bytes, lowest)", [0xF0, 0x90, 0x80, 0x80]),
    .init("😀 U+1F600", [0xF0, 0x9F, 0x98, 0x80]),
    .init("U+10FFFF (highest)", [0xF4, 0x8F, 0xBF, 0xBF]),
    .init("mixed", Array("aé€😀z".utf8)),
  ]

  static let invalid: [Sequence] = [
    .init("overlong NUL C0 80", [0xC0, 0x80]),
    .init("overlong C1 BF", [0xC1, 0xBF]),
    .init("overlong E0 80 80", [0xE0, 0x80, 0x80]),
    .init("overlong E0 9F BF", [0xE0, 0x9F, 0xBF]),
    .init("overlong F0 80 80 80", [0xF0, 0x80, 0x80, 0x80]),
    .init("overlong F0 8F BF BF", [0xF0, 0x8F, 0xBF, 0xBF]),
    .init("surrogate U+D800 ED A0 80", [0xED, 0xA0, 0x80]),
    .init("surrogate U+DFFF ED BF BF", [0xED, 0xBF, 0xBF]),
    .init("surrogate pair in CESU-8", [0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80]),
    .init("above U+10FFFF F4 90 80 80", [0xF4, 0x90, 0x80, 0x80]),
    .init("F5 lead", [0xF5, 0x80, 0x80, 0x80]),
    .init("F8 five-byte lead", [0xF8, 0x88, 0x80, 0x80, 0x80]),
    .init("FC six-byte lead", [0xFC, 0x84, 0x80, 0x80, 0x80, 0x80]),
    .init("FE", [0xFE]),
    .init("FF", [0xFF]),
    .init("stray continuation 80", [0x80]),
    .init("stray continuation BF", [0xBF]),
    .init("two continuations", [0x80, 0x80]),
    .init("truncated 2-byte C3", [0xC3]),
    .init("truncated 3-byte E2 82", [0xE2, 0x82]),
    .init("truncated 3-byte E2", [0xE2]),
    .init("truncated 4-byte F0 9F 98", [0xF0, 0x9F, 0x98]),
    .init("lead then ASCII C3 41", [0xC3, 0x41]),
    .init("3-byte lead then ASCII E2 41 41", [0xE2, 0x41, 0x41]),
    .init("4-byte with bad third F0 9F 41 80", [0xF0, 0x9F, 0x41, 0x80]),
    .init("Latin-1 é", [0xE9]),
  ]

  @Test("valid characters in strings and keys", arguments: valid)
  func validInString(_ s: Sequence) {
    #expect(scan([0x22] + s.bytes + [0x22]).accepted)
    // Keys, and after the 8-byte fast path.
    let key =
      Array(#"{"abcdefghij"#.utf8) + s.bytes + Array(#"":"xyzxyzxyz"#.utf8) + s.bytes
      + Array(#""}"#.utf8)
    #expect(scan(key).accepted)
  }

  @Test("invalid sequences in strings are invalidUTF8 at their first byte", arguments: invalid)
  func invalidInString(_ s: Sequence) throws {
    for prefix in ["", "a", "abcdefghijklmnopq"] {
      let head = Array("[\"\(prefix)".utf8)
      let error = try #require(scan(head + s.bytes + Array("\"]".utf8)).error)
      #expect(error.kind == .invalidUTF8)
      #expect(error.offset == head.count)
      #expect(error.path == "[0]")
      // The same in a key.
      let keyHead = Array("{\"\(prefix)".utf8)
      let keyError = scan(keyHead + s.bytes + Array("\":1}".utf8)).error
      #expect(keyError?.kind == .invalidUTF8)
      #expect(keyError?.offset == keyHead.count)
    }
  }

  @Test("invalid sequences where a token belongs are invalidUTF8", arguments: invalid)
  func invalidOutsideStrings(_ s: Sequence) {
    let documents: [([UInt8], Int)] = [
      (s.bytes, 0),
      (Array("[".utf8) + s.bytes + Array("]".utf8), 1),
      (Array("{".utf8) + s.bytes + Array(":1}".utf8), 1),
      (Array(#"{"a":"#.utf8) + s.bytes + Array("}".utf8), 5),
      (Array(#"{"a":1"#.utf8) + s.bytes + Array("}".utf8), 6),
      (Array("{} ".utf8) + s.bytes, 3),
    ]
    for (bytes, offset) in documents {
      let outcome = scan(bytes)
      #expect(outcome.kind == .invalidUTF8, "\(bytes): \(outcome)")
      #expect(outcome.error?.offset == offset)
    }
  }

  @Test("valid characters where a token belongs are invalidJSON", arguments: valid)
  func validOutsideStrings(_ s: Sequence) {
    let documents: [[UInt8]] = [
      s.bytes, Array("[".utf8) + s.bytes + Array("]".utf8),
      Array("{".utf8) + s.bytes + Array(":1}".utf8), Array("{}".utf8) + s.bytes,
    ]
    for bytes in documents {
      #expect(scan(bytes).kind == .invalidJSON, "\(bytes)")
    }
  }

  @Test func invalidUTF8IsFoundAfterValidCharacters() throws {
    let bytes = Array(#"{"a":"é€😀"#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8)
    let error = try #require(scan(bytes).error)
    #expect(error.kind == .invalidUTF8)
    #expect(error.offset == 6 + 2 + 3 + 4)
    #expect(error.path == "a")
  }

  /// Escapes are not UTF-8: `\u00e9` is six ASCII bytes, and `\uD800\uDC00` is a valid
  /// pair, so only raw bytes are checked for UTF-8.
  @Test func escapedCharactersAreASCII() {
    #expect(scan(#"["\u00e9\u20ac\ud83d\ude00\u0080"]"#).accepted)
  }
}
