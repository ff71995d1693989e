import CStage1
import Testing

@testable import WAKit

/// Stage 1 (Stage1.swift) against byte-at-a-time references, and the scanner reading lines
/// through stage 1's masks against the same scanner reading strings eight bytes at a time:
/// the same verdict, fields, root kind and error, on both of its paths. Lines are built so
/// that strings, escapes, backslash runs, control bytes and UTF-8 sequences cross the
/// 64-byte block boundaries.
@Suite("JSONScanner stage 1")
struct JSONStage1Tests {
  /// Whether a string scan must stop at `c`.
  static func flagged(_ c: UInt8) -> Bool { c == 0x22 || c == 0x5C || c < 0x20 || c >= 0x80 }

  /// The mask of one 64-byte block (the sentinel lands in the next word).
  static func attention(_ block: [UInt8]) -> UInt64 {
    var words: [UInt64] = [0, 0]
    block.withUnsafeBufferPointer { p in
      words.withUnsafeMutableBufferPointer {
        Stage1.classify(p.baseAddress!, 64, into: $0.baseAddress!)
      }
    }
    #expect(words[1] == 1, "the sentinel")
    return words[0]
  }

  @Test func everyByteValueIsFlaggedExactlyWhenAStringScanMustStop() {
    var block = [UInt8](repeating: 0x61, count: 64)
    for value in 0...255 {
      for lane in [0, 1, 7, 8, 15, 16, 31, 32, 55, 56, 63] {
        block[lane] = UInt8(value)
        let bits = Self.attention(block)
        let expected: UInt64 = Self.flagged(UInt8(value)) ? 1 << UInt64(lane) : 0
        #expect(bits == expected, "byte \(value) in lane \(lane)")
        block[lane] = 0x61
      }
    }
  }

  @Test func randomBlocksGiveTheBitsOfAByteAtATimeClassification() {
    var rng = SeededGenerator(seed: 0x51D)
    for _ in 0..<20_000 {
      let block = (0..<64).map { _ in UInt8.random(in: 0...255, using: &rng) }
      let bits = Self.attention(block)
      var expected: UInt64 = 0
      for (k, c) in block.enumerated() where Self.flagged(c) { expected |= 1 << UInt64(k) }
      #expect(bits == expected, "\(block)")
      if bits != expected { return }
    }
  }

  /// `next` from every offset of lines of every length up to four blocks: the first
  /// flagged byte at or after it, or the line's length.
  @Test func nextFindsTheFirstFlaggedByteFromAnyOffsetOfAnyLength() {
    var rng = SeededGenerator(seed: 0x5E47)
    for n in 0...260 {
      for density in [0, 3, 40] {
        let bytes = (0..<n).map { _ in
          Int.random(in: 0..<100, using: &rng) < density
            ? JSONScannerFastPathTests.alphabet.randomElement(using: &rng)! : 0x61
        }
        var words = [UInt64](repeating: 0xDEAD_BEEF, count: Stage1.wordCount(n))
        bytes.withUnsafeBufferPointer { p in
          words.withUnsafeMutableBufferPointer { w in
            Stage1.classify(p.baseAddress ?? UnsafePointer(bitPattern: 1)!, n, into: w.baseAddress!)
          }
        }
        // The SSE2 kernel gives the same words as the one the CPU chose (AVX2 where it has it).
        var sse2 = [UInt64](repeating: 0xBAD, count: Stage1.wordCount(n))
        bytes.withUnsafeBufferPointer { p in
          sse2.withUnsafeMutableBufferPointer { w in
            wa_stage1_classify_sse2(
              p.baseAddress ?? UnsafePointer(bitPattern: 1)!, n, w.baseAddress!)
          }
        }
        #expect(sse2 == words, "n \(n): \(bytes)")
        var expected = n
        for from in stride(from: n, through: 0, by: -1) {
          if from < n && Self.flagged(bytes[from]) { expected = from }
          let got = words.withUnsafeBufferPointer { Stage1.next($0.baseAddress!, from) }
          #expect(got == expected, "n \(n) from \(from): \(bytes)")
          if got != expected { return }
        }
      }
    }
  }

  /// The batch walk's masks (`wa_stage1_structure`, both kernels) against a byte-at-a-time
  /// reference: quotes, brackets and braces, commas, per block, and whether there is a
  /// backslash, for lines of every length up to four blocks.
  @Test func structureMasksMarkQuotesBracketsAndCommas() {
    var rng = SeededGenerator(seed: 0x57C)
    // Bytes whose low seven bits, or bit 5 flipped, spell a structural one count too.
    let alphabet = Array(#""[]{},:\ a;"#.utf8) + [0x09, 0xC3, 0xDB, 0xFB, 0xAC, 0xA2, 0x0C]
    for n in 0...260 {
      for density in [0, 5, 60] {
        let bytes = (0..<n).map { _ in
          Int.random(in: 0..<100, using: &rng) < density
            ? alphabet.randomElement(using: &rng)! : 0x61
        }
        var expected = [UInt64](repeating: 0, count: 3 * Stage1.wordCount(n))
        var backslash = false
        for (k, c) in bytes.enumerated() {
          let bit: UInt64 = 1 << UInt64(k & 63)
          if c == 0x22 { expected[3 * (k >> 6)] |= bit }
          if c | 0x20 == 0x7B || c | 0x20 == 0x7D { expected[3 * (k >> 6) + 1] |= bit }
          if c == 0x2C { expected[3 * (k >> 6) + 2] |= bit }
          if c == 0x5C { backslash = true }
        }
        for (name, kernel) in [("chosen", wa_stage1_structure), ("sse2", wa_stage1_structure_sse2)]
        {
          var words = [UInt64](repeating: 0xDEAD_BEEF, count: expected.count)
          let got = bytes.withUnsafeBufferPointer { p in
            words.withUnsafeMutableBufferPointer { w in
              kernel(p.baseAddress ?? UnsafePointer(bitPattern: 1)!, n, w.baseAddress!)
            }
          }
          #expect(words == expected, "\(name) n \(n): \(bytes)")
          #expect((got != 0) == backslash, "\(name) n \(n): \(bytes)")
          if words != expected { return }
        }
      }
    }
  }

  /// The scanner's four ways of reading `bytes` (fast or general path, stage 1 or eight
  /// bytes at a time) against the general path without stage 1, today's reference.
  static func expectAllWaysAgree(_ bytes: [UInt8], _ scanner: JSONScanner) -> Bool {
    func run(fast: Bool, stage1: Bool) -> JSONScannerBothPathsTests.Result {
      let accepted = bytes.withUnsafeBytes { scanner.scan($0, fastPath: fast, stage1: stage1) }
      return JSONScannerBothPathsTests.Result(
        accepted: accepted, rootKind: accepted ? scanner.rootKind : .absent,
        fields: EventField.allCases.map { scanner[$0] }, error: scanner.error)
    }
    let reference = run(fast: false, stage1: false)
    for (fast, stage1) in [(true, true), (false, true), (true, false)] {
      let got = run(fast: fast, stage1: stage1)
      #expect(
        got == reference,
        "fast \(fast) stage1 \(stage1): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
      if got != reference { return false }
    }
    return reference.accepted
  }

  /// `{"type":"track","event":"` padded so that the value `inner` starts at `offset`.
  static func line(value inner: [UInt8], at offset: Int) -> [UInt8] {
    let head = Array(#"{"type":"track","userId":"+14155550100","event":""#.utf8)
    var pad = Array(#","properties":{"note":""#.utf8)
    let fill = max(0, offset - head.count - pad.count - 2)
    pad += [UInt8](repeating: 0x78, count: fill) + Array(#""}"#.utf8)
    let before = head + Array("m\"".utf8) + pad + Array(#","context":{"k":""#.utf8)
    return before + inner + Array(#""},"z":1}"#.utf8)
  }

  @Test(
    "strings, escapes, control bytes and UTF-8 across block boundaries",
    arguments: [
      Array("plain".utf8),
      Array(#"a\"b"#.utf8),  // an escaped quote
      Array(#"\\\\\\\\\\\\"#.utf8),  // a run of escaped backslashes
      Array(#"\\\\\\\\\\\""#.utf8),  // a run ending in an escaped quote
      Array(#"\u00e9\ud83c\udf3b\n\t"#.utf8),
      Array("é🌻ü€".utf8),
      [0x61, 0x01, 0x62],  // a control byte
      [0x61, 0x7F, 0x62],  // DEL is allowed
      [0x61, 0xC3],  // a UTF-8 sequence cut by the quote
      [0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x8C, 0xBB],
      [0xED, 0xA0, 0x80],  // a surrogate in UTF-8
      Array(#"\x"#.utf8),  // a bad escape
      Array(#"\ud800"#.utf8),  // a lone high surrogate
      [UInt8](repeating: 0x61, count: 130),  // a string longer than two blocks
    ])
  func boundaryCrossings(_ inner: [UInt8]) {
    let scanner = JSONScanner()
    for offset in 50...200 {
      let bytes = Self.line(value: inner, at: offset)
      if !Self.expectAllWaysAgree(bytes, scanner) { continue }
      // Unterminated at the end of the line, the string cut at every length.
      for cut in [1, 2, 3, 9] where bytes.count > cut {
        _ = Self.expectAllWaysAgree(Array(bytes.dropLast(cut)), scanner)
      }
    }
  }

  @Test func linesOfEveryLengthAroundTheBlockSizesAgree() {
    let scanner = JSONScanner()
    for n in 0...200 {
      // A string that fills the line exactly, and the same line one byte short.
      let body = [UInt8](repeating: 0x61, count: max(0, n - 8))
      let bytes = Array(#"{"a":""#.utf8) + body + Array(#""}"#.utf8)
      _ = Self.expectAllWaysAgree(bytes, scanner)
      _ = Self.expectAllWaysAgree(Array(bytes.dropLast()), scanner)
      _ = Self.expectAllWaysAgree(Array(bytes.prefix(n)), scanner)
    }
  }

  @Test func randomMutationsOfEventsAgreeWithAndWithoutStage1() {
    var rng = SeededGenerator(seed: 0x5151)
    let scanner = JSONScanner()
    var accepted = 0
    let events = JSONScannerBothPathsTests.events.map { Array($0.utf8) }
    for round in 0..<40_000 {
      var bytes = events.randomElement(using: &rng)!
      // Longer lines too, so that mutations land in later blocks.
      if round % 3 == 0 {
        bytes.insert(
          contentsOf: Array(#""pad":"\#(String(repeating: "p", count: round % 97))","#.utf8), at: 1)
      }
      mutate(&bytes, from: JSONScannerBothPathsTests.alphabet, using: &rng)
      if Self.expectAllWaysAgree(bytes, scanner) { accepted += 1 }
    }
    #expect(accepted > 2_000 && accepted < 38_000, "accepted \(accepted)")
  }
}
