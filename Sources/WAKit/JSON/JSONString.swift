/// Decoding and encoding of JSON string contents.
enum JSONString {
  /// Decodes the escapes of a string content that the scanner has already validated,
  /// writing UTF-8 to `out` (which must hold at least `count` bytes: decoding never grows).
  /// Returns the number of bytes written.
  static func decode(
    _ src: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<UInt8>
  ) -> Int {
    var i = 0
    var o = 0
    while i < count {
      let c = src[i]
      guard c == 0x5C, i + 1 < count else {
        out[o] = c
        o += 1
        i += 1
        continue
      }
      let e = src[i + 1]
      i += 2
      switch e {
      case 0x62: out[o] = 0x08
      case 0x66: out[o] = 0x0C
      case 0x6E: out[o] = 0x0A
      case 0x72: out[o] = 0x0D
      case 0x74: out[o] = 0x09
      case 0x75:
        var scalar = JSONScanner.hex4(src, i, count) ?? 0xFFFD
        i += 4
        if scalar >= 0xD800 && scalar <= 0xDBFF, i + 6 <= count,
          let low = JSONScanner.hex4(src, i + 2, count)
        {
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          i += 6
        }
        o += encodeUTF8(scalar, into: out + o)
        continue
      default: out[o] = e  // " \ /
      }
      o += 1
    }
    return o
  }

  /// Writes the UTF-8 form of a scalar; returns its length.
  static func encodeUTF8(_ s: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
    switch s {
    case 0..<0x80:
      out[0] = UInt8(s)
      return 1
    case 0x80..<0x800:
      out[0] = UInt8(0xC0 | s >> 6)
      out[1] = UInt8(0x80 | s & 0x3F)
      return 2
    case 0x800..<0x10000:
      out[0] = UInt8(0xE0 | s >> 12)
      out[1] = UInt8(0x80 | (s >> 6) & 0x3F)
      out[2] = UInt8(0x80 | s & 0x3F)
      return 3
    default:
      out[0] = UInt8(0xF0 | s >> 18)
      out[1] = UInt8(0x80 | (s >> 12) & 0x3F)
      out[2] = UInt8(0x80 | (s >> 6) & 0x3F)
      out[3] = UInt8(0x80 | s & 0x3F)
      return 4
    }
  }

  /// Decodes a string value of a scanned line into a Swift `String` (slow path: output and
  /// messages only).
  static func string(_ ref: ValueRef, in line: UnsafeRawBufferPointer) -> String {
    guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return "" }
    let src = base + Int(ref.start)
    let n = ref.count
    guard ref.has(ValueRef.hasEscapes) else {
      return String(decoding: UnsafeBufferPointer(start: src, count: n), as: UTF8.self)
    }
    return String(unsafeUninitializedCapacity: max(n, 1)) { out in
      decode(src, count: n, into: out.baseAddress!)
    }
  }

  /// Appends `bytes` to `out` as the content of a JSON string (without quotes): `"`, `\`
  /// and control characters escaped; U+2028/U+2029 escaped too, so the text is safe in
  /// JavaScript as well. The bytes must be valid UTF-8.
  static func appendEscaped(_ bytes: UnsafeRawBufferPointer, to out: OutputBuffer) {
    var runStart = 0
    let n = bytes.count
    var i = 0
    while i < n {
      let c = bytes[i]
      var escape: StaticString? = nil
      var skip = 1
      switch c {
      case 0x22: escape = "\\\""
      case 0x5C: escape = "\\\\"
      case 0x0A: escape = "\\n"
      case 0x0D: escape = "\\r"
      case 0x09: escape = "\\t"
      case 0x00..<0x20, 0x7F: escape = nil
      case 0xE2 where i + 2 < n && bytes[i + 1] == 0x80 && (bytes[i + 2] | 1) == 0xA9:
        escape = bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"
        skip = 3
      default:
        i += 1
        continue
      }
      out.write(UnsafeRawBufferPointer(rebasing: bytes[runStart..<i]))
      if let escape {
        out.write(UnsafeRawBufferPointer(start: escape.utf8Start, count: escape.utf8CodeUnitCount))
      } else {
        out.write("\\u00")
        out.write(byte: hexDigit(c >> 4))
        out.write(byte: hexDigit(c & 15))
      }
      i += skip
      runStart = i
    }
    out.write(UnsafeRawBufferPointer(rebasing: bytes[runStart..<n]))
  }

  /// Appends a Swift string as a complete JSON string literal, quotes included.
  static func appendQuoted(_ text: String, to out: OutputBuffer) {
    out.write(byte: 0x22)
    var text = text
    text.withUTF8 { appendEscaped(UnsafeRawBufferPointer($0), to: out) }
    out.write(byte: 0x22)
  }

  @inline(__always)
  static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }
}
