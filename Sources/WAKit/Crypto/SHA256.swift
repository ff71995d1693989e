// Crypto: SHA-256 and HMAC-SHA-256, the keyed hash behind wa-enrich's pseudonyms (SPEC §4).
// Written in the project because the product takes no packages and no Foundation; checked
// against the published FIPS 180-4 and RFC 4231 vectors. SHA-256 is additions, rotations and
// logic on words, with no branch or table lookup that depends on the data, so its timing says
// nothing about the key.

/// SHA-256 (FIPS 180-4 §6.2), fed incrementally.
///
/// Plain value type: copying a hasher copies its state, which HMAC uses to start every
/// message from the key's precomputed inner and outer states. Nothing is allocated.
struct SHA256 {
  /// The digest's length in bytes.
  static let byteCount = 32
  static let blockCount = 64

  /// The eight working words (H0 … H7).
  struct State {
    var a: UInt32 = 0x6a09_e667
    var b: UInt32 = 0xbb67_ae85
    var c: UInt32 = 0x3c6e_f372
    var d: UInt32 = 0xa54f_f53a
    var e: UInt32 = 0x510e_527f
    var f: UInt32 = 0x9b05_688c
    var g: UInt32 = 0x1f83_d9ab
    var h: UInt32 = 0x5be0_cd19
  }

  private var state = State()
  /// Bytes not yet compressed (fewer than 64), at the front of `block`.
  private var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
    (0, 0, 0, 0, 0, 0, 0, 0)
  private var used = 0
  /// Message length so far, in bytes.
  private var length: UInt64 = 0

  init() {}

  /// Appends bytes to the message.
  mutating func update(_ data: UnsafeRawBufferPointer) {
    guard var p = data.baseAddress, data.count > 0 else { return }
    var n = data.count
    length &+= UInt64(n)
    if used > 0 {
      let take = min(n, Self.blockCount - used)
      withUnsafeMutableBytes(of: &block) { b in
        (b.baseAddress! + used).copyMemory(from: p, byteCount: take)
      }
      used += take
      p += take
      n -= take
      guard used == Self.blockCount else { return }
      withUnsafeBytes(of: block) { b in Self.compress(&state, b.baseAddress!) }
      used = 0
    }
    while n >= Self.blockCount {
      Self.compress(&state, p)
      p += Self.blockCount
      n -= Self.blockCount
    }
    if n > 0 {
      withUnsafeMutableBytes(of: &block) { b in b.baseAddress!.copyMemory(from: p, byteCount: n) }
      used = n
    }
  }

  mutating func update(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { update($0) }
  }

  /// Pads the message (a `1` bit, zeros, the length in bits) and writes the 32-byte digest
  /// to `out`. The hasher is spent afterwards.
  mutating func finish(into out: UnsafeMutableRawPointer) {
    let bits = length &<< 3
    withUnsafeMutableBytes(of: &block) { b in
      let base = b.baseAddress!
      base.storeBytes(of: 0x80, toByteOffset: used, as: UInt8.self)
      used += 1
      if used > 56 {
        (base + used).initializeMemory(as: UInt8.self, repeating: 0, count: 64 - used)
        Self.compress(&state, UnsafeRawPointer(base))
        used = 0
      }
      (base + used).initializeMemory(as: UInt8.self, repeating: 0, count: 56 - used)
      base.storeBytes(of: bits.bigEndian, toByteOffset: 56, as: UInt64.self)
      Self.compress(&state, UnsafeRawPointer(base))
    }
    let s = state
    for (i, word) in [s.a, s.b, s.c, s.d, s.e, s.f, s.g, s.h].enumerated() {
      out.storeBytes(of: word.bigEndian, toByteOffset: i * 4, as: UInt32.self)
    }
  }

  /// The digest of the message so far (for tests and one-off uses).
  func digest() -> [UInt8] {
    var copy = self
    return [UInt8](unsafeUninitializedCapacity: Self.byteCount) { buffer, count in
      copy.finish(into: UnsafeMutableRawPointer(buffer.baseAddress!))
      count = Self.byteCount
    }
  }

  static func hash(_ bytes: [UInt8]) -> [UInt8] {
    var h = SHA256()
    h.update(bytes)
    return h.digest()
  }

  /// The round constants: the first 32 bits of the fractional parts of the cube roots of the
  /// first 64 primes.
  private static let k: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
    0xab1c_5ed5, 0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe,
    0x9bdc_06a7, 0xc19b_f174, 0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f,
    0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da, 0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7,
    0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967, 0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc,
    0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85, 0xa2bf_e8a1, 0xa81a_664b,
    0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070, 0x19a4_c116,
    0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
    0xc671_78f2,
  ]

  @inline(__always)
  private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

  /// One block of 64 bytes into the state (FIPS 180-4 §6.2.2).
  private static func compress(_ s: inout State, _ p: UnsafeRawPointer) {
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
      k.withUnsafeBufferPointer { k in
        for t in 0..<16 {
          w[t] = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self))
        }
        for t in 16..<64 {
          let x = w[t - 15]
          let y = w[t - 2]
          let s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3)
          let s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >> 10)
          w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, h) = (s.a, s.b, s.c, s.d, s.e, s.f, s.g, s.h)
        for t in 0..<64 {
          let sum1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
          let choose = (e & f) ^ (~e & g)
          let t1 = h &+ sum1 &+ choose &+ k[t] &+ w[t]
          let sum0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
          let majority = (a & b) ^ (a & c) ^ (b & c)
          let t2 = sum0 &+ majority
          (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
        }
        s.a &+= a
        s.b &+= b
        s.c &+= c
        s.d &+= d
        s.e &+= e
        s.f &+= f
        s.g &+= g
        s.h &+= h
      }
    }
  }
}
