/// Standard base64 (RFC 4648, with padding), for `inputBase64` in rejects records.
enum Base64 {
  private static let alphabet: [UInt8] = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// Appends the encoding of `bytes` to `out`.
  static func append(_ bytes: UnsafeRawBufferPointer, to out: OutputBuffer) {
    var i = 0
    let n = bytes.count
    while i + 3 <= n {
      let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
      for shift in [18, 12, 6, 0] { out.write(byte: alphabet[Int(v >> UInt32(shift)) & 63]) }
      i += 3
    }
    let rest = n - i
    if rest > 0 {
      var v = UInt32(bytes[i]) << 16
      if rest == 2 { v |= UInt32(bytes[i + 1]) << 8 }
      out.write(byte: alphabet[Int(v >> 18) & 63])
      out.write(byte: alphabet[Int(v >> 12) & 63])
      out.write(byte: rest == 2 ? alphabet[Int(v >> 6) & 63] : 0x3D)
      out.write(byte: 0x3D)
    }
  }
}
