// TEMPORARY STUB — replaced by the generated resolver.
public struct RegionCode: Hashable, Comparable, Sendable {
  public let rawValue: UInt16
  public init(rawValue: UInt16) { self.rawValue = rawValue }
  public init?(_ bytes: UnsafeRawBufferPointer) {
    guard bytes.count == 2 else { return nil }
    func up(_ c: UInt8) -> UInt8? {
      switch c {
      case 0x41...0x5A: return c
      case 0x61...0x7A: return c - 32
      default: return nil
      }
    }
    guard let a = up(bytes[0]), let b = up(bytes[1]) else { return nil }
    rawValue = UInt16(a) << 8 | UInt16(b)
  }
  public init?(_ string: String) {
    var s = string
    guard let r = s.withUTF8({ RegionCode(UnsafeRawBufferPointer($0)) }) else { return nil }
    self = r
  }
  public var string: String {
    String(decoding: [UInt8(rawValue >> 8), UInt8(rawValue & 0xFF)], as: UTF8.self)
  }
  public static func < (a: RegionCode, b: RegionCode) -> Bool { a.rawValue < b.rawValue }
}
public enum PhoneRegions {
  public static func callingCode(digits: UnsafeRawBufferPointer) -> UInt16? {
    lookup(digits: digits)?.callingCode
  }
  public static func lookup(digits: UnsafeRawBufferPointer) -> (callingCode: UInt16, region: RegionCode?)? {
    guard let f = digits.first else { return nil }
    if f == 0x31 { return (1, RegionCode("US")) }
    if digits.count >= 3 && digits[0] == 0x32 && digits[1] == 0x35 && digits[2] == 0x34 { return (254, RegionCode("KE")) }
    if f == 0x39 && digits.count > 1 && digits[1] == 0x39 { return nil }
    return (UInt16(f - 0x30), nil)
  }
}
public enum ISO3166 {
  public static func isAssigned(_ code: RegionCode) -> Bool { code.string != "XX" }
  public static func name(_ code: RegionCode) -> String? { nil }
}
