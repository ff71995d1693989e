#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Reading the value of a number the scanner has validated.
enum JSONNumber {
  /// The value as a Double (`strtod` on a stack copy; numbers are short, and the C locale
  /// of a Swift process uses `.` as the decimal point).
  static func double(_ ref: ValueRef, in line: UnsafeRawBufferPointer) -> Double {
    guard ref.kind == .number, let base = line.baseAddress else { return .nan }
    let n = ref.count
    if ref.has(ValueRef.isIntegerLiteral), n <= 15, let v = int64(ref, in: line) {
      return Double(v)
    }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { tmp in
      let dst = tmp.baseAddress!
      UnsafeMutableRawPointer(dst).copyMemory(from: base + Int(ref.start), byteCount: n)
      dst[n] = 0
      return strtod(dst, nil)
    }
  }

  /// The value as an Int64 when the literal is an integer that fits; nil otherwise.
  static func int64(_ ref: ValueRef, in line: UnsafeRawBufferPointer) -> Int64? {
    guard ref.kind == .number, ref.has(ValueRef.isIntegerLiteral) else { return nil }
    var i = Int(ref.start)
    let end = Int(ref.end)
    let negative = line[i] == 0x2D
    if negative { i += 1 }
    // A negative value is accumulated below zero, so Int64.min (one more than Int64.max in
    // magnitude) fits too.
    var v: Int64 = 0
    while i < end {
      let digit = Int64(line[i] &- 0x30)
      let (m, o1) = v.multipliedReportingOverflow(by: 10)
      let (s, o2) =
        negative ? m.subtractingReportingOverflow(digit) : m.addingReportingOverflow(digit)
      if o1 || o2 { return nil }
      v = s
      i += 1
    }
    return v
  }

  /// Whether the number has an integral value (`8`, `8.0` and `8e0` do; JSON Schema's
  /// notion of an integer), judged on the digits written, not on the nearest Double:
  /// `8.0000000000000001` and `1e-400` are not integers, though they round to 8 and 0. A
  /// literal that is not an integer literal must also be finite as a Double (`1e400` is not
  /// taken).
  static func isIntegral(_ ref: ValueRef, in line: UnsafeRawBufferPointer) -> Bool {
    if ref.has(ValueRef.isIntegerLiteral) { return true }
    guard ref.kind == .number, double(ref, in: line).isFinite else { return false }
    let (scale, zero) = decimalScale(ref, in: line)
    return zero || scale >= 0
  }

  /// Whether the number is below zero, judged on the digits written: `-1e-400` is, though
  /// its Double is -0; `-0` and `-0.0e5` are not.
  static func isBelowZero(_ ref: ValueRef, in line: UnsafeRawBufferPointer) -> Bool {
    guard ref.kind == .number, ref.has(ValueRef.isNegative) else { return false }
    return !decimalScale(ref, in: line).zero
  }

  /// The literal as `D × 10^scale` with `D` an integer without trailing zeros: `scale`,
  /// and whether every digit is 0. The exponent is held within ±2^40, far beyond any line.
  private static func decimalScale(_ ref: ValueRef, in line: UnsafeRawBufferPointer)
    -> (scale: Int, zero: Bool)
  {
    var i = Int(ref.start)
    let end = Int(ref.end)
    if i < end && line[i] == 0x2D { i += 1 }
    var fraction = 0  // digits after the point
    var trailingZeros = 0  // zeros after the last nonzero digit
    var zero = true
    var afterPoint = false
    while i < end {
      let c = line[i]
      if c == 0x2E {
        afterPoint = true
      } else if c >= 0x30 && c <= 0x39 {
        if afterPoint { fraction += 1 }
        if c == 0x30 {
          trailingZeros += 1
        } else {
          (zero, trailingZeros) = (false, 0)
        }
      } else {
        break
      }
      i += 1
    }
    var exponent = 0
    if i < end {  // `e` or `E`, a sign, digits
      i += 1
      let negative = line[i] == 0x2D
      if line[i] == 0x2D || line[i] == 0x2B { i += 1 }
      while i < end {
        exponent = min(exponent * 10 + Int(line[i] &- 0x30), 1 << 40)
        i += 1
      }
      if negative { exponent = -exponent }
    }
    return (exponent - fraction + trailingZeros, zero)
  }
}
