import Testing

@testable import WAKit

/// `EnrichSink.memberRange`: what `--pseudonymize` cuts out of a line to remove a member
/// (`context.username`), wherever the member stands and however the line is spaced.
@Suite("wa-enrich: removing a member")
struct EnrichSinkMemberTests {
  /// The line with the member whose value starts at `value` (a string's opening quote,
  /// another value's first byte) removed, and whether the object became empty.
  static func remove(_ line: String, value: String, kind: JSONKind) -> (String, Bool) {
    let bytes = Array(line.utf8)
    let v = Array(value.utf8)
    let at = (0...(bytes.count - v.count)).first { bytes[$0..<$0 + v.count].elementsEqual(v) }!
    let ref: ValueRef
    switch kind {
    case .string:
      ref = ValueRef(kind: .string, flags: 0, start: Int32(at + 1), end: Int32(at + v.count - 1))
    case .object, .array:
      ref = ValueRef(kind: kind, flags: 0, start: Int32(at), end: Int32(at + v.count - 1))
    default:
      ref = ValueRef(kind: kind, flags: 0, start: Int32(at), end: Int32(at + v.count))
    }
    return bytes.withUnsafeBytes { raw in
      let r = EnrichSink.memberRange(of: ref, in: raw)
      let out = Array(bytes[..<r.start]) + Array(bytes[r.end...])
      return (String(decoding: out, as: UTF8.self), r.empties)
    }
  }

  @Test func aMemberAfterOthersTakesTheCommaBeforeIt() {
    let (out, empty) = Self.remove(
      #"{"context":{"channel":"whatsapp","username":"@ana"},"x":1}"#, value: #""@ana""#,
      kind: .string)
    #expect(out == #"{"context":{"channel":"whatsapp"},"x":1}"#)
    #expect(!empty)
  }

  @Test func theFirstMemberTakesTheCommaAfterIt() {
    let (out, empty) = Self.remove(
      #"{"context":{ "username" : "@ana" , "channel":"whatsapp"}}"#, value: #""@ana""#,
      kind: .string)
    #expect(out == #"{"context":{  "channel":"whatsapp"}}"#)
    #expect(!empty)
  }

  @Test func theOnlyMemberLeavesAnEmptyObject() {
    let (out, empty) = Self.remove(#"{"c":{"username":null}}"#, value: "null", kind: .null)
    #expect(out == #"{"c":{}}"#)
    #expect(empty)
  }

  @Test func escapedKeysAndCompositeValues() {
    // The key spelled with escapes (a quote and a backslash inside would still be found).
    let (a, _) = Self.remove(
      #"{"c":{"channel":"whatsapp","user\u006eame":{"a":"\"}"}}}"#, value: #"{"a":"\"}"}"#,
      kind: .object)
    #expect(a == #"{"c":{"channel":"whatsapp"}}"#)
    let (b, _) = Self.remove(
      #"{"c":{"k\"\\":1,"username":["x"],"channel":"whatsapp"}}"#, value: #"["x"]"#,
      kind: .array)
    #expect(b == #"{"c":{"k\"\\":1,"channel":"whatsapp"}}"#)
  }
}
