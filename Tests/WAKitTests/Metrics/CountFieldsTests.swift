import Testing

@testable import WAKit

/// The count-only parts of the metrics list their counts once (`CountFields`), and the state
/// codec and `merge` read that list: these tests hold the list to the type's stored counts.
@Suite("Count fields")
struct CountFieldsTests {
  /// Every stored `Int` of `T` is set by exactly one entry of the list, and no two entries set
  /// the same one (read back by reflection, so a count added to the type but not to the list
  /// fails here).
  static func expectListsEveryCount<T: CountFields>(_ fresh: T, _ type: String) {
    let stored = Mirror(reflecting: fresh).children.compactMap { c in
      c.value is Int ? c.label : nil
    }
    var covered: [String] = []
    for (i, field) in T.countFields.enumerated() {
      var value = fresh
      value[keyPath: field.keyPath] = i + 1
      let set = Mirror(reflecting: value).children.compactMap { c in
        (c.value as? Int).flatMap { $0 == i + 1 ? c.label : nil }
      }
      #expect(set.count == 1, "\(type): \(field.name) sets \(set)")
      covered += set
    }
    #expect(covered.sorted() == stored.sorted(), "\(type): listed \(covered), stored \(stored)")
    #expect(Set(T.countFields.map(\.name)).count == T.countFields.count, "\(type): names")
  }

  @Test func everyStoredCountIsListedOnce() {
    Self.expectListsEveryCount(InputCounts(), "InputCounts")
    Self.expectListsEveryCount(MessageCounts(), "MessageCounts")
    Self.expectListsEveryCount(FunnelCounts(), "FunnelCounts")
    Self.expectListsEveryCount(SLATally(), "SLATally")
    Self.expectListsEveryCount(HandlingCounts(), "HandlingCounts")
    Self.expectListsEveryCount(CountryStats(), "CountryStats")
  }

  /// Distinct values in every count survive encode → decode, and merge adds each.
  static func expectRoundTripAndMerge<T: CountFields>(
    _ fresh: T, encode: (T, inout StateEncoder) -> Void,
    decode: (inout StateDecoder) throws(StateError) -> T, merge: (inout T, T) -> Void
  ) throws {
    var value = fresh
    for (i, f) in T.countFields.enumerated() { value[keyPath: f.keyPath] = 1000 + i }
    var e = StateEncoder()
    encode(value, &e)
    let decoded = try e.bytes.withUnsafeBytes { raw throws(StateError) in
      var d = StateDecoder(raw)
      let v = try decode(&d)
      try d.end("counts")
      return v
    }
    var merged = decoded
    merge(&merged, value)
    for (i, f) in T.countFields.enumerated() {
      #expect(decoded[keyPath: f.keyPath] == 1000 + i, "\(f.name) after a round trip")
      #expect(merged[keyPath: f.keyPath] == 2 * (1000 + i), "\(f.name) after merge")
    }
  }

  @Test func everyCountRoundTripsAndMerges() throws {
    try Self.expectRoundTripAndMerge(
      InputCounts(), encode: { $0.encode(to: &$1) },
      decode: { d throws(StateError) in try InputCounts(from: &d) },
      merge: { $0.merge($1) })
    try Self.expectRoundTripAndMerge(
      MessageCounts(), encode: { $0.encode(to: &$1) },
      decode: { d throws(StateError) in try MessageCounts(from: &d) },
      merge: { $0.merge($1) })
    try Self.expectRoundTripAndMerge(
      FunnelCounts(), encode: { $0.encode(to: &$1) },
      decode: { d throws(StateError) in try FunnelCounts(from: &d) },
      merge: { $0.merge($1) })
    try Self.expectRoundTripAndMerge(
      SLATally(), encode: { $0.encode(to: &$1) },
      decode: { d throws(StateError) in try SLATally(from: &d) },
      merge: { $0.merge($1) })
    try Self.expectRoundTripAndMerge(
      HandlingCounts(), encode: { $0.encode(to: &$1) },
      decode: { d throws(StateError) in try HandlingCounts(from: &d) },
      merge: { $0.merge($1) })
    try Self.expectRoundTripAndMerge(
      CountryStats(), encode: { $0.encode(to: &$1) },
      decode: { d throws(StateError) in try CountryStats(from: &d) },
      merge: { $0.merge($1) })
  }

  /// A count a later format added is not read from an older file: it stays zero, and the
  /// older file's bytes are read to their end.
  @Test func countsOfALaterFormatAreNotReadFromAnOlderOne() throws {
    var e = StateEncoder()
    for i in 0..<8 { e.int(10 + i) }  // what version 4 wrote: eight counts
    let decoded = try e.bytes.withUnsafeBytes { raw throws(StateError) in
      var d = StateDecoder(raw, version: 4)
      let v = try InputCounts(from: &d)
      try d.end("input")
      return v
    }
    #expect(decoded.lines == 10 && decoded.outOfRange == 17)
    #expect(decoded.foreign == 0 && decoded.batches == 0 && decoded.batchItems == 0)
  }
}
