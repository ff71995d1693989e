import Testing

@testable import WAKit

@Suite struct RegionCodeTests {
  static func parse(bytes: [UInt8]) -> RegionCode? {
    bytes.withUnsafeBytes { RegionCode($0) }
  }

  @Test func packsUppercaseLetters() throws {
    let code = try #require(RegionCode("KE"))
    #expect(code.rawValue == 0x4B45)
    #expect(code.string == "KE")
    #expect(code.description == "KE")
    #expect(RegionCode(rawValue: 0x5553).string == "US")
  }

  @Test func caseInsensitive() {
    #expect(RegionCode("ke") == RegionCode("KE"))
    #expect(RegionCode("kE") == RegionCode("Ke"))
    #expect(Self.parse(bytes: Array("gb".utf8)) == RegionCode("GB"))
    #expect(RegionCode("zz")?.string == "ZZ")
  }

  @Test(arguments: ["", "K", "KEN", "K1", "1K", "K ", " K", "@A", "[A", "`a", "{a", "ÄB", "é"])
  func rejectsAnythingButTwoLetters(_ text: String) {
    #expect(RegionCode(text) == nil)
  }

  @Test func rejectsBytes() {
    #expect(Self.parse(bytes: []) == nil)
    #expect(Self.parse(bytes: [0x4B]) == nil)
    #expect(Self.parse(bytes: [0x4B, 0x00]) == nil)
    #expect(Self.parse(bytes: [0xC3, 0x84]) == nil)  // "Ä"
    #expect(Self.parse(bytes: [0x4B, 0x45, 0x4E]) == nil)
  }

  @Test func ordersAlphabetically() throws {
    let codes = ["US", "ke", "AD", "ZW", "KZ", "Ke"].compactMap(RegionCode.init)
    #expect(codes.sorted().map(\.string) == ["AD", "KE", "KE", "KZ", "US", "ZW"])
    #expect(Set(codes).count == 5)
  }
}

@Suite struct ISO3166Tests {
  @Test(arguments: ["KE", "US", "GB", "DE", "AQ", "BV", "UM", "SS", "CW", "SX", "BQ", "ax"])
  func officiallyAssigned(_ text: String) throws {
    #expect(ISO3166.isAssigned(try #require(RegionCode(text))))
  }

  /// AC, TA and XK are not officially assigned, but libphonenumber gives them to numbers.
  @Test(arguments: ["AC", "TA", "XK", "xk"])
  func usedByLibphonenumber(_ text: String) throws {
    #expect(ISO3166.isAssigned(try #require(RegionCode(text))))
  }

  @Test(arguments: ["ZZ", "zz", "AN", "YU", "EU", "UK", "XX", "AA", "QM", "UN"])
  func notAssigned(_ text: String) throws {
    let code = try #require(RegionCode(text))
    #expect(!ISO3166.isAssigned(code))
    #expect(ISO3166.name(code) == nil)
  }

  @Test func packedValuesOutsideTheAlphabet() {
    #expect(!ISO3166.isAssigned(RegionCode(rawValue: 0)))
    #expect(!ISO3166.isAssigned(RegionCode(rawValue: 0x6B65)))  // "ke", not normalised
    #expect(!ISO3166.isAssigned(RegionCode(rawValue: 0xFFFF)))
    #expect(ISO3166.name(RegionCode(rawValue: 0x4B5B)) == nil)  // "K["
  }

  @Test func names() throws {
    let name = { (text: String) in RegionCode(text).flatMap(ISO3166.name) }
    #expect(name("KE") == "Kenya")
    #expect(name("ke") == "Kenya")
    #expect(name("US") == "United States")
    #expect(name("GB") == "United Kingdom")
    #expect(name("AC") == "Ascension Island")
    #expect(name("AD") == "Andorra")
    #expect(name("XK") == "Kosovo")
    #expect(name("ZW") == "Zimbabwe")
    #expect(name("AX") == "Åland Islands")
    #expect(name("KN") == "Saint Kitts and Nevis")
  }

  /// 249 official codes plus AC, TA and XK; every one has a name.
  @Test func countsEveryCode() {
    var assigned = 0
    for first in UInt8(ascii: "A")...UInt8(ascii: "Z") {
      for second in UInt8(ascii: "A")...UInt8(ascii: "Z") {
        let code = RegionCode(rawValue: UInt16(first) << 8 | UInt16(second))
        if ISO3166.isAssigned(code) {
          assigned += 1
          #expect(ISO3166.name(code)?.isEmpty == false, "\(code)")
        } else {
          #expect(ISO3166.name(code) == nil, "\(code)")
        }
      }
    }
    #expect(assigned == 252)
    #expect(ISO3166.names.count == 252)
  }
}
