import Testing

@testable import WAKit

/// `FieldNames.slot`, the perfect hash that names a key's field, against an oracle built
/// from `EventField.path` (the field whose path is the scope's prefix and the key), for
/// every name in every scope and for keys that nearly are one.
@Suite("FieldNames")
struct FieldNamesTests {
  static let scopes: [(FieldScope, String)] = [
    (.none, "library."), (.top, ""), (.properties, "properties."),
    (.pricing, "properties.pricing."), (.context, "context."),
  ]

  /// The oracle: the field named `key` in `scope`, read from the paths, or -1.
  static func expected(_ key: [UInt8], _ scope: FieldScope) -> Int {
    guard let prefix = scopes.first(where: { $0.0 == scope })?.1, scope != .none else {
      return -1
    }
    let path = prefix + String(decoding: key, as: UTF8.self)
    // A key with a dot is never a field: the paths' dots separate objects.
    guard !key.contains(0x2E) else { return -1 }
    return EventField.allCases.first { $0.path == path }?.rawValue ?? -1
  }

  /// The slot of `key`, read from a copy placed exactly in its own allocation (so a read
  /// outside the key would be a read outside the buffer under ASan).
  static func slot(_ key: [UInt8], _ scope: FieldScope) -> Int {
    let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(key.count, 1))
    defer { copy.deallocate() }
    copy.initialize(from: key, count: key.count)
    return FieldNames.slot(copy, key.count, scope: scope)
  }

  @Test func everyFieldIsNamedByItsKeyInItsScopeAndNowhereElse() {
    for field in EventField.allCases {
      let key = Array(field.path.split(separator: ".").last!.utf8)
      for (scope, _) in Self.scopes {
        let want = Self.expected(key, scope)
        #expect(Self.slot(key, scope) == want, "\(field) in \(scope)")
      }
      // Each field is named in exactly one scope.
      let named = Self.scopes.filter { Self.slot(key, $0.0) == field.rawValue }
      #expect(named.count == 1, "\(field)")
    }
  }

  @Test func theTableHasOneEntryPerFieldAndNoneForTheEmptyScope() {
    var slots: [Int32] = []
    for index in 0..<(5 << FieldNames.scopeBits) {
      let entry = FieldNames.table[index]
      if entry.length == 0 { continue }
      #expect(index >> FieldNames.scopeBits != Int(FieldScope.none.rawValue))
      slots.append(entry.slot)
    }
    #expect(slots.sorted() == EventField.allCases.map { Int32($0.rawValue) })
  }

  @Test func nearMissesAreNotFields() {
    var random = SeededGenerator(seed: 21)
    let names = EventField.allCases.map { Array($0.path.split(separator: ".").last!.utf8) }
    // Bytes near the names' own: letters of either case, digits, and a few others.
    let alphabet = Array("aceiIdDtTpPsrnmoyegbluhxACK0129_-. \"\\".utf8) + [0x00, 0xC3, 0xFF]
    var checked = 0
    for round in 0..<200_000 {
      var key = names[Int(random.next() % UInt64(names.count))]
      switch round % 6 {
      case 0:  // one byte changed
        key[Int(random.next() % UInt64(key.count))] =
          alphabet[
            Int(random.next() % UInt64(alphabet.count))]
      case 1:  // one byte dropped
        key.remove(at: Int(random.next() % UInt64(key.count)))
      case 2:  // one byte added
        key.insert(
          alphabet[Int(random.next() % UInt64(alphabet.count))],
          at: Int(random.next() % UInt64(key.count + 1)))
      case 3:  // case of one letter flipped
        let k = Int(random.next() % UInt64(key.count))
        key[k] ^= 0x20
      case 4:  // a prefix or a suffix
        let cut = Int(random.next() % UInt64(key.count + 1))
        key = random.next() % 2 == 0 ? Array(key[..<cut]) : Array(key[cut...])
      default:  // random bytes of a name's length
        key = key.map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
      }
      let scope = Self.scopes[Int(random.next() % UInt64(Self.scopes.count))].0
      let want = Self.expected(key, scope)
      let got = Self.slot(key, scope)
      #expect(got == want, "\(String(decoding: key, as: UTF8.self).debugDescription) in \(scope)")
      if got != want { return }
      checked += 1
    }
    #expect(checked == 200_000)
  }

  @Test(arguments: 0...20)
  func keysOfEveryLengthAreReadInsideThemselves(length: Int) {
    // Lengths the table cannot hold (0–3, 16 and more) and every length in between: each
    // key is its own allocation, so a load outside it would show under ASan.
    let key = [UInt8](repeating: 0x61, count: length)
    for (scope, _) in Self.scopes {
      #expect(Self.slot(key, scope) == -1)
    }
  }
}
