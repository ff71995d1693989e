/// HMAC-SHA-256 (RFC 2104, with SHA-256 as in RFC 4231) under one fixed key.
///
/// The key's inner and outer padded blocks are hashed once, at `init`; each message then
/// costs its own blocks plus two (the inner digest's padding and the outer hash), which for
/// a phone number is two compressions. A key longer than the 64-byte block is hashed first,
/// as RFC 2104 says.
struct HMACSHA256 {
  private var inner = SHA256()
  private var outer = SHA256()

  init(key: UnsafeRawBufferPointer) {
    var padded = [UInt8](repeating: 0, count: SHA256.blockCount)
    if key.count > SHA256.blockCount {
      var h = SHA256()
      h.update(key)
      let digest = h.digest()
      padded.replaceSubrange(0..<digest.count, with: digest)
    } else {
      for (i, byte) in key.enumerated() { padded[i] = byte }
    }
    inner.update(padded.map { $0 ^ 0x36 })
    outer.update(padded.map { $0 ^ 0x5c })
  }

  init(key: [UInt8]) {
    self = key.withUnsafeBytes { HMACSHA256(key: $0) }
  }

  /// Writes the 32-byte MAC of `message` to `out`.
  func authenticate(_ message: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer) {
    var h = inner
    h.update(message)
    h.finish(into: out)
    var o = outer
    o.update(UnsafeRawBufferPointer(start: out, count: SHA256.byteCount))
    o.finish(into: out)
  }

  func authenticate(_ message: [UInt8]) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: SHA256.byteCount) { buffer, count in
      message.withUnsafeBytes {
        authenticate($0, into: UnsafeMutableRawPointer(buffer.baseAddress!))
      }
      count = SHA256.byteCount
    }
  }
}
