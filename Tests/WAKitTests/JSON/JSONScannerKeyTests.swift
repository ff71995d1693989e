import Testing

@testable import WAKit

/// Duplicate keys (SPEC §1: an object with the same key twice is rejected), compared after
/// decoding escapes, in every object of the document, small and large.
@Suite("JSONScanner duplicate keys")
struct JSONScannerKeyTests {
  @Test(
    "duplicates are found, with the repeated key's path",
    arguments: [
      (#"{"a":1,"a":2}"#, "a"),
      (#"{"a":1,"a":1}"#, "a"),
      (#"{"a":1,"b":2,"a":3}"#, "a"),
      (#"{"":1,"":2}"#, ""),
      (#"{"a":1,"\u0061":2}"#, "a"),
      (#"{"\u0061":1,"a":2}"#, "a"),
      (#"{"\u0061":1,"\u0061":2}"#, "a"),
      (#"{"a/b":1,"a\/b":2}"#, "a/b"),
      (#"{"é":1,"\u00e9":2}"#, "é"),
      (#"{"é":1,"\u00C9":2,"\u00E9":3}"#, "é"),
      (#"{"😀":1,"\ud83d\ude00":2}"#, "😀"),
      (#"{"a\nb":1,"a\u000Ab":2}"#, "a\nb"),
      (#"{"type":"track","type":"track"}"#, "type"),
      (#"{"properties":{"x":1,"x":2}}"#, "properties.x"),
      (#"{"properties":{"messageId":"1","messageId":"2"}}"#, "properties.messageId"),
      (#"{"a":{"b":{"c":1,"c":2}}}"#, "a.b.c"),
      (#"[{"a":1,"a":2}]"#, "[0].a"),
      (#"{"x":[1,{"k":1,"k":2}]}"#, "x[1].k"),
      (#"{"x":[[],[{}, {"k":{"j":0},"k":0}]]}"#, "x[1][1].k"),
      (#"{"a":{"b":1,"c":2},"a":3}"#, "a"),
      (#"{"a":[{"a":1}],"b":{"a":2},"a":3}"#, "a"),
    ])
  func duplicate(_ document: String, _ path: String) {
    let outcome = scan(document)
    #expect(outcome.kind == .duplicateKey, "\(document): \(outcome)")
    #expect(outcome.error?.path == path)
    #expect(outcome.error?.message.hasPrefix("duplicate key") == true)
  }

  @Test(
    "the same name in different objects is not a duplicate",
    arguments: [
      #"{"a":1,"A":2}"#, #"{"a":1,"a ":2}"#, #"{"a":1,"\u0061b":2}"#, #"{"a":{"a":{"a":1}}}"#,
      #"[{"a":1},{"a":2}]"#, #"{"a":{"b":1},"b":2}"#, #"{"x":{"k":1},"y":{"k":1}}"#,
      #"{"k":[{"k":1},{"k":2}],"j":{"k":3}}"#, #"{"é":1,"e\u0301":2}"#, #"{"\\u0061":1,"a":2}"#,
      #"{"a":"a","b":"a"}"#,
    ])
  func notDuplicate(_ document: String) {
    #expect(scan(document).accepted, "\(document)")
  }

  @Test func theOffsetOfASmallObjectsDuplicateIsTheRepeatedKeysQuote() {
    #expect(scan(#"{"a":1,"a":2}"#).error?.offset == 7)
    #expect(scan(#"{"a":1, "\u0061":2}"#).error?.offset == 8)
  }

  /// `n` distinct keys, `k0` … `k<n-1>`, each with a small value.
  static func object(keys n: Int, extra: String = "") -> String {
    var s = "{"
    for k in 0..<n { s += (k == 0 ? "" : ",") + "\"k\(k)\":\(k)" }
    return s + extra + "}"
  }

  @Test(.timeLimit(.minutes(10)))
  func tenThousandDistinctKeysAreFineAndFast() {
    let document = Self.object(keys: 10_000)
    let scanner = JSONScanner()
    let elapsed = ContinuousClock().measure {
      for _ in 0..<10 { #expect(scan(document, with: scanner).accepted) }
    }
    #expect(elapsed < .seconds(5), "10 × 10,000 keys took \(elapsed)")
  }

  @Test func aDuplicateAtTheEndOfALargeObjectIsFound() throws {
    let error = try #require(scan(Self.object(keys: 10_000, extra: #","k0":0"#)).error)
    #expect(error.kind == .duplicateKey)
    #expect(error.path == "k0")
    // The offset points at the repeated key (the second one), whether written with escapes
    // or not.
    let plain = Self.object(keys: 10_000, extra: #","k9999":0"#)
    let plainError = try #require(scan(plain).error)
    #expect(plainError.path == "k9999")
    #expect(plainError.offset == Array(plain.utf8).count - 10)
    let escaped = Self.object(keys: 10_000, extra: #","\u006b42":0"#)
    let escapedError = try #require(scan(escaped).error)
    #expect(escapedError.kind == .duplicateKey)
    #expect(escapedError.path == "k42")
    #expect(escapedError.offset == Array(escaped.utf8).count - 13)
  }

  @Test func largeObjectsInsideOthers() throws {
    // Nested large object with a duplicate: the path names the outer key.
    let nested = "{\"o\":" + Self.object(keys: 100, extra: #","\u006b7":1"#) + "}"
    let error = try #require(scan(nested).error)
    #expect(error.kind == .duplicateKey)
    #expect(error.path == "o.k7")
    // Large objects inside arrays, each with the same keys: no duplicate.
    let array =
      "[" + Array(repeating: Self.object(keys: 40), count: 20).joined(separator: ",")
      + "]"
    #expect(scan(array).accepted)
    let bad =
      "[" + Self.object(keys: 40) + "," + Self.object(keys: 40, extra: #","k39":0"#)
      + "]"
    #expect(scan(bad).error?.path == "[1].k39")
    // A large outer object whose key repeats after a nested object closed.
    var outer = "{"
    for k in 0..<30 { outer += "\"k\(k)\":{\"k\(k)\":[{\"k0\":0}]}," }
    #expect(scan(outer + "\"z\":0}").accepted)
    #expect(scan(outer + "\"k3\":0}").error?.path == "k3")
  }

  /// Around the switch from the linear check to the sorted one, a duplicate of the first
  /// key is found wherever it comes.
  @Test(arguments: 1...40)
  func duplicateAfterNKeys(_ n: Int) {
    let outcome = scan(Self.object(keys: n, extra: #","k0":"again""#))
    #expect(outcome.kind == .duplicateKey)
    #expect(outcome.error?.path == "k0")
    #expect(scan(Self.object(keys: n, extra: #","k\#(n)":"new""#)).accepted)
  }

  @Test func escapedKeysOfEveryLengthAreDecodedIntoTheArena() {
    // Many long escaped keys: the arena that holds decoded keys has to grow.
    var s = "{"
    for k in 0..<300 {
      s += (k == 0 ? "" : ",") + "\"\\u0078" + String(repeating: "y", count: k) + "\":0"
    }
    #expect(scan(s + "}").accepted)
    #expect(scan(s + ",\"x" + String(repeating: "y", count: 299) + "\":1}").kind == .duplicateKey)
    #expect(scan(s + ",\"x" + String(repeating: "y", count: 0) + "\":1}").kind == .duplicateKey)
  }
}
