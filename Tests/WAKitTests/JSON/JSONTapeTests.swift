import Testing

@testable import WAKit

@Suite("JSONTape")
struct JSONTapeTests {
  func parse(_ text: String, _ body: (JSONTape) throws -> Void) rethrows {
    let tape = JSONTape()
    var bytes = Array(text.utf8)
    try bytes.withUnsafeMutableBytes { raw in
      #expect(tape.parse(UnsafeRawBufferPointer(raw)))
      try body(tape)
    }
  }

  @Test func walksNestedObjectsAndArrays() throws {
    let body =
      #"{"object":"x","entry":[{"id":"1","changes":[{"value":{"n":-2.5e1,"ok":true}}]},{"id":"2"}],"z":null}"#
    try parse(body) { t in
      let entry = try #require(t.member(0, "entry"))
      let items = t.elements(entry)
      #expect(items.count == 2)
      #expect(t.string(try #require(t.member(items[1], "id"))) == "2")
      let changes = t.elements(try #require(t.member(items[0], "changes")))
      let value = try #require(t.member(changes[0], "value"))
      #expect(t.double(try #require(t.member(value, "n"))) == -25)
      #expect(t.bool(try #require(t.member(value, "ok"))) == true)
      #expect(t.member(value, "missing") == nil)
      #expect(t.nodes[try #require(t.member(0, "z"))].kind == .null)
      #expect(t.members(0).map { t.string($0.key) } == ["object", "entry", "z"])
      #expect(t.nodes[entry].count == 2 && t.nodes[0].count == 3)
    }
  }

  @Test func emptyContainersAndEscapedKeys() throws {
    try parse(#"{"a":{},"b":[],"\u0063":"d\n"}"#) { t in
      let a = try #require(t.member(0, "a"))
      #expect(t.nodes[a].count == 0 && t.members(a).isEmpty)
      #expect(t.elements(try #require(t.member(0, "b"))).isEmpty)
      #expect(t.string(try #require(t.member(0, "c"))) == "d\n")
      #expect(String(decoding: t.raw(a), as: UTF8.self) == "{}")
    }
  }

  @Test func invalidDocumentsFailWithTheScannersError() {
    let tape = JSONTape()
    var bytes = Array(#"{"a":1,}"#.utf8)
    bytes.withUnsafeMutableBytes { raw in
      #expect(!tape.parse(UnsafeRawBufferPointer(raw)))
      #expect(tape.error?.kind == .invalidJSON)
    }
  }

  @Test func integersAndTheTopLevelScalar() throws {
    try parse("[12345678901234, -7, 1.0, 2e3]") { t in
      let e = t.elements(0)
      #expect(e.map { t.int64($0) } == [12_345_678_901_234, -7, nil, nil])
      #expect(e.map { t.double($0) } == [12_345_678_901_234, -7, 1, 2000])
    }
  }
}
