/// Keyed pseudonyms for user identifiers (SPEC §4, `wa-enrich --pseudonymize`).
///
/// A pseudonym is `CC.` and the first 32 hex digits (128 bits) of HMAC-SHA-256(key, the
/// identifier's bytes): it is a well-formed BSUID, so it still validates, and it keeps the
/// country, so every per-country number is unchanged. The same key gives the same pseudonym,
/// so events still link (replies, response clocks, distinct users). Without the key it
/// cannot be reversed by hashing every phone number of a country, which a plain hash allows
/// (about 10¹⁰ numbers per country is an afternoon's work).
struct Pseudonymizer {
  /// Bytes of a pseudonym: `CC.` and 32 hex digits.
  static let length = 35
  /// The shortest key accepted: 256 bits, the size of the hash.
  static let minimumKeyLength = 32

  private let mac: HMACSHA256

  init(key: [UInt8]) { mac = HMACSHA256(key: key) }

  /// Writes the pseudonym of `identifier`, prefixed by `region`, to `out` (35 bytes).
  func pseudonym(
    of identifier: UnsafeRawBufferPointer, region: RegionCode, into out: UnsafeMutablePointer<UInt8>
  ) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: SHA256.byteCount) { digest in
      let d = digest.baseAddress!
      mac.authenticate(identifier, into: UnsafeMutableRawPointer(d))
      out[0] = UInt8(truncatingIfNeeded: region.rawValue >> 8)
      out[1] = UInt8(truncatingIfNeeded: region.rawValue)
      out[2] = 0x2E
      for i in 0..<16 {
        out[3 + 2 * i] = Self.hexDigit(d[i] >> 4)
        out[4 + 2 * i] = Self.hexDigit(d[i] & 15)
      }
    }
  }

  /// The pseudonym as a string (tests, docs).
  func pseudonym(of identifier: String, region: RegionCode) -> String {
    let bytes = Array(identifier.utf8)
    var out = [UInt8](repeating: 0, count: Self.length)
    bytes.withUnsafeBytes { id in
      out.withUnsafeMutableBufferPointer { o in
        pseudonym(of: id, region: region, into: o.baseAddress!)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  @inline(__always)
  private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }
}
