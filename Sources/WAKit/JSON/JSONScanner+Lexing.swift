/// Strings, numbers and error reporting of `JSONScanner`.
extension JSONScanner {
  /// Scans a string's content starting after its opening quote. Returns the offset of the
  /// closing quote, or -1 with `error` set. Checks UTF-8, control characters and escapes
  /// (including surrogate pairs: a lone surrogate escape is rejected, because it cannot be
  /// turned into UTF-8 by anyone downstream).
  ///
  /// Inlined at its two call sites for the common case, a short ASCII string without
  /// escapes: eight bytes at a time, then straight to the first byte that needs attention
  /// (its position is the lowest flagged byte of the word). Anything else, and the last
  /// bytes of the line, go to `scanStringRest`.
  @inline(__always)
  func scanString(
    _ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int, _ escaped: inout Bool, depth: Int
  ) -> Int {
    if stage1Active {
      // Stage 1 has flagged every byte that stops a string: the first one at or after
      // `from` is found in its mask word.
      let i = Stage1.next(stage1Bits, from)
      if i < n && p[i] == 0x22 { return i }
      return scanStringRest(p, i, n, &escaped, depth: depth)
    }
    let i = Self.nextAttention(p, from, n)
    if i < n && p[i] == 0x22 { return i }
    return scanStringRest(p, i, n, &escaped, depth: depth)
  }

  /// The first byte at or after `from` that `attention` flags, read eight bytes at a time;
  /// when no whole word from `from` on holds one, the start of the last partial word (which
  /// the caller reads a byte at a time).
  @inline(__always)
  static func nextAttention(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int) -> Int {
    var i = from
    while i &+ 8 <= n {
      let flagged = attention(UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
      if flagged != 0 { return i &+ (flagged.trailingZeroBitCount &>> 3) }
      i &+= 8
    }
    return i
  }

  /// The high bit of each byte of `w` (little-endian) that is a quote, a backslash, a
  /// control byte or non-ASCII. The lowest set bit is exact: the subtractions borrow only
  /// out of a byte that is itself flagged, so false flags appear only above a true one.
  @inline(__always)
  static func attention(_ w: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let quote = w ^ 0x2222_2222_2222_2222
    let slash = w ^ 0x5C5C_5C5C_5C5C_5C5C
    let flagged =
      ((quote &- ones) & ~quote) | ((slash &- ones) & ~slash)
      | ((w &- 0x2020_2020_2020_2020) & ~w) | w
    return flagged & 0x8080_8080_8080_8080
  }

  /// The rest of `scanString` from `from`: escapes, UTF-8, control bytes and the end of the
  /// line, a byte at a time, going back to eight at a time after each.
  @inline(never)
  func scanStringRest(
    _ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int, _ escaped: inout Bool, depth: Int
  ) -> Int {
    var i = from
    let stage1 = stage1Active
    while true {
      // To the next quote, backslash, control byte or non-ASCII byte: stage 1's mask, or
      // eight bytes at a time.
      i = stage1 ? Stage1.next(stage1Bits, i) : Self.nextAttention(p, i, n)
      guard i < n else {
        return failIndex(.invalidJSON, i, "unterminated string", depth: depth)
      }
      let c = p[i]
      if c == 0x22 { return i }
      if c == 0x5C {
        escaped = true
        let next = scanEscape(p, i, n, depth: depth)
        if next < 0 { return -1 }
        i = next
      } else if c < 0x20 {
        return failIndex(
          .invalidJSON, i, "control character U+00\(hex2(c)) in a string must be escaped",
          depth: depth)
      } else if c < 0x80 {
        i += 1
      } else {
        let len = UTF8Check.sequenceLength(p, i, n)
        if len == 0 { return failIndex(.invalidUTF8, i, "invalid UTF-8 in a string", depth: depth) }
        i += len
      }
    }
  }

  /// Checks the escape at `p[i]` (a backslash); returns the offset after it or -1.
  private func scanEscape(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, depth: Int) -> Int {
    guard i + 1 < n else { return failIndex(.invalidJSON, i, "unterminated string", depth: depth) }
    switch p[i + 1] {
    case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:  // " \ / b f n r t
      return i + 2
    case 0x75:  // u
      guard let unit = Self.hex4(p, i + 2, n) else {
        return failIndex(.invalidJSON, i, "\\u must be followed by 4 hex digits", depth: depth)
      }
      if unit >= 0xDC00 && unit <= 0xDFFF {
        return failIndex(.invalidJSON, i, "lone low surrogate escape", depth: depth)
      }
      guard unit >= 0xD800 && unit <= 0xDBFF else { return i + 6 }
      guard i + 7 < n, p[i + 6] == 0x5C, p[i + 7] == 0x75, let low = Self.hex4(p, i + 8, n),
        low >= 0xDC00 && low <= 0xDFFF
      else {
        return failIndex(
          .invalidJSON, i, "high surrogate escape without its low half", depth: depth)
      }
      return i + 12
    default:
      return failIndex(.invalidJSON, i, "invalid escape", depth: depth)
    }
  }

  /// The value of four hex digits at `p[i]`, or nil.
  @inline(__always)
  static func hex4(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> UInt32? {
    guard i + 4 <= n else { return nil }
    var v: UInt32 = 0
    for k in 0..<4 {
      guard let d = hexValue(p[i + k]) else { return nil }
      v = v << 4 | UInt32(d)
    }
    return v
  }

  @inline(__always)
  static func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x30...0x39: return c - 0x30
    case 0x41...0x46: return c - 0x41 + 10
    case 0x61...0x66: return c - 0x61 + 10
    default: return nil
    }
  }

  /// Scans a number (RFC 8259 grammar). Returns the offset after it or -1.
  @inline(__always)
  func scanNumber(
    _ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int, _ flags: inout UInt8, depth: Int
  ) -> Int {
    var i = from
    flags = ValueRef.isIntegerLiteral
    if p[i] == 0x2D {
      flags |= ValueRef.isNegative
      i += 1
    }
    guard i < n, isDigit(p[i]) else {
      return failIndex(.invalidJSON, i, "invalid number: expected a digit", depth: depth)
    }
    if p[i] == 0x30 {
      i += 1
      if i < n && isDigit(p[i]) {
        return failIndex(.invalidJSON, i, "invalid number: leading zero", depth: depth)
      }
    } else {
      while i < n && isDigit(p[i]) { i += 1 }
    }
    if i < n && p[i] == 0x2E {  // .
      flags &= ~ValueRef.isIntegerLiteral
      i += 1
      guard i < n, isDigit(p[i]) else {
        return failIndex(
          .invalidJSON, i, "invalid number: expected a digit after '.'", depth: depth)
      }
      while i < n && isDigit(p[i]) { i += 1 }
    }
    if i < n && (p[i] == 0x65 || p[i] == 0x45) {  // e E
      flags &= ~ValueRef.isIntegerLiteral
      i += 1
      if i < n && (p[i] == 0x2B || p[i] == 0x2D) { i += 1 }
      guard i < n, isDigit(p[i]) else {
        return failIndex(
          .invalidJSON, i, "invalid number: expected a digit in the exponent",
          depth: depth)
      }
      while i < n && isDigit(p[i]) { i += 1 }
    }
    return i
  }

  @inline(__always)
  private func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

  /// Reports an unexpected byte: a non-ASCII byte that is not UTF-8 is `invalid_utf8`,
  /// anything else `invalid_json`.
  func unexpected(
    _ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, _ expected: String, depth: Int
  ) -> Bool {
    guard i < n else { return fail(.invalidJSON, i, "unexpected end of line", depth: depth) }
    let c = p[i]
    if c >= 0x80 && UTF8Check.sequenceLength(p, i, n) == 0 {
      return fail(.invalidUTF8, i, "invalid UTF-8", depth: depth)
    }
    let shown = c >= 0x21 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(hex2(c))"
    return fail(.invalidJSON, i, "\(expected), found \(shown)", depth: depth)
  }

  /// Records an error; returns false so callers can `return fail(...)`.
  func fail(_ kind: JSONError.Kind, _ offset: Int, _ message: String, depth: Int) -> Bool {
    error = JSONError(
      kind: kind, offset: offset, message: "\(message) at byte \(offset + 1)",
      path: currentPath(depth: depth))
    return false
  }

  func failIndex(_ kind: JSONError.Kind, _ offset: Int, _ message: String, depth: Int) -> Int {
    _ = fail(kind, offset, message, depth: depth)
    return -1
  }

  func hex2(_ c: UInt8) -> String {
    let digits: [Character] = Array("0123456789ABCDEF")
    return String([digits[Int(c >> 4)], digits[Int(c & 15)]])
  }
}
