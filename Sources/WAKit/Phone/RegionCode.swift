/// An ISO 3166-1 alpha-2 region, two uppercase ASCII letters packed in a UInt16 (first letter in
/// the high byte).
///
/// Packed rather than a `String` so that resolving the region of every event allocates nothing,
/// and so that comparing and hashing regions (aggregation keys) is integer work. The packing
/// keeps alphabetical order: `<` on regions is `<` on their raw values.
struct RegionCode: Hashable, Comparable, Sendable {
  let rawValue: UInt16

  /// Wraps a packed value as is; no check that it holds two uppercase letters.
  init(rawValue: UInt16) {
    self.rawValue = rawValue
  }

  /// Case-insensitive; nil unless exactly two ASCII letters.
  init?(_ bytes: UnsafeRawBufferPointer) {
    guard bytes.count == 2,
      let first = RegionCode.uppercased(bytes[0]),
      let second = RegionCode.uppercased(bytes[1])
    else { return nil }
    rawValue = UInt16(first) << 8 | UInt16(second)
  }

  /// Case-insensitive; nil unless exactly two ASCII letters.
  init?(_ string: String) {
    var string = string
    guard let code = string.withUTF8({ RegionCode(UnsafeRawBufferPointer($0)) }) else {
      return nil
    }
    self = code
  }

  /// The two letters, such as "KE".
  var string: String {
    String(unsafeUninitializedCapacity: 2) { buffer in
      buffer[0] = UInt8(truncatingIfNeeded: rawValue >> 8)
      buffer[1] = UInt8(truncatingIfNeeded: rawValue)
      return 2
    }
  }

  static func < (lhs: RegionCode, rhs: RegionCode) -> Bool {
    lhs.rawValue < rhs.rawValue
  }

  /// The uppercase form of an ASCII letter; nil for any other byte.
  @inline(__always)
  static func uppercased(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte
    case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - 0x20
    default: return nil
    }
  }
}

extension RegionCode: CustomStringConvertible {
  var description: String { string }
}
