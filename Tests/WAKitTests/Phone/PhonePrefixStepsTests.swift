import Testing

@testable import WAKit

/// `PhoneRegions.lookup` starts from `prefixSteps` (the walk's state after three digits);
/// `lookupByWalk` walks from the root one digit at a time. They must agree on every number.
@Suite("PhoneRegions prefix steps")
struct PhonePrefixStepsTests {
  static func both(_ digits: [UInt8]) -> (Bool, String) {
    digits.withUnsafeBytes { raw in
      let fast = PhoneRegions.lookup(digits: raw)
      let walk = PhoneRegions.lookupByWalk(digits: raw)
      let same = fast?.callingCode == walk?.callingCode && fast?.region == walk?.region
      return (
        same,
        "\(String(decoding: digits, as: UTF8.self).debugDescription): \(String(describing: fast)) vs \(String(describing: walk))"
      )
    }
  }

  @Test func everyThreeDigitPrefixWithSuffixesOfEveryLength() {
    var random = SeededGenerator(seed: 164)
    var disagreements = 0
    for prefix in 0..<1000 {
      let head = [prefix / 100, prefix / 10 % 10, prefix % 10].map { UInt8(0x30 + $0) }
      for extra in 0...14 {
        var digits = head
        for _ in 0..<extra { digits.append(UInt8(0x30 + random.next() % 10)) }
        let (same, context) = Self.both(digits)
        if !same {
          disagreements += 1
          Issue.record("\(context)")
        }
        // A non-digit byte ends the digits: anywhere after the first three.
        if extra > 0 {
          var cut = digits
          cut[3 + Int(random.next() % UInt64(extra))] =
            [0x2B, 0x20, 0x2F, 0x3A, 0x00][
              Int(random.next() % 5)]
          let (sameCut, contextCut) = Self.both(cut)
          if !sameCut {
            disagreements += 1
            Issue.record("\(contextCut)")
          }
        }
      }
      if disagreements > 10 { return }
    }
  }

  @Test(arguments: ["", "1", "4", "44", "12", "8", "80", "1x3", "+14", "x", "99"])
  func shortOrNonDigitStartsGoTheWalk(_ text: String) {
    let (same, context) = Self.both(Array(text.utf8))
    #expect(same, "\(context)")
  }
}
