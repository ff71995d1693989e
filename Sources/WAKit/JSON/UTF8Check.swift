/// UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
enum UTF8Check {
  /// The length of the valid sequence that starts at `p[i]` (a byte ≥ 0x80), or 0 if the
  /// bytes there are not valid UTF-8.
  @inline(__always)
  static func sequenceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
    let c0 = p[i]
    if c0 < 0xC2 { return 0 }
    if c0 < 0xE0 {
      return i + 1 < n && isContinuation(p[i + 1]) ? 2 : 0
    }
    if c0 < 0xF0 {
      guard i + 2 < n else { return 0 }
      let c1 = p[i + 1]
      let low: UInt8 = c0 == 0xE0 ? 0xA0 : 0x80
      let high: UInt8 = c0 == 0xED ? 0x9F : 0xBF
      return c1 >= low && c1 <= high && isContinuation(p[i + 2]) ? 3 : 0
    }
    if c0 < 0xF5 {
      guard i + 3 < n else { return 0 }
      let c1 = p[i + 1]
      let low: UInt8 = c0 == 0xF0 ? 0x90 : 0x80
      let high: UInt8 = c0 == 0xF4 ? 0x8F : 0xBF
      return c1 >= low && c1 <= high && isContinuation(p[i + 2]) && isContinuation(p[i + 3])
        ? 4 : 0
    }
    return 0
  }

  @inline(__always)
  static func isContinuation(_ c: UInt8) -> Bool { c & 0xC0 == 0x80 }

  /// The offset of the first byte that is not part of valid UTF-8, or nil if all are valid.
  static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
    let n = bytes.count
    var i = 0
    while i < n {
      // Eight ASCII bytes at a time.
      while i + 8 <= n,
        UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
      {
        i += 8
      }
      guard i < n else { break }
      if base[i] < 0x80 {
        i += 1
        continue
      }
      let len = sequenceLength(base, i, n)
      if len == 0 { return i }
      i += len
    }
    return nil
  }

  /// Whether all bytes are valid UTF-8.
  static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
    firstInvalidOffset(bytes) == nil
  }
}
