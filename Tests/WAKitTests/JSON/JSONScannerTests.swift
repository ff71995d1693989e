import Testing

@testable import WAKit

/// The RFC 8259 grammar as `JSONScanner` enforces it: numbers, literals, strings,
/// whitespace, structure, nesting limits, root kinds and error reports.
@Suite("JSONScanner grammar")
struct JSONScannerTests {
  // MARK: Numbers

  @Test(
    "valid numbers",
    arguments: [
      "0", "-0", "1", "-1", "10", "1234567890", "1e5", "1E5", "1e+5", "1E+5", "1e-5", "1.5",
      "1.5e-3", "-12.34E-10", "0.0", "-0.0", "0e0", "0E-0", "-0.0e+0", "1.0000000000000001",
      "123456789012345678901234567890", "1e999999999", "-1e-999999999", "0.000001",
    ])
  func validNumber(_ literal: String) {
    let top = scan(literal)
    #expect(top.accepted, "\(literal): \(top)")
    #expect(top.rootKind == .number)
    #expect(scan("[\(literal)]").accepted)
    #expect(scan(#"{"n":\#(literal)}"#).accepted)
    #expect(scan(#"{"n": \#(literal) , "m":\#(literal)}"#).accepted)
  }

  @Test(
    "invalid numbers",
    arguments: [
      "01", "-01", "00", "-00", "007", "-", "--1", "+1", "+0", "1.", "-1.", ".5", "-.5", "1.e5",
      "1e", "1E", "1e+", "1e-", "1.5e", "0x1F", "0x", "1_000", "1.5.5", "- 1", "1e5.5",
      "Infinity", "-Infinity", "NaN", "-NaN", "1e1e1", "１",
    ])
  func invalidNumber(_ literal: String) {
    for document in [literal, "[\(literal)]", #"{"n":\#(literal)}"#] {
      let outcome = scan(document)
      #expect(!outcome.accepted, "\(document) was accepted")
      #expect(outcome.kind == .invalidJSON, "\(document): \(outcome)")
    }
  }

  @Test func hugeExponentsAreGrammarNotValue() {
    // The scanner checks the grammar only: 1e400 is a number (its value is infinite, which
    // the schema judges where it matters).
    #expect(
      scan("[1e400, -1e400, 1e-400, 1" + String(repeating: "0", count: 5000) + "]")
        .accepted)
  }

  // MARK: Literals

  @Test("valid literals", arguments: [("true", JSONKind.bool), ("false", .bool), ("null", .null)])
  func validLiteral(_ literal: String, _ kind: JSONKind) {
    let outcome = scan(literal)
    #expect(outcome.accepted && outcome.rootKind == kind)
    #expect(scan(#"{"a":\#(literal),"b":[\#(literal),\#(literal)]}"#).accepted)
  }

  @Test(
    "invalid literals",
    arguments: [
      "tru", "t", "nul", "n", "fals", "f", "True", "TRUE", "False", "Null", "NULL", "nulll",
      "truee", "truefalse", "nil", "none", "undefined", "yes", "tr ue",
    ])
  func invalidLiteral(_ literal: String) {
    for document in [literal, "[\(literal)]", #"{"a":\#(literal)}"#] {
      let outcome = scan(document)
      #expect(outcome.kind == .invalidJSON, "\(document): \(outcome)")
    }
  }

  // MARK: Strings

  @Test(
    "valid escapes",
    arguments: [
      #"\""#, #"\\"#, #"\/"#, #"\b"#, #"\f"#, #"\n"#, #"\r"#, #"\t"#, #"\u0041"#, #"\u00e9"#,
      #"\u00E9"#, #"\uaBcD"#, #"\u0000"#, #"\u001f"#, #"\uFFFF"#, #"\uD83D\uDE00"#,
      #"\ud83d\ude00"#, #"\uDBFF\uDFFF"#, #"\uD800\uDC00"#, #"a\"b\\c\/d\be\ff\ng\rh\ti"#,
      #"\\u0041"#, #"\\\""#,
    ])
  func validEscape(_ content: String) {
    let outcome = scan("\"\(content)\"")
    #expect(outcome.accepted && outcome.rootKind == .string, "\(content): \(outcome)")
    #expect(scan(#"{"k\#(content)":"v\#(content)"}"#).accepted)
  }

  @Test(
    "invalid escapes",
    arguments: [
      #"\x41"#, #"\'"#, #"\a"#, #"\v"#, #"\0"#, #"\e"#, #"\U0041"#, #"\u"#, #"\u1"#, #"\u12"#,
      #"\u123"#, #"\u12G4"#, #"\u-123"#, #"\ "#, "\\\u{e9}",
    ])
  func invalidEscape(_ content: String) {
    for document in ["\"\(content)\"", #"{"a":"\#(content)"}"#, #"{"\#(content)":1}"#] {
      let outcome = scan(document)
      #expect(outcome.kind == .invalidJSON, "\(document): \(outcome)")
    }
  }

  /// A lone surrogate escape cannot become UTF-8, so it is rejected (RFC 8259 leaves this
  /// to the implementation).
  @Test(
    "lone and misordered surrogate escapes",
    arguments: [
      #"\uD800"#, #"\uDBFF"#, #"\uD83Dx"#, #"\uD83D\n"#, #"\uD83D\u0041"#, #"\uD83D\uD83D"#,
      #"\uD83D\uDE0"#, #"\uD83D\"#, #"\uDC00"#, #"\uDFFF"#, #"\uDE00\uD83D"#, #"x\udc00"#,
    ])
  func loneSurrogate(_ content: String) {
    let outcome = scan("[\"\(content)\"]")
    #expect(outcome.kind == .invalidJSON, "\(content): \(outcome)")
  }

  @Test("raw control characters must be escaped", arguments: 0x00..<0x20)
  func rawControlCharacter(_ byte: Int) {
    let bytes: [UInt8] = [0x22, 0x61, UInt8(byte), 0x62, 0x22]
    let outcome = scan(bytes)
    #expect(outcome.kind == .invalidJSON)
    #expect(outcome.error?.offset == 2)
    // Also inside a key, and past the scanner's 8-byte fast path.
    let long = Array(#"{"abcdefghijklmnop"#.utf8) + [UInt8(byte)] + Array(#"":1}"#.utf8)
    #expect(scan(long).error?.offset == 18)
  }

  @Test func deleteAndOtherPrintableBytesAreAllowed() {
    #expect(scan([0x22, 0x7F, 0x22]).accepted)
    let printable = (0x20...0x7E).map(UInt8.init).filter { $0 != 0x22 && $0 != 0x5C }
    #expect(scan([0x22] + printable + [0x7F, 0x22]).accepted)
  }

  @Test(
    "unterminated strings",
    arguments: [
      #"""#, #""abc"#, #""abc\"#, #""abc\""#, #""\u00"#, #"{"a":"b}"#, #"{"a"#,
      #"["abcdefghijklmnopqrstuvwxyz"#, #""\uD83D"#, #""\uD83D\u"#,
    ])
  func unterminatedString(_ document: String) {
    let outcome = scan(document)
    #expect(outcome.kind == .invalidJSON, "\(document): \(outcome)")
  }

  @Test func longStringsCrossTheFastPathAtEveryAlignment() {
    for length in 0..<40 {
      for special in ["", #"\n"#, "é", "😀"] {
        let content =
          String(repeating: "a", count: length) + special
          + String(repeating: "b", count: length % 9)
        #expect(scan("\"\(content)\"").accepted, "\(content)")
        #expect(scan("\"\(content)").kind == .invalidJSON)
        #expect(scan(Array("\"\(content)".utf8) + [0x01, 0x22]).kind == .invalidJSON)
      }
    }
  }

  @Test("single quotes are not strings", arguments: ["'a'", "{'a':1}", #"{"a":'b'}"#, "['x']"])
  func singleQuotes(_ document: String) {
    #expect(scan(document).kind == .invalidJSON)
  }

  // MARK: Whitespace

  @Test(
    "JSON whitespace anywhere between tokens",
    arguments: [
      " {} ", "\t{}\t", #" { "a" : 1 , "b" : [ 1 , 2 ] } "#, "{\t\"a\"\t:\t1\t}",
      "{\"a\":\r1\r}", "\r\n{\"a\"\n:\n[\r\n]}\n", "[ ]", "{ }", "   \"x\"   ", " 1 ",
    ])
  func whitespace(_ document: String) {
    #expect(scan(document).accepted, "\(document)")
  }

  @Test(
    "other space characters are not whitespace",
    arguments: [
      [0x0C, 0x7B, 0x7D], [0x7B, 0x7D, 0x0B], [0x5B, 0x00, 0x5D], [0xC2, 0xA0, 0x7B, 0x7D],
      [0x7B, 0x7D, 0xE2, 0x80, 0xA8], [0xEF, 0xBB, 0xBF, 0x7B, 0x7D], [0x5B, 0x31, 0x0C, 0x5D],
    ] as [[UInt8]])
  func notWhitespace(_ bytes: [UInt8]) {
    #expect(scan(bytes).kind == .invalidJSON)
  }

  @Test(
    "empty and blank documents", arguments: ["", " ", "\t", "  \t \r ", "\n"])
  func emptyDocument(_ document: String) {
    let outcome = scan(document)
    #expect(outcome.kind == .invalidJSON)
    #expect(outcome.rootKind == .absent)
  }

  @Test func emptyBufferWithoutAddress() {
    let scanner = JSONScanner()
    #expect(!scanner.scan(UnsafeRawBufferPointer(start: nil, count: 0)))
    #expect(scanner.error?.kind == .invalidJSON)
  }

  // MARK: Structure

  @Test(
    "valid structures",
    arguments: [
      "{}", "[]", #"{"a":{}}"#, #"{"a":[]}"#, "[[]]", "[{}]", #"[{},[],{"a":[{}]}]"#,
      #"{"":""}"#, #"{"a":1,"b":{"c":[true,false,null,"x",-1.5e3]}}"#, "[1,[2,[3,[4]]]]",
    ])
  func validStructure(_ document: String) {
    #expect(scan(document).accepted, "\(document)")
  }

  @Test(
    "invalid structures",
    arguments: [
      "{", "[", "}", "]", "{]", "[}", #"{"a":1]"#, "[1}", "[1,]", "[,1]", "[1,,2]", "[,]",
      #"{"a":1,}"#, "{,}", #"{,"a":1}"#, #"{"a":1,,"b":2}"#, #"{"a" 1}"#, #"{"a":}"#, #"{"a"}"#,
      #"{"a"::1}"#, "{1:2}", "{a:1}", "{null:1}", #"{"a":1 "b":2}"#, "[1 2]", #"["a" "b"]"#,
      "{}}", "[]]", "{}{}", "[][]", "{},", "{} x", "{}x", #"{"a":1}#"#, "1 2", #""a""b""#,
      "[1]x", "[1,2", #"{"a":[1,2}"#, #"{"a":NaN}"#, #"{"a":Infinity}"#, #"{"a":-Infinity}"#,
      #"{"a":1 /* c */}"#, #"{"a":1} // c"#, "// c\n{}", "/* c */ {}", "# c\n{}", #"{"a":1;}"#,
      #"{"a"=1}"#, #"{"a"=>1}"#, "(1)", "<x/>", "[\"a\",]", #"{"a":undefined}"#,
    ])
  func invalidStructure(_ document: String) {
    let outcome = scan(document)
    #expect(outcome.kind == .invalidJSON, "\(document): \(outcome)")
  }

  // MARK: Root kinds

  @Test(
    "the top-level value may be any kind; rootKind tells",
    arguments: [
      ("{}", JSONKind.object), (#"{"a":1}"#, .object), ("[]", .array), ("[1]", .array),
      (#""s""#, .string), ("0", .number), ("-1", .number), ("1.5", .number),
      ("true", .bool), ("false", .bool), ("null", .null), (" {} ", .object),
    ])
  func rootKind(_ document: String, _ kind: JSONKind) {
    let outcome = scan(document)
    #expect(outcome.accepted)
    #expect(outcome.rootKind == kind)
  }

  // MARK: Nesting

  @Test func sixtyFourLevelsAreAccepted() {
    let arrays = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
    #expect(scan(arrays).accepted)
    let objects = String(repeating: #"{"a":"#, count: 63) + "{}" + String(repeating: "}", count: 63)
    #expect(scan(objects).accepted)
    let mixed = String(repeating: #"{"a":["#, count: 32) + String(repeating: "]}", count: 32)
    #expect(scan(mixed).accepted)
    // Depth is reached and left again: many siblings at the limit are fine.
    let wide =
      "["
      + Array(
        repeating: String(repeating: "[", count: 63)
          + String(repeating: "]", count: 63), count: 100
      ).joined(separator: ",") + "]"
    #expect(scan(wide).accepted)
  }

  @Test func sixtyFiveLevelsAreTooDeep() {
    let arrays = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
    let outcome = scan(arrays)
    #expect(outcome.kind == .tooDeep)
    #expect(outcome.error?.offset == 64)
    #expect(outcome.error?.path == String(repeating: "[0]", count: 64))
    let objects = String(repeating: #"{"a":"#, count: 64) + "{}" + String(repeating: "}", count: 64)
    let deep = scan(objects)
    #expect(deep.kind == .tooDeep)
    #expect(deep.error?.path == Array(repeating: "a", count: 64).joined(separator: "."))
    // An empty container at level 65 is still level 65.
    #expect(
      scan(String(repeating: "[", count: 64) + "{}" + String(repeating: "]", count: 64))
        .kind == .tooDeep)
  }

  @Test(.timeLimit(.minutes(10)))
  func aHundredThousandOpenBracketsFailFast() {
    let scanner = JSONScanner()
    for bracket in ["[", "{\"a\":", "[{\"b\":"] {
      let bytes = Array(String(repeating: bracket, count: 100_000).utf8)
      let clock = ContinuousClock()
      let elapsed = clock.measure {
        #expect(scan(bytes, with: scanner).kind == .tooDeep)
      }
      #expect(elapsed < .seconds(1), "\(bracket): \(elapsed)")
    }
    let balanced = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(scan(balanced, with: scanner).kind == .tooDeep)
  }

  // MARK: Error reports

  @Test func errorsCarryOffsetPathAndMessage() throws {
    let comma = try #require(scan(#"{"a":1,}"#).error)
    #expect(comma.kind == .invalidJSON)
    #expect(comma.offset == 7)
    #expect(comma.path == "a")
    #expect(comma.message == "expected a string key, found '}' at byte 8")

    let element = try #require(scan(#"{"a":[1,2,x]}"#).error)
    #expect(element.offset == 10)
    #expect(element.path == "a[2]")
    #expect(element.message.hasPrefix("expected a value, found 'x'"))

    let escape = try #require(scan(#"{"properties":{"messageId":"ab\x"}}"#).error)
    #expect(escape.offset == 30)
    #expect(escape.path == "properties.messageId")
    #expect(escape.message.hasPrefix("invalid escape"))

    let trailing = try #require(scan(#"{"a":1} x"#).error)
    #expect(trailing.offset == 8)
    #expect(trailing.path == "")
    #expect(trailing.message.hasPrefix("unexpected data after the value"))

    let end = try #require(scan(#"{"a":[1,"#).error)
    #expect(end.offset == 8)
    #expect(end.message.hasPrefix("unexpected end of line"))

    let control = try #require(scan([0x5B, 0x22, 0x09, 0x22, 0x5D]).error)
    #expect(control.offset == 2)
    #expect(control.path == "[0]")
    #expect(control.message.contains("U+0009"))

    let number = try #require(scan(#"{"list":[{"n":01}]}"#).error)
    #expect(number.path == "list[0].n")
    #expect(number.message.contains("leading zero"))

    let unprintable = try #require(scan([0x5B, 0x01, 0x5D]).error)
    #expect(unprintable.message.contains("byte 0x01"))
  }

  @Test func aScannerIsReusedAfterErrors() {
    let scanner = JSONScanner()
    #expect(scan(#"{"a":1,}"#, with: scanner).kind == .invalidJSON)
    let ok = scan(#"{"a":1}"#, with: scanner)
    #expect(ok.accepted && ok.error == nil && ok.rootKind == .object)
    #expect(scan("[1,2", with: scanner).kind == .invalidJSON)
    #expect(scan("", with: scanner).rootKind == .absent)
    #expect(scan(String(repeating: "[", count: 70), with: scanner).kind == .tooDeep)
    #expect(scan(#"{"a":{"b":1,"b":2}}"#, with: scanner).kind == .duplicateKey)
    let again = scan(#"{"a":{"b":1},"b":2}"#, with: scanner)
    #expect(again.accepted, "\(again)")
  }
}
