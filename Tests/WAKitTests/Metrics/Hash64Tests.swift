import Testing

@testable import WAKit

@Suite("Hash64")
struct Hash64Tests {
  /// The reference test vectors of wyhash final version 4 (key, seed, hash): covers the
  /// empty key, 1–3, 4–16, 17–48 and >48 byte paths.
  @Test(
    arguments: [
      ("", 0, 0x0409_638e_e2bd_e459),
      ("a", 1, 0xa841_2d09_1b5f_e0a9),
      ("abc", 2, 0x32dd_92e4_b291_5153),
      ("message digest", 3, 0x8619_1240_89a3_a16b),
      ("abcdefghijklmnopqrstuvwxyz", 4, 0x7a43_afb6_1d7f_5f40),
      ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 5, 0xff42_329b_90e5_0d58),
      (String(repeating: "1234567890", count: 8), 6, 0xc39c_ab13_b115_aad3),
    ] as [(String, UInt64, UInt64)])
  func matchesWyhashReferenceVectors(_ key: String, _ seed: UInt64, _ expected: UInt64) {
    #expect(Hash64.hash(key, seed: seed) == expected)
    #expect(Array(key.utf8).withUnsafeBytes { Hash64.hash($0, seed: seed) } == expected)
  }

  /// Pinned outputs for the keys this project hashes: a change here breaks every stored
  /// sketch and checkpoint, so it must be deliberate.
  @Test(
    arguments: [
      ("+254712345678", 0, 0x4bfe_5497_ea22_948c),
      ("+14155550123", 0, 0xec68_c551_dd2a_7786),
      ("wamid.HBgLMjU0NzEyMzQ1Njc4FQIAEhgUM0VCMDRGNjg5", 0, 0x5466_26ea_d4a7_67c8),
      ("+254712345678", 42, 0xf36e_ade8_a411_40da),
    ] as [(String, UInt64, UInt64)])
  func pinnedValuesForTypicalKeys(_ key: String, _ seed: UInt64, _ expected: UInt64) {
    #expect(Hash64.hash(key, seed: seed) == expected)
  }

  @Test func differentSeedsGiveDifferentHashes() {
    for key in ["", "a", "+254712345678", String(repeating: "x", count: 100)] {
      let hashes = Set((0..<64 as Range<UInt64>).map { Hash64.hash(key, seed: $0) })
      #expect(hashes.count == 64, "\(key)")
    }
  }

  @Test func everyLengthAndEveryByteMatters() {
    // Keys of length 0…200 made of one repeated byte, and each with one byte flipped:
    // all distinct, and every read stays inside the buffer (exact-size allocations).
    var seen = Set<UInt64>()
    for length in 0...200 {
      let key = [UInt8](repeating: 0x61, count: length)
      #expect(seen.insert(key.withUnsafeBytes { Hash64.hash($0) }).inserted)
      for position in 0..<length {
        var flipped = key
        flipped[position] ^= 1
        #expect(seen.insert(flipped.withUnsafeBytes { Hash64.hash($0) }).inserted)
      }
    }
  }

  @Test func bitsAreBalanced() {
    // Over 20,000 sequential phone numbers, every output bit is set about half the time.
    var ones = [Int](repeating: 0, count: 64)
    let n = 20_000
    for i in 0..<n {
      let h = Hash64.hash("+2547\(10_000_000 + i)")
      for bit in 0..<64 where h >> UInt64(bit) & 1 == 1 { ones[bit] += 1 }
    }
    for count in ones { #expect(abs(count - n / 2) < n / 20) }
  }

  @Test func nonContiguousStringsHashLikeTheirBytes() {
    let bridged = "+254712345678"
    let sub = Substring("x+254712345678x").dropFirst().dropLast()
    #expect(Hash64.hash(String(sub)) == Hash64.hash(bridged))
  }
}
