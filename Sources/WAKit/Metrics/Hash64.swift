/// Deterministic 64-bit hash of bytes: wyhash (Wang Yi, "final version 4", domain),
/// with its default secret.
///
/// Swift's `Hasher` is seeded randomly per process, so its values cannot be compared across
/// runs or shards; distinct-count sketches that are merged, checkpointed or compared in tests
/// need the same hash everywhere. wyhash is among the fastest hashes that pass SMHasher, and
/// it is at its best on the short keys hashed here (phone numbers, ids: 8–40 bytes): one or
/// two 64×64→128-bit multiplications for up to 16 bytes. Outputs match the reference test
/// vectors (`wyhash("abc", 2) == 0x32dd92e4b2915153`), so other tools can reproduce them.
enum Hash64 {
  static let secret0: UInt64 = 0xa076_1d64_78bd_642f
  static let secret1: UInt64 = 0xe703_7ed1_a0b4_28db
  static let secret2: UInt64 = 0x8ebc_6af0_9c88_c6e3
  static let secret3: UInt64 = 0x5899_65cc_7537_4cc3

  /// Hash of `bytes` under `seed`. Different seeds give independent-looking hashes.
  @inlinable
  static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
    let len = bytes.count
    guard let base = bytes.baseAddress else { return wyhash(nil, 0, seed) }
    return wyhash(base, len, seed)
  }

  /// Hash of the string's UTF-8 bytes (the same value as hashing those bytes directly).
  @inlinable
  static func hash(_ string: String, seed: UInt64 = 0) -> UInt64 {
    if let h = string.utf8.withContiguousStorageIfAvailable({
      hash(UnsafeRawBufferPointer($0), seed: seed)
    }) {
      return h
    }
    return Array(string.utf8).withUnsafeBytes { hash($0, seed: seed) }
  }

  /// 128-bit product of `a` and `b`, folded by XOR of its halves.
  @inline(__always)
  static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let r = a.multipliedFullWidth(by: b)
    return r.low ^ r.high
  }

  @inline(__always)
  static func read8(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
    UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }

  @inline(__always)
  static func read4(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
    UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
  }

  @inline(__always)
  static func wyhash(_ key: UnsafeRawPointer?, _ len: Int, _ seed: UInt64) -> UInt64 {
    var seed = seed ^ mix(seed ^ secret0, secret1)
    var a: UInt64 = 0
    var b: UInt64 = 0
    if let key {
      if len <= 16 {
        if len >= 4 {
          let shift = (len >> 3) << 2  // 0 for 4–7 bytes, 4 for 8–16: overlapping reads
          a = read4(key, 0) << 32 | read4(key, shift)
          b = read4(key, len - 4) << 32 | read4(key, len - 4 - shift)
        } else if len > 0 {
          let bytes = key.assumingMemoryBound(to: UInt8.self)
          a = UInt64(bytes[0]) << 16 | UInt64(bytes[len >> 1]) << 8 | UInt64(bytes[len - 1])
        }
      } else {
        var p = key
        var i = len
        if i > 48 {
          var see1 = seed
          var see2 = seed
          repeat {
            seed = mix(read8(p, 0) ^ secret1, read8(p, 8) ^ seed)
            see1 = mix(read8(p, 16) ^ secret2, read8(p, 24) ^ see1)
            see2 = mix(read8(p, 32) ^ secret3, read8(p, 40) ^ see2)
            p += 48
            i -= 48
          } while i > 48
          seed ^= see1 ^ see2
        }
        while i > 16 {
          seed = mix(read8(p, 0) ^ secret1, read8(p, 8) ^ seed)
          i -= 16
          p += 16
        }
        a = read8(p, i - 16)
        b = read8(p, i - 8)
      }
    }
    let r = (a ^ secret1).multipliedFullWidth(by: b ^ seed)
    return mix(r.low ^ secret0 ^ UInt64(truncatingIfNeeded: len), r.high ^ secret1)
  }
}
