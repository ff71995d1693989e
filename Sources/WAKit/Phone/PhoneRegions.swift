/// E.164 number → country calling code and region, as Google's libphonenumber resolves them.
///
/// Every event's `userId` goes through here, so a lookup is a walk of a few steps down one
/// generated trie (`PhoneRegions.trie`, in PhoneRegions+Generated.swift): no allocation, no
/// `String`, no regular expression. The trie is derived by `scripts/watools/gen_regions.py`
/// from libphonenumber's metadata and checked against libphonenumber by
/// `scripts/watools/check_regions.py`.
///
/// The trie's first levels are the calling codes (1 to 3 digits, prefix-free). A calling code
/// with one region ends there. A calling code shared by several regions (+1 NANP, +7, +44, +47,
/// +61, +212, +262, +290, +358, +39, +590, +599) goes on into the national number only as far
/// as needed to tell its regions apart: +1 876 is JM, +1 416 is CA, +7 7 is KZ, +44 1534 is JE.
///
/// Rules, and the one difference from libphonenumber's `region_code_for_number`:
/// - Where libphonenumber gives a region, this gives the same one, for any digits. Among the
///   regions of a shared code, libphonenumber takes the first, in its metadata's order, whose
///   `leading_digits` match the national number or, for a region without them, for which the
///   number is valid; the trie encodes the outcome of that choice.
/// - Where libphonenumber gives none (a number of a shared code that is valid for none of its
///   regions, such as +1 000 555 0123), this gives the region its prefix belongs to, or else
///   the calling code's main region (the first in libphonenumber's list: US for +1, RU for +7,
///   GB for +44). An event then still has a country; validity is not this type's business.
/// - Non-geographic calling codes (+800, +808, +870, +878, +881, +882, +883, +888, +979;
///   libphonenumber's region "001") give a calling code and no region.
/// - The number is read as written after the calling code: an E.164 number has no national
///   prefix, so none is stripped (libphonenumber's `parse` would try to).
enum PhoneRegions {
  /// Region for the number, as libphonenumber's region_code_for_number gives it, with the
  /// calling code: nil exactly when no assigned calling code begins the digits. The region is nil for
  /// non-geographic codes (+800, +808, +870, +878, +881, +882, +883, +888, +979 …,
  /// libphonenumber region "001"). Where libphonenumber finds no region for a number of a
  /// shared code, this gives the region its prefix belongs to, else the calling code's main
  /// region (see the type's documentation). Reading stops at the first non-digit byte.
  static func lookup(
    digits: UnsafeRawBufferPointer
  ) -> (callingCode: UInt16, region: RegionCode?)? {
    lookup(digits: digits, prefixSteps: prefixSteps)
  }

  /// `lookup` with `prefixSteps` passed in: a caller that holds the pointer (the validator,
  /// per event) skips the one-time-initialisation check of the global on each call.
  @inline(__always)
  static func lookup(
    digits: UnsafeRawBufferPointer, prefixSteps: UnsafePointer<UInt64>
  ) -> (callingCode: UInt16, region: RegionCode?)? {
    // Every userId goes through here: the first three digits are one load from
    // `prefixSteps` instead of up to three steps down the trie.
    if digits.count >= 3, let base = digits.baseAddress {
      let d0 = Int(base.load(as: UInt8.self) &- 0x30)
      let d1 = Int(base.load(fromByteOffset: 1, as: UInt8.self) &- 0x30)
      let d2 = Int(base.load(fromByteOffset: 2, as: UInt8.self) &- 0x30)
      if d0 < 10 && d1 < 10 && d2 < 10 {
        let step = prefixSteps[(d0 &* 10 &+ d1) &* 10 &+ d2]
        return walk(
          digits, slot: UInt32(truncatingIfNeeded: step),
          index: Int(truncatingIfNeeded: step &>> 32))
      }
    }
    return lookupByWalk(digits: digits)
  }

  /// `lookup` one digit at a time from the root: the reference `prefixSteps` is built from,
  /// and the path for fewer than three digits.
  static func lookupByWalk(
    digits: UnsafeRawBufferPointer
  ) -> (callingCode: UInt16, region: RegionCode?)? {
    let digit = digits.count > 0 ? Int(digits[0] &- UInt8(ascii: "0")) : endSlot
    return walk(digits, slot: trie[min(digit, endSlot)], index: 0)
  }

  /// The walk from `slot`, the slot read for the digit at `index` (or for the digits' end).
  @inline(__always)
  static func walk(
    _ digits: UnsafeRawBufferPointer, slot first: UInt32, index start: Int
  ) -> (callingCode: UInt16, region: RegionCode?)? {
    var slot = first
    var index = start
    while true {
      let code = UInt16(truncatingIfNeeded: slot >> 16) & codeMask
      let payload = UInt16(truncatingIfNeeded: slot)
      switch slot & kindMask {
      case leafKind:
        return (code, payload == 0 ? nil : RegionCode(rawValue: payload))
      case lengthKind:
        let length = nationalLength(digits, from: index, callingCode: code)
        let column = length < rowWidth ? length : 0
        return (code, RegionCode(rawValue: lengthRows[Int(payload) &* rowWidth &+ column]))
      default:
        // A child node: the digit read was a digit (the end slot holds no child).
        guard payload != 0, index < digits.count, digits[index] &- UInt8(ascii: "0") < 10
        else { return nil }
        index &+= 1
        let digit = index < digits.count ? Int(digits[index] &- UInt8(ascii: "0")) : endSlot
        slot = trie[Int(payload) &* slotsPerNode &+ min(digit, endSlot)]
      }
    }
  }

  /// For every three digits `abc` (index 100a + 10b + c): where the walk stands after them,
  /// as the slot it last read (low 32 bits) and the index of the digit it read it for (bits
  /// 32 and up). A walk that ends earlier (a leaf after one or two digits, or no calling
  /// code) stops there; one that goes on has read the third digit's slot.
  nonisolated(unsafe) static let prefixSteps: UnsafePointer<UInt64> = {
    let steps = UnsafeMutablePointer<UInt64>.allocate(capacity: 1000)
    for prefix in 0..<1000 {
      let digits = [prefix / 100, prefix / 10 % 10, prefix % 10]
      var slot = trie[digits[0]]
      var index = 0
      while index < 2, slot & kindMask == 0, slot & 0xFFFF != 0 {
        index += 1
        slot = trie[Int(slot & 0xFFFF) &* slotsPerNode &+ digits[index]]
      }
      steps[prefix] = UInt64(index) << 32 | UInt64(slot)
    }
    return UnsafePointer(steps)
  }()

  // The trie: nodes of 11 UInt32 slots, node 0 the root. Slot d (0...9) is taken on digit d;
  // slot 10 when the digits end (or a non-digit byte comes). A slot is:
  //   bits 31–30  kind: 00 a child node (or nothing), 10 a leaf, 01 a per-length leaf
  //   bits 25–16  the calling code, once the digits so far complete one (else 0)
  //   bits 15–0   child: its node index, 0 for "no assigned calling code" (the root is
  //               nobody's child); leaf: the region's rawValue, 0 for non-geographic;
  //               per-length leaf: a row of `lengthRows`
  // A per-length row gives the region by the national number's length: [n] for n digits,
  // [0] (the main region) for any length past the row. Only +1 needs one so far: +1 310 and
  // seven digits is a Canadian 310 number (CA), with ten it is a Los Angeles one (US).

  static let slotsPerNode = 11
  static let endSlot = 10
  static let rowWidth = 18
  static let kindMask: UInt32 = 0xC000_0000
  static let leafKind: UInt32 = 0x8000_0000
  static let lengthKind: UInt32 = 0x4000_0000
  static let codeMask: UInt16 = 0x3FF

  /// The number of digits after the calling code, reading from `index` (inside the national
  /// number) to the end or the first non-digit byte.
  static func nationalLength(
    _ digits: UnsafeRawBufferPointer, from index: Int, callingCode: UInt16
  ) -> Int {
    var end = index
    while end < digits.count, digits[end] &- UInt8(ascii: "0") < 10 { end &+= 1 }
    let codeLength = callingCode < 10 ? 1 : callingCode < 100 ? 2 : 3
    return end - codeLength
  }
}
