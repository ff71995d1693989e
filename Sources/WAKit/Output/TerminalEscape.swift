// Output: what the tools write for people and for other programs — rejects records,
// summaries, diagnostics — and the escaping that keeps input bytes from reaching a
// terminal raw.

/// Makes text from the input safe to show on a terminal (SPEC §8).
///
/// C0 controls, DEL, C1 controls (U+0080–U+009F, such as U+009B, which some terminals take
/// as CSI), U+2028/U+2029 and the bidirectional controls (U+061C, U+200E, U+200F,
/// U+202A–U+202E, U+2066–U+2069) become `\uXXXX`; bytes that are not UTF-8 become `\xHH`.
/// Everything else, including other non-ASCII text, is kept.
enum TerminalEscape {
  /// The escaped text, cut after `limit` input bytes with `…` appended.
  static func escape(_ bytes: UnsafeRawBufferPointer, limit: Int = .max) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(min(bytes.count, limit) + 16)
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return "" }
    let n = min(bytes.count, limit)
    var i = 0
    while i < n {
      let c = base[i]
      if c < 0x20 || c == 0x7F {
        appendU(&out, UInt32(c))
        i += 1
        continue
      }
      if c < 0x80 {
        out.append(c)
        i += 1
        continue
      }
      let len = UTF8Check.sequenceLength(base, i, bytes.count)
      if len == 0 || i + len > n {
        if len == 0 {
          appendX(&out, c)
          i += 1
          continue
        }
        break  // a valid character cut by the limit: stop before it
      }
      let scalar = decode(base + i, len)
      if isUnsafe(scalar) {
        appendU(&out, scalar)
      } else {
        out.append(contentsOf: UnsafeBufferPointer(start: base + i, count: len))
      }
      i += len
    }
    if bytes.count > n { out.append(contentsOf: [0xE2, 0x80, 0xA6]) }  // …
    return String(decoding: out, as: UTF8.self)
  }

  /// Escapes a Swift string (for paths and keys shown in diagnostics).
  static func escape(_ text: String) -> String {
    var text = text
    return text.withUTF8 { escape(UnsafeRawBufferPointer($0)) }
  }

  static func isUnsafe(_ s: UInt32) -> Bool {
    switch s {
    case 0x80...0x9F, 0x2028, 0x2029, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
      return true
    default:
      return false
    }
  }

  private static func decode(_ p: UnsafePointer<UInt8>, _ len: Int) -> UInt32 {
    switch len {
    case 2: return UInt32(p[0] & 0x1F) << 6 | UInt32(p[1] & 0x3F)
    case 3: return UInt32(p[0] & 0x0F) << 12 | UInt32(p[1] & 0x3F) << 6 | UInt32(p[2] & 0x3F)
    default:
      return UInt32(p[0] & 0x07) << 18 | UInt32(p[1] & 0x3F) << 12 | UInt32(p[2] & 0x3F) << 6
        | UInt32(p[3] & 0x3F)
    }
  }

  private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

  private static func appendU(_ out: inout [UInt8], _ s: UInt32) {
    out.append(contentsOf: [0x5C, 0x75])  // \u
    for shift in stride(from: 12, through: 0, by: -4) {
      out.append(hex[Int(s >> UInt32(shift)) & 15])
    }
  }

  private static func appendX(_ out: inout [UInt8], _ c: UInt8) {
    out.append(contentsOf: [0x5C, 0x78, hex[Int(c >> 4)], hex[Int(c & 15)]])  // \xHH
  }
}
