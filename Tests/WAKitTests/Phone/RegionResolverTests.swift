import Foundation
import Testing

@testable import WAKit

/// The resolver against Tests/Fixtures/regions.tsv, which
/// `scripts/watools/gen_regions.py --fixture` writes from libphonenumber: every region's example
/// number of every type, the shared calling codes' tricky prefixes, and numbers with no region or
/// no calling code.
@Suite struct RegionResolverTests {
  struct Row {
    var line: Int
    var digits: String
    var callingCode: UInt16?
    var region: String?
    var note: String
  }

  /// The fixture, found from this file: up to the package root, then Tests/Fixtures.
  static func fixtureText() throws -> String {
    var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    let isRoot = { (dir: URL) in
      FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path)
    }
    while !isRoot(dir) {
      let parent = dir.deletingLastPathComponent()
      try #require(parent.path != dir.path, "no Package.swift above \(#filePath)")
      dir = parent
    }
    let url = dir.appendingPathComponent("Tests/Fixtures/regions.tsv")
    return try String(contentsOf: url, encoding: .utf8)
  }

  static func fixture() throws -> [Row] {
    let text = try fixtureText()
    var rows: [Row] = []
    for (index, line) in text.split(separator: "\n").enumerated() where !line.hasPrefix("#") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      try #require(fields.count == 4 && fields[0].hasPrefix("+"), "bad fixture line \(index + 1)")
      rows.append(
        Row(
          line: index + 1, digits: String(fields[0].dropFirst()),
          callingCode: fields[1] == "-" ? nil : UInt16(fields[1]),
          region: fields[2] == "-" ? nil : fields[2], note: fields[3]))
    }
    return rows
  }

  static func lookup(_ digits: String) -> (callingCode: UInt16, region: RegionCode?)? {
    var digits = digits
    return digits.withUTF8 { PhoneRegions.lookup(digits: UnsafeRawBufferPointer($0)) }
  }

  static func callingCode(_ digits: String) -> UInt16? {
    var digits = digits
    return digits.withUTF8 { PhoneRegions.callingCode(digits: UnsafeRawBufferPointer($0)) }
  }

  @Test func everyFixtureRow() throws {
    let rows = try Self.fixture()
    #expect(rows.count > 1000)
    for row in rows {
      let found = Self.lookup(row.digits)
      let context = "regions.tsv:\(row.line) +\(row.digits) (\(row.note))"
      #expect(found?.callingCode == row.callingCode, "\(context)")
      #expect(found?.region?.string == row.region, "\(context)")
      #expect(Self.callingCode(row.digits) == row.callingCode, "\(context)")
      if let region = found?.region {
        #expect(ISO3166.isAssigned(region), "\(context): \(region) not assigned")
      }
    }
  }

  /// The fixture and the tables come from the same libphonenumber metadata.
  @Test func fixtureMatchesTables() throws {
    let header = try #require(try Self.fixtureText().split(separator: "\n").first)
    #expect(header.hasSuffix("from phonenumbers \(PhoneRegions.metadataVersion)."))
  }

  @Test(
    arguments: [
      ("18765550123", 1, "JM"), ("14165550123", 1, "CA"), ("18682345678", 1, "TT"),
      ("12423456789", 1, "BS"), ("17872345678", 1, "PR"), ("12125550123", 1, "US"),
      ("13101234", 1, "CA"), ("13105550123", 1, "US"), ("10005550123", 1, "US"),
      ("77011234567", 7, "KZ"), ("79123456789", 7, "RU"), ("441534456789", 44, "JE"),
      ("441481256789", 44, "GG"), ("447624123456", 44, "IM"), ("4779123456", 47, "SJ"),
      ("254712345678", 254, "KE"), ("80012345678", 800, "-"), ("979123456789", 979, "-"),
    ] as [(String, Int, String)])
  func namedNumbers(digits: String, code: Int, region: String) {
    let found = Self.lookup(digits)
    #expect(found?.callingCode == UInt16(code))
    #expect((found?.region?.string ?? "-") == region)
  }

  @Test func callingCodes() {
    #expect(Self.callingCode("1") == 1)
    #expect(Self.callingCode("254") == 254)
    #expect(Self.callingCode("2547") == 254)
    #expect(Self.callingCode("") == nil)
    #expect(Self.callingCode("25") == nil)  // incomplete
    #expect(Self.callingCode("80") == nil)  // incomplete
    #expect(Self.callingCode("999123") == nil)  // unassigned
    #expect(Self.callingCode("28123") == nil)  // unassigned
    #expect(Self.callingCode("0254") == nil)  // no code starts with 0
    #expect(Self.callingCode("+254") == nil)  // the '+' is not part of the digits
    #expect(Self.callingCode("25x4") == nil)  // reading stops at the first non-digit
    #expect(Self.callingCode("254x") == 254)
  }

  /// lookup gives a result exactly when callingCode does, with the same calling code, for
  /// every start of up to four digits, and a number's end or a non-digit byte ends it alike.
  @Test func lookupAgreesWithCallingCode() {
    for value in 0..<11_110 {
      var digits = ""
      var rest = value
      while rest > 0 || digits.isEmpty {
        digits.append(Character(Unicode.Scalar(UInt8(ascii: "0") + UInt8(rest % 10))))
        rest /= 10
      }
      for candidate in [digits, digits + "x", digits + "5550123"] {
        #expect(Self.lookup(candidate)?.callingCode == Self.callingCode(candidate), "\(candidate)")
      }
      #expect(Self.lookup(digits + "x")?.region == Self.lookup(digits)?.region, "\(digits)")
    }
  }

  /// The generated tables are well formed: child indices in range, regions assigned, and the
  /// "digits end here" slot never leads further.
  @Test func generatedTables() {
    let nodes = PhoneRegions.trie.count / PhoneRegions.slotsPerNode
    #expect(PhoneRegions.trie.count == nodes * PhoneRegions.slotsPerNode)
    #expect(PhoneRegions.lengthRows.count % PhoneRegions.rowWidth == 0)
    for (index, slot) in PhoneRegions.trie.enumerated() {
      let payload = UInt16(truncatingIfNeeded: slot)
      switch slot & PhoneRegions.kindMask {
      case PhoneRegions.leafKind:
        #expect(payload == 0 || ISO3166.isAssigned(RegionCode(rawValue: payload)))
      case PhoneRegions.lengthKind:
        #expect(Int(payload) < PhoneRegions.lengthRows.count / PhoneRegions.rowWidth)
      case 0:
        #expect(Int(payload) < nodes, "slot \(index)")
        if index % PhoneRegions.slotsPerNode == PhoneRegions.endSlot {
          #expect(payload == 0, "slot \(index)")
        }
      default:
        Issue.record("slot \(index) has an unknown kind")
      }
    }
    for raw in PhoneRegions.lengthRows {
      #expect(ISO3166.isAssigned(RegionCode(rawValue: raw)))
    }
    #expect(!PhoneRegions.metadataVersion.isEmpty)
  }
}
