import Testing

@testable import WAKit

/// Finding a batch's elements: exactly on lines the scanner accepted, and without the scanner
/// on lines it refused because of one element.
@Suite("BatchElements")
struct BatchElementsTests {
  /// The elements of `line`'s batch as strings, found from `locate`.
  static func elements(_ line: String) -> [String]? {
    let bytes = Array(line.utf8)
    return bytes.withUnsafeBytes { raw -> [String]? in
      guard let (open, close) = BatchElements.locate(raw) else { return nil }
      var it = BatchElements(raw, open: open, close: close)
      var out: [String] = []
      while let r = it.next() { out.append(String(decoding: bytes[r], as: UTF8.self)) }
      return out
    }
  }

  @Test func elementsAreSplitAtTheArraysOwnCommas() {
    #expect(Self.elements(#"{"batch":[]}"#) == [])
    #expect(Self.elements(#"{"batch":[ ]}"#) == [])
    #expect(Self.elements(#"{"batch":[1]}"#) == ["1"])
    #expect(
      Self.elements(#"{"sentAt":"x","batch":[ {"a":[1,2]} ,{"b":{"c":","}}, "s\",]" ],"z":1}"#)
        == [#"{"a":[1,2]}"#, #"{"b":{"c":","}}"#, #""s\",]""#])
    #expect(Self.elements(#"{"batch":[{"k":"\\"},2]}"#) == [#"{"k":"\\"}"#, "2"])
  }

  /// Strings are skipped eight bytes at a time: a quote, an escaped quote or a backslash at
  /// every offset of those eight bytes, and strings cut short, split as byte by byte.
  @Test func quotesAndEscapesAtEveryOffsetOfAWord() {
    for pad in 0..<20 {
      let p = String(repeating: "x", count: pad)
      let elements = [
        #"{"k":"\#(p)\",]\#(p)"}"#, #"{"\#(p)":"\#(p)\\"}"#, #""\#(p)\\\",[{""#,
        #"{"a":"\#(p)","b":[",",\#(pad)]}"#, #""\#(p)é\u0022\#(p)""#,
      ]
      let line = #"{"batch":["# + elements.joined(separator: ",") + "]}"
      #expect(Self.elements(line) == elements, "\(line)")
      // Cut short inside a string: no batch to locate, yet a split that ends at the array.
      let bytes = Array(#"{"batch":["#.utf8) + Array(#""\#(p)\"\#(p),"#.utf8) + Array("]".utf8)
      bytes.withUnsafeBytes { raw in
        var it = BatchElements(raw, open: 9, close: bytes.count - 1)
        #expect(it.next() == 10..<(bytes.count - 1), "\(pad)")
        #expect(it.next() == nil)
      }
    }
  }

  @Test func brokenElementsStillHaveBounds() {
    // Bad JSON inside one element: the others are intact.
    #expect(Self.elements(#"{"batch":[{"a":tru},{"b":1}]}"#) == [#"{"a":tru}"#, #"{"b":1}"#])
    #expect(Self.elements(#"{"batch":[,]}"#) == ["", ""])
    #expect(Self.elements(#"{"batch":[1, ]}"#) == ["1", ""])  // the trailing comma is not lost
  }

  @Test func noBatchToLocate() {
    for line in [
      #"{"batch":{"a":1}}"#, #"{"other":[1]}"#, #"[{"batch":[]}]"#, #"{"batch":[1,2"#,
      #"{"batch":["x]}"#, #"{"a":"unterminated"#, "", "{", #"{"batc\u0068":[1]}"#,
    ] {
      #expect(Self.elements(line) == nil, "\(line)")
    }
  }

  @Test func theValidatorHandsOverBatchLines() {
    let v = EventValidator()
    let line = #"{"batch":[{"type":"track"}],"sentAt":"x"}"#
    let verdict = validate(line, with: v)
    #expect(!verdict.valid && verdict.problems.isEmpty)
    #expect(v.batchArray.map { [$0.open, $0.close] } == [9, 26])
    // A duplicate key inside an element: still a batch, the element decides.
    let dup = validate(#"{"batch":[{"a":1,"a":2}]}"#, with: v)
    #expect(dup.problems.isEmpty && v.batchArray != nil)
    // Not an array, or a duplicate `batch`: one rejected line.
    #expect(validate(#"{"batch":5}"#, with: v).only == "wrong_type batch")
    #expect(v.batchArray == nil)
    #expect(validate(#"{"batch":[{"a":1,"a":2}],"batch":[]}"#, with: v).only != nil)
    #expect(v.batchArray == nil)
    // In an element, a batch is a nested batch.
    let element = Array(#"{"batch":[]}"#.utf8)
    let nested = element.withUnsafeBytes {
      v.validateElement(Line(bytes: $0, number: 1, length: $0.count))
    }
    #expect(!nested && v.errors.map(\.path) == ["batch"] && v.batchArray == nil)
  }

  @Test(
    "foreign lines",
    arguments: [
      (#"{"type":"identify","userId":"u1"}"#, true),
      (#"{"type":"page","name":"Home"}"#, true),
      (#"{"type":"track","event":"Order Completed","properties":{}}"#, true),
      (#"{"type":"track","event":"message.read","context":{"channel":"web"}}"#, true),
      (#"{"event":"x","context":{"channel":"sms"}}"#, true),
      (#"{"type":"track","event":"message.opened","context":{"channel":"whatsapp"}}"#, false),
      (#"{"type":"track","event":"message.read","context":{}}"#, false),
      (#"{"type":5,"event":"x"}"#, true),  // the event name decides, not the bad type
      (#"{"type":5,"event":"message.read"}"#, false),
      (#"{"type":"track","context":{"channel":7}}"#, false),
      (#"{"type":"track"}"#, false),
      ("[1]", false), ("not json", false),
    ] as [(String, Bool)])
  func foreign(_ line: String, _ expected: Bool) {
    let v = EventValidator()
    let verdict = validate(line, with: v)
    #expect(!verdict.valid)
    #expect(v.isForeign() == expected, "\(line)")
  }
}
