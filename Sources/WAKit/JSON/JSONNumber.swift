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
  /// notion of an integer).
  static func isIntegral(_ ref: ValueRef, in line: UnsafeRawBufferPointer) -> Bool {
    if ref.has(ValueRef.isIntegerLiteral) { return true }
    let d = double(ref, in: line)
    return d.isFinite && d.rounded(.towardZero) == d
  }
}
