import Testing

@testable import WAKit

/// The scanner's fast paths against plain byte-at-a-time references: the string scan that
/// reads eight bytes at a time and jumps to the first byte needing attention, and the
/// duplicate check that uses a bit set for keys naming a field slot.
@Suite("JSONScanner fast paths")
struct JSONScannerFastPathTests {
  /// Bytes chosen to break a word-at-a-time scan: the quote and backslash and their
  /// neighbours (a borrow out of a flagged byte must not hide or invent a later one),
  /// control bytes, DEL, the first and last non-ASCII lead bytes, continuation bytes.
  static let alphabet: [UInt8] = [
    0x61, 0x62, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x00, 0x01, 0x1F, 0x7F, 0x80, 0xBF,
    0xC3, 0xA9, 0xE2, 0xF0, 0xFF, 0x2F, 0x6E, 0x75, 0x30,
  ]

  /// The string rules, one byte at a time: the offset of the closing quote, or -1.
  static func reference(_ b: [UInt8], from: Int) -> Int {
    var i = from
    while i < b.count {
      let c = b[i]
      if c == 0x22 { return i }
      if c == 0x5C {
        guard i + 1 < b.count else { return -1 }
        switch b[i + 1] {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: i += 2
        case 0x75:
          guard i + 6 <= b.count,
            let unit = UInt32(String(decoding: b[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16),
            b[(i + 2)..<(i + 6)].allSatisfy({ $0 != 0x2B && $0 != 0x2D })
          else { return -1 }
          if unit >= 0xD800 && unit <= 0xDFFF { return -1 }  // the alphabet makes no pairs
          i += 6
        default: return -1
        }
      } else if c < 0x20 {
        return -1
      } else if c < 0x80 {
        i += 1
      } else {
        var decoder = UTF8()
        var iterator = b[i...].makeIterator()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return -1 }
        i += UTF8.width(scalar)
      }
    }
    return -1
  }

  @Test func theWordAtATimeStringScanAgreesWithTheByteAtATimeRules() {
    var random = SeededGenerator(seed: 8)
    let scanner = JSONScanner()
    for round in 0..<60_000 {
      let count = Int(random.next() % 40)
      var bytes = (0..<count).map { _ in
        // Mostly plain letters, so strings run long enough for whole words.
        random.next() % 3 == 0
          ? Self.alphabet[Int(random.next() % UInt64(Self.alphabet.count))] : 0x61
      }
      if round % 2 == 0 { bytes.append(0x22) }
      let from = count == 0 ? 0 : Int(random.next() % UInt64(min(count, 9)))
      let expected = Self.reference(bytes, from: from)
      var escaped = false
      let got = bytes.withUnsafeBufferPointer { p in
        scanner.scanString(p.baseAddress!, from, p.count, &escaped, depth: 0)
      }
      #expect(got == expected, "\(bytes) from \(from)")
      if got != expected { return }
      if expected >= 0 {
        #expect(escaped == bytes[from..<expected].contains(0x5C), "\(bytes)")
      }
    }
  }

  @Test(
    "a key naming a field is a duplicate in its own object, written plainly or escaped",
    arguments: [
      (#"{"event":"a","userId":"+1","event":"b"}"#, "event"),
      (#"{"\u0074ype":"track","type":"track"}"#, "type"),
      (#"{"properties":{"chatId":"a","source":"b","chatId":"c"}}"#, "properties.chatId"),
      (
        #"{"context":{"countryCode":"US","channel":"x","countryCode":"US"}}"#,
        "context.countryCode"
      ),
      // Names that are fields elsewhere but not in this object are compared byte by byte.
      (#"{"messageId":"a","messageId":"b"}"#, "messageId"),
      (#"{"properties":{"type":1,"type":2}}"#, "properties.type"),
      (#"{"context":{"library":{"name":"a","name":"b"}}}"#, "context.library.name"),
    ])
  func knownFieldDuplicates(_ document: String, _ path: String) {
    let outcome = scan(document)
    #expect(outcome.kind == .duplicateKey, "\(document): \(outcome)")
    #expect(outcome.error?.path == path)
  }

  @Test func aKnownFieldRepeatedInALargeObjectIsFoundAtOnce() {
    var s = #"{"type":"track""#
    for k in 0..<40 { s += ",\"k\(k)\":\(k)" }
    let outcome = scan(s + #","type":"track"}"#)
    #expect(outcome.kind == .duplicateKey)
    #expect(outcome.error?.path == "type")
    #expect(outcome.error?.offset == s.utf8.count + 1)
  }

  @Test func theSameFieldNameInDifferentObjectsIsNoDuplicate() {
    #expect(scan(#"{"properties":{"countryCode":"US"},"context":{"countryCode":"US"}}"#).accepted)
    #expect(scan(#"{"type":"track","properties":{"type":"x","event":"y"}}"#).accepted)
    #expect(scan(#"[{"type":1},{"type":2}]"#).accepted)
    #expect(scan(#"{"properties":{"chatId":"a"},"x":{"chatId":"b"}}"#).accepted)
  }

  @Test func everyFieldSlotFitsTheBitSetOfSlotsSeen() {
    #expect(EventField.count <= 64)
  }
}
