import Testing

@testable import WAKit

/// The batch fast path (`BatchLine`, `EventValidator.recogniseBatch`) against the general
/// path's batches: the same lines taken, the same elements, and through a filter the same
/// output, rejects and counts.
@Suite("BatchLine")
struct BatchLineTests {
  static let event =
    #"{"type":"track","event":"message.read","userId":"+254712345678","timestamp":"#
    + #""2026-11-02T10:00:00Z","properties":{"messageId":"wamid.A"},"#
    + #""context":{"channel":"whatsapp"}}"#

  /// Lines at the edges of the batch grammar, each a case the general path settles its own
  /// way (a batch, one rejected line, elements rejected one by one).
  static let edgeLines: [String] = {
    let e = event
    return [
      #"{"batch":[]}"#, #"{"batch":[ ]}"#, #" { "batch" : [ ] } "#, "{\t\"batch\"\r\n:[]}",
      #"{"batch":["# + e + "]}", #"{"batch":["# + e + "," + e + #"],"sentAt":"x"}"#,
      #"{"batch":[ "# + e + " , " + e + " ]}", #"{"batch":[1,"x",null,[],{}]}"#,
      #"{"batch":[,]}"#, #"{"batch":[1,]}"#, #"{"batch":[,1]}"#, #"{"batch":[1, ]}"#,
      #"{"batch":[1 2]}"#, #"{"batch":[1}"#, #"{"batch":[1}}"#, #"{"batch":[{"a":1}} } "#,
      #"{"batch":[1]]}"#, #"{"batch":[1]"#,
      #"{"batch":["# + e + ",", #"{"batch":["# + e + #"],"batch":[]}"#,
      #"{"batch":["# + e + #"]} trailing"#, #"{"batch":[1],}"#, #"{"batch":[1],"x":}"#,
      #"{"batch":[1],"x":[2]}"#, #"{"batch":[1],"x":"]"}"#, #"{"batch":[1],"x":[2] z ]}"#,
      #"{"batch":["# + e + #",{"batch":["# + e + #"]}]}"#,
      #"{"batch":["# + e + #",{"type":"track","type":"track"},"# + e + "]}",
      #"{"batch":[{"a":tru},{"b":1}]}"#, #"{"batch":[{"a":[}],"x":1]}"#,
      #"{"batch":["s\",]", "\\", "\u0022"]}"#, #"{"batch":["unterminated]}"#,
      #"{"batch":[{"k":"\#u{7}"}]}"#, #"{"batch":[{"é":"ü"}],"sentAt":"\u00e9"}"#,
      #"{"batch":5}"#, #"{"batch":{"a":1}}"#, #"{"batch":"[1]"}"#, #"{"b\u0061tch":[1]}"#,
      #"{"sentAt":"x","batch":[1]}"#, #"{"batch" :[1],"batch2":[2]}"#, #"[{"batch":[]}]"#,
      #"{"batch":["# + String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
        + "]}",
      #"{"batch":["# + String(repeating: "[", count: 62) + String(repeating: "]", count: 62)
        + "]}",
      #"{"batch":["# + String(repeating: "1,", count: BatchLine.commaCapacity + 2) + "1]}",
      #"{"batch":["# + String(repeating: "1,", count: BatchLine.commaCapacity) + "]}",
      #"{"batch":["# + String(repeating: ",", count: BatchLine.commaCapacity - 1) + "1]}",
      e, "not json", "{}", #"{"batch"#,
    ]
  }()

  /// The elements of `line`'s batch by the fast path, or nil when it does not take the line.
  static func fastElements(_ line: String) -> [String]? {
    let bytes = Array(line.utf8)
    return bytes.withUnsafeBytes { raw -> [String]? in
      let v = EventValidator()
      guard v.recogniseBatch(Line(bytes: raw, number: 1, length: raw.count)) else { return nil }
      var it = v.batchLine.elements(of: raw)
      var out: [String] = []
      while let r = it.next() { out.append(String(decoding: bytes[r], as: UTF8.self)) }
      return out
    }
  }

  /// The general path's batch of `line`: its array and elements, or nil when it is no batch.
  static func generalElements(_ line: String) -> (open: Int, close: Int, elements: [String])? {
    let bytes = Array(line.utf8)
    return bytes.withUnsafeBytes { raw in
      let v = EventValidator()
      let valid = v.validate(Line(bytes: raw, number: 1, length: raw.count))
      guard !valid, let (open, close) = v.batchArray else { return nil }
      var it = BatchElements(raw, open: open, close: close)
      var out: [String] = []
      while let r = it.next() { out.append(String(decoding: bytes[r], as: UTF8.self)) }
      return (open, close, out)
    }
  }

  @Test func theFastPathTakesTheBatchesThatOpenSoAndNothingElse() {
    let e = Self.event
    #expect(Self.fastElements(#"{"batch":[]}"#) == [])
    #expect(Self.fastElements(#" { "batch" : [ 1 , ] } "#) == ["1", ""])
    #expect(Self.fastElements(#"{"batch":[,]}"#) == ["", ""])
    #expect(Self.fastElements(#"{"batch":["# + e + ", " + e + #"],"sentAt":"x"}"#) == [e, e])
    #expect(Self.fastElements(#"{"batch":[{"a":tru},{"b":1}]}"#) == [#"{"a":tru}"#, #"{"b":1}"#])
    // Not opening so: the general path decides.
    #expect(Self.fastElements(#"{"sentAt":"x","batch":[1]}"#) == nil)
    #expect(Self.fastElements(#"{"b\u0061tch":[1]}"#) == nil)
    // Opening so, but no batch: unbalanced, or a broken envelope.
    for line in [
      #"{"batch":[1"#, #"{"batch":["x]}"#, #"{"batch":[1],"batch":[]}"#, #"{"batch":[1]} x"#,
      #"{"batch":[1}"#, #"{"batch":[1],}"#, #"{"batch":[1],"x":[2] z ]}"#,
      // The array closed by a brace, then what would end a batch line: not one (the first
      // version of the fast path took it).
      #"{"batch":[1}}"#, #"{"batch":[1} , "sentAt":"x"}"#,
    ] {
      #expect(Self.fastElements(line) == nil, "\(line)")
    }
  }

  /// What follows the array: `}`, or one plain member such as `"sentAt"`, is sound without a
  /// scan; anything else is scanned, and a broken envelope leaves the line to the general
  /// path.
  @Test func theEnvelopeAfterTheArray() {
    #expect(Self.fastElements(#"{"batch":[1] , "sentAt" : "2026-11-02T10:00:00Z" } "#) == ["1"])
    #expect(Self.fastElements(#"{"batch":[1],"sentAt":"\u00e9","x":{"y":[]}}"#) == ["1"])
    for line in [
      #"{"batch":[1],"batch":"x"}"#, #"{"batch":[1],"sentAt":"x",}"#, #"{"batch":[1],"s":"x""#,
      #"{"batch":[1],"sentAt":"\q"}"#, "{\"batch\":[1],\"sentAt\":\"\u{1}\"}",
      #"{"batch":[1],"sentAt":"x"}}"#, #"{"batch":[1],"sentAt":"x"} 2"#,
    ] {
      #expect(Self.fastElements(line) == nil, "\(line)")
    }
  }

  /// A batch longer than the noted commas: the rest is walked by `BatchElements`.
  @Test func moreElementsThanNotedCommas() {
    let n = BatchLine.commaCapacity + 3
    let elements = (0..<n).map { #"{"i":\#($0)}"# }
    let line = #"{"batch":["# + elements.joined(separator: " ,") + " ]}"
    #expect(Self.fastElements(line) == elements)
    let empties = #"{"batch":["# + String(repeating: ",", count: n - 1) + "]}"
    #expect(Self.fastElements(empties) == Array(repeating: "", count: n))
  }

  /// Every edge line, and every prefix of three batch lines and each of them with each byte
  /// replaced by a structural byte, a backslash, a tab or a non-ASCII byte: one with escapes,
  /// one whose strings, escapes and brackets cross stage 1's 64-byte blocks, and one that
  /// does so without a backslash (the walk on the structure masks takes it and most of its
  /// mutations).
  static let corpus: [String] = {
    var lines = edgeLines
    let short = #"{"batch":[{"a":"x\"y","b":[1,{"c":2}]}, "s",3],"sentAt":"z"}"#
    let long =
      #"{"batch":[{"k":"\#(String(repeating: "\\", count: 30))","l":["é\"]",{"m":[]}]},"#
      + #""\#(String(repeating: "x", count: 50))\"","# + event + #"],"sentAt":"t"}"#
    let plain =
      #"{"batch":[{"k":"\#(String(repeating: "{", count: 60))","l":["é]",{"m":[]}]},"#
      + #""\#(String(repeating: ",", count: 70))","# + event + #",[[],{}]],"sentAt":"t"}"#
    for batch in [short, long, plain] {
      let bytes = Array(batch.utf8)
      for cut in 0...bytes.count { lines.append(String(decoding: bytes[..<cut], as: UTF8.self)) }
      for i in bytes.indices {
        for c in Array(#"[]{},":\ 1"#.utf8) + [0x09, 0xC3] {
          var mutated = bytes
          mutated[i] = c
          lines.append(String(decoding: mutated, as: UTF8.self))
        }
      }
    }
    return lines
  }()

  /// On `corpus`: the fast path takes a line only when the general path finds the same batch
  /// in it, and takes every batch that opens as `{"batch":[`.
  @Test func theFastPathAgreesWithTheGeneralPath() {
    let lines = Self.corpus
    var taken = 0
    for line in lines {
      let fast = Self.fastElements(line)
      let general = Self.generalElements(line)
      if let fast {
        taken += 1
        #expect(general?.elements == fast, "\(line)")
      } else if general != nil {
        #expect(!line.hasPrefix(#"{"batch":["#), "a batch it could take: \(line)")
      }
    }
    #expect(taken > 100)
  }

  /// The two walks of `recognise` (on stage 1's structure masks when the line has no
  /// backslash, string by string otherwise) find the same array and the same commas on every
  /// line of `corpus`.
  @Test func bothWalksFindTheSameArray() {
    let masks = BatchLine()
    let strings = BatchLine()
    var taken = 0
    for line in Self.corpus {
      Array(line.utf8).withUnsafeBytes { raw in
        let a = masks.recognise(raw)
        let b = strings.recognise(raw, structure: false)
        #expect(a == b, "\(line)")
        guard a && b else { return }
        taken += 1
        #expect(masks.open == strings.open && masks.close == strings.close, "\(line)")
        #expect(masks.moreCommas == strings.moreCommas, "\(line)")
        #expect(
          (0..<masks.commaCount).map { masks.commas[$0] }
            == (0..<strings.commaCount).map { strings.commas[$0] }, "\(line)")
      }
    }
    #expect(taken > 300, "taken \(taken)")
  }

  /// Through `FilterHandler` (wa-validate's sink), fast path on and off: the same output,
  /// rejects records, diagnostics and summary, for every edge line, with `--foreign` in each
  /// mode.
  @Test(arguments: [ForeignMode.reject, .skip, .pass])
  func aFilterWritesTheSameEitherWay(_ foreign: ForeignMode) {
    var stream = Self.edgeLines
    stream.append(#"{"batch":[{"type":"page","name":"x"},"# + Self.event + "]}")
    stream.append(#"{"batch":[{"type":"track","event":"Order"},{"batch":5}]}"#)
    let fast = Self.run(stream, foreign: foreign, fastPath: true)
    let general = Self.run(stream, foreign: foreign, fastPath: false)
    #expect(fast.out == general.out)
    #expect(fast.rejects == general.rejects)
    #expect(fast.diagnostics == general.diagnostics)
    #expect(fast.summary == general.summary)
    #expect(fast.summary.batches > 30 && fast.summary.valid > 0 && fast.summary.rejected > 0)
  }

  static func run(_ lines: [String], foreign: ForeignMode, fastPath: Bool) -> (
    out: [UInt8], rejects: [UInt8], diagnostics: [UInt8], summary: Summary
  ) {
    let out = OutputBuffer(fd: FileDescriptor(rawValue: -1), capacity: 1 << 22)
    let rejects = OutputBuffer(fd: FileDescriptor(rawValue: -1), capacity: 1 << 22)
    let diagnostics = OutputBuffer(fd: FileDescriptor(rawValue: -1), capacity: 1 << 22)
    var withRecords = FilterHandler(
      validator: EventValidator(),
      reporter: RejectReporter(
        tool: "wa-validate", version: "1", rejects: rejects, diagnostics: diagnostics,
        quiet: false),
      sink: PassThroughSink(out: out), rejects: rejects, stderr: diagnostics, foreign: foreign)
    var withDiagnostics = FilterHandler(
      validator: EventValidator(),
      reporter: RejectReporter(
        tool: "wa-validate", version: "1", rejects: nil, diagnostics: diagnostics, quiet: false),
      sink: PassThroughSink(out: out), rejects: nil, stderr: diagnostics, foreign: foreign)
    withRecords.batchFastPath = fastPath
    withDiagnostics.batchFastPath = fastPath
    for (number, text) in lines.enumerated() {
      let bytes = Array(text.utf8)
      bytes.withUnsafeBytes { raw in
        let line = Line(bytes: raw, number: number + 1, length: raw.count)
        _ = withRecords.handle(line)
        _ = withDiagnostics.handle(line)
      }
    }
    #expect(withRecords.summary == withDiagnostics.summary)
    return (
      Array(out.pendingBytes), Array(rejects.pendingBytes), Array(diagnostics.pendingBytes),
      withRecords.summary
    )
  }
}
