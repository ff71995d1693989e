/// Business-scoped user IDs (SPEC §2, version 2): how WhatsApp names a user who adopted a
/// username and hid their phone number, such as `US.13491208655302741918` or
/// `US.ENT.11815799212886844830`.
///
/// The grammar: an assigned ISO 3166-1 alpha-2 code in upper case, or `ZZ` ("unknown", which
/// pseudonyms of numbers without a region use), a `.`, optionally `ENT.`, then 1 to 128 ASCII
/// letters and digits. Apart from the country prefix a BSUID is opaque. One parser for every
/// tool: wa-validate checks `userId` and `context.bsuid` with it, wa-convert checks Meta's
/// `from_user_id` / `recipient_user_id`.
enum BSUID {
  /// The longest opaque part accepted.
  static let maxBodyLength = 128
  /// The longest BSUID: `CC.ENT.` and the body.
  static let maxLength = 7 + maxBodyLength
  static let unknownRegion = RegionCode(rawValue: 0x5A5A)  // ZZ

  /// Why a string is not a BSUID, for the message that reports it.
  enum Failure: Error, Equatable, Sendable {
    /// Not `CC.` with CC two upper-case letters.
    case prefix
    /// Two upper-case letters, but neither an assigned ISO 3166-1 code nor `ZZ`.
    case unassignedRegion
    /// The part after the prefix is empty, too long, or has a byte other than a letter or
    /// digit.
    case body
  }

  /// The BSUID's region (its prefix; `ZZ` included), or why it is not one.
  @inline(__always)
  static func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Result<RegionCode, Failure> {
    guard n >= 4, isUpper(p[0]), isUpper(p[1]), p[2] == 0x2E else { return .failure(.prefix) }
    let region = RegionCode(rawValue: UInt16(p[0]) << 8 | UInt16(p[1]))
    guard region == unknownRegion || ISO3166.isAssigned(region) else {
      return .failure(.unassignedRegion)
    }
    var i = 3
    // `ENT.` marks an enterprise BSUID; `US.ENT` alone is an ordinary body that reads "ENT".
    if n > 7, p[3] == 0x45, p[4] == 0x4E, p[5] == 0x54, p[6] == 0x2E { i = 7 }
    let body = n - i
    guard body >= 1, body <= maxBodyLength else { return .failure(.body) }
    while i < n {
      let c = p[i]
      guard c &- 0x30 < 10 || (c | 0x20) &- 0x61 < 26 else { return .failure(.body) }
      i &+= 1
    }
    return .success(region)
  }

  static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<RegionCode, Failure> {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return .failure(.prefix) }
    return parse(base.assumingMemoryBound(to: UInt8.self), bytes.count)
  }

  /// The explanation of a failure, for problem reports.
  static func message(_ failure: Failure) -> String {
    switch failure {
    case .prefix:
      return "must be E.164 ('+' and 7 to 15 digits) or a BSUID such as US.13491208655302741918"
        + " (a country code in upper case, '.', then letters and digits)"
    case .unassignedRegion:
      return "is not a BSUID: its prefix is not an assigned ISO 3166-1 alpha-2 code (or ZZ)"
    case .body:
      return "is not a BSUID: after the country prefix (and an optional 'ENT.') it needs 1 to"
        + " \(maxBodyLength) ASCII letters or digits"
    }
  }

  @inline(__always)
  private static func isUpper(_ c: UInt8) -> Bool { c &- 0x41 < 26 }
}
