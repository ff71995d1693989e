@testable import WAKit

// Only the tests ask for the calling code alone; the tools resolve region and code at once.
extension PhoneRegions {
  /// The assigned country calling code that begins these digits (E.164 without the '+', ASCII
  /// digits), or nil when no assigned code matches. Calling codes are 1–3 digits and
  /// prefix-free. Reading stops at the first byte that is not an ASCII digit.
  static func callingCode(digits: UnsafeRawBufferPointer) -> UInt16? {
    var node = 0
    var index = 0
    while true {
      let digit = index < digits.count ? Int(digits[index] &- UInt8(ascii: "0")) : endSlot
      let slot = trie[node &* slotsPerNode &+ min(digit, endSlot)]
      let code = UInt16(truncatingIfNeeded: slot >> 16) & codeMask
      if code != 0 { return code }
      let child = Int(slot & 0xFFFF)
      guard slot & kindMask == 0, child != 0, digit < endSlot else { return nil }
      node = child
      index &+= 1
    }
  }
}
