/// RFC 3339 `date-time` (§5.6), the event's `timestamp` and `receivedAt` format.
///
/// Accepted: `YYYY-MM-DDTHH:MM:SS[.F]Z` and `…[.F]±HH:MM`, with 1–9 fraction digits.
/// - Strict where the RFC is: exactly four year digits, real calendar dates (Feb 29 only in
///   leap years of the proleptic Gregorian calendar), hours 00–23, minutes 00–59, offset hours
///   00–23 and minutes 00–59. `24:00:00`, a missing offset, a `.` without digits, ten or more
///   fraction digits, and anything after the offset are invalid.
/// - Case: lowercase `t` and `z` are accepted, because §5.6 says so ("may alternatively be
///   lower case"); producers that lowercase whole lines are otherwise valid.
/// - Separator: only `T`/`t`. The space allowed by a note in §5.6 is not in the ABNF and is
///   what sloppy `str(datetime)` output looks like, so it is rejected.
/// - `-00:00` ("offset unknown", §4.3) names the same instant as `Z`.
/// - Leap seconds: second `60` is accepted only where one can occur, at 23:59:60 UTC (after
///   applying the offset), and is read as 23:59:59.999999999 UTC. POSIX time has no leap
///   seconds; mapping into the last instant of that second keeps the event in its own UTC
///   day and hour and keeps the order of events around it.
enum RFC3339 {
  /// Parses an RFC 3339 date-time from raw bytes (the JSON string's content, without quotes).
  /// Returns nil when the bytes are not a valid date-time under the rules above. Straight-line
  /// byte code: no `String`, no allocation; called once or twice per event.
  static func parse(_ bytes: UnsafeRawBufferPointer) -> Timestamp? {
    if let p = bytes.baseAddress, let t = parseCommon(p, bytes.count) { return t }
    return parseAny(bytes)
  }

  /// The shapes nearly every producer writes, `YYYY-MM-DDTHH:MM:SSZ` and
  /// `YYYY-MM-DDTHH:MM:SS.fffZ`, read with fewer instructions than `parseAny` (about 40% of
  /// its cost per event): each two-digit field comes out of one multiply-add over its word
  /// (`pairs`), the milliseconds out of one four-byte word, and there is no offset, leap
  /// second or variable-length fraction to consider. Nil for anything else, valid or not:
  /// `parseAny` then decides. So this never accepts what `parseAny` rejects, and gives the
  /// same instant for what it takes (`RFC3339Tests` hold the two to it).
  @inline(__always)
  static func parseCommon(_ p: UnsafeRawPointer, _ n: Int) -> Timestamp? {
    guard n == 24 || n == 20 else { return nil }
    let a = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
    let b = UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 7, as: UInt32.self)))
    let c = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 11, as: UInt64.self))
    // The last four bytes: `fffZ`, or (n 20) `:SSZ`; only the `Z` is read from the latter.
    let f = UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)))
    guard a & 0xFF00_00FF_0000_0000 == 0x2D00_002D_0000_0000,  // '-' at 4 and 7
      (b | 0x2000_0000) & 0xFF00_0000 == 0x7400_0000,  // 'T' or 't' at 10
      c & 0x0000_FF00_00FF_0000 == 0x0000_3A00_003A_0000,  // ':' at 13 and 16
      (f | 0x2000_0000) & 0xFF00_0000 == 0x7A00_0000,  // 'Z' or 'z' last
      RFC3339.allDigits(a, mask: 0x00FF_FF00_FFFF_FFFF),
      RFC3339.allDigits(b, mask: 0x00FF_FF00),
      RFC3339.allDigits(c, mask: 0xFFFF_00FF_FF00_FFFF)
    else { return nil }
    let pa = pairs(a)
    let pc = pairs(c)
    let year = Int(pa & 0xFF) &* 100 &+ Int(pa &>> 16 & 0xFF)
    let month = Int(pa &>> 40 & 0xFF)
    let day = Int(pairs(b) &>> 8 & 0xFF)
    let hour = Int(pc & 0xFF)
    let minute = Int(pc &>> 24 & 0xFF)
    let second = Int(pc &>> 48 & 0xFF)
    // Second 60 (a leap second) is `parseAny`'s to judge.
    guard UInt(bitPattern: month &- 1) < 12, UInt(bitPattern: day &- 1) < 31, hour < 24,
      minute < 60, second < 60
    else { return nil }
    if day > 28, day > CivilCalendar.daysInMonth(year: Int64(year), month: month) { return nil }
    var nanos: Int32 = 0
    if n == 24 {
      guard p.load(fromByteOffset: 19, as: UInt8.self) == 0x2E,
        RFC3339.allDigits(f, mask: 0x00FF_FFFF)
      else { return nil }
      let millis = (f & 0xF) &* 100 &+ (f &>> 8 & 0xF) &* 10 &+ (f &>> 16 & 0xF)
      nanos = Int32(truncatingIfNeeded: millis) &* 1_000_000
    }
    let days = daysSince1970(year: year, month: month, day: day)
    let seconds = days &* 86_400 &+ Int64((hour &* 60 &+ minute) &* 60 &+ second)
    return Timestamp(seconds: seconds, nanoseconds: nanos)
  }

  /// Byte k (k < 7) of the result is 10 × the digit in byte k of `w` plus the digit in byte
  /// k + 1: every two-digit field at once. Bytes that are not digits give garbage below 256,
  /// so nothing carries into a neighbour.
  @inline(__always)
  static func pairs(_ w: UInt64) -> UInt64 {
    let digits = w & 0x0F0F_0F0F_0F0F_0F0F
    return digits &* 10 &+ (digits &>> 8)
  }

  /// Days since 1970-01-01 of a valid date of years 0...9999, shifted by 400 years so that
  /// all of it is non-negative (Hinnant's days_from_civil without eras).
  @inline(__always)
  static func daysSince1970(year: Int, month: Int, day: Int) -> Int64 {
    let y = UInt(bitPattern: year &+ 400 &- (month <= 2 ? 1 : 0))
    let mp = UInt(bitPattern: month > 2 ? month &- 3 : month &+ 9)
    let doy = (153 &* mp &+ 2) / 5 &+ UInt(bitPattern: day) &- 1
    return Int64(bitPattern: UInt64(y &* 365 &+ y / 4 &- y / 100 &+ y / 400 &+ doy))
      &- (719_468 &+ 146_097)
  }

  /// Every shape of the rules above (offsets, fractions of 1–9 digits, leap seconds, `t`
  /// and `z`). `parse` tries `parseCommon` first.
  static func parseAny(_ bytes: UnsafeRawBufferPointer) -> Timestamp? {
    let n = bytes.count
    // Shortest: 2026-01-23T10:00:00Z (20). Longest: 9 fraction digits and ±hh:mm (35).
    guard n >= 20, n <= 35, let p = bytes.baseAddress else { return nil }
    @inline(__always) func byte(_ i: Int) -> UInt8 { p.load(fromByteOffset: i, as: UInt8.self) }
    /// Digit value, or ≥ 10 (wrapping) for any other byte: one compare checks and converts.
    @inline(__always) func digit(_ i: Int) -> UInt8 { byte(i) &- 0x30 }
    @inline(__always) func twoDigits(_ i: Int) -> Int? {
      let a = digit(i)
      let b = digit(i + 1)
      return a < 10 && b < 10 ? Int(a) &* 10 &+ Int(b) : nil
    }

    // The fixed part, `YYYY-MM-DDTHH:MM:SS`, is checked eight bytes at a time (SWAR): bytes
    // 0–7 `YYYY-MM-`, 7–10 `-DDT`, 11–18 `HH:MM:SS`, little-endian (byte k at bits 8k).
    let a = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
    let b = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 7, as: UInt32.self))
    let c = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 11, as: UInt64.self))
    guard a & 0xFF00_00FF_0000_0000 == 0x2D00_002D_0000_0000,  // '-' at 4 and 7
      (b | 0x2000_0000) & 0xFF00_0000 == 0x7400_0000,  // 'T' or 't' at 10
      c & 0x0000_FF00_00FF_0000 == 0x0000_3A00_003A_0000,  // ':' at 13 and 16
      RFC3339.allDigits(a, mask: 0x00FF_FF00_FFFF_FFFF),
      RFC3339.allDigits(UInt64(b), mask: 0x00FF_FF00),
      RFC3339.allDigits(c, mask: 0xFFFF_00FF_FF00_FFFF)
    else { return nil }
    /// Value of the digit in byte `k` of `w` (validated above: its low nibble).
    @inline(__always) func d(_ w: UInt64, _ k: UInt64) -> Int {
      Int(truncatingIfNeeded: w >> (8 &* k)) & 0xF
    }
    let year = ((d(a, 0) &* 10 &+ d(a, 1)) &* 10 &+ d(a, 2)) &* 10 &+ d(a, 3)
    let month = d(a, 5) &* 10 &+ d(a, 6)
    let day = d(UInt64(b), 1) &* 10 &+ d(UInt64(b), 2)
    let hour = d(c, 0) &* 10 &+ d(c, 1)
    let minute = d(c, 3) &* 10 &+ d(c, 4)
    let second = d(c, 6) &* 10 &+ d(c, 7)
    guard UInt(bitPattern: month &- 1) < 12, UInt(bitPattern: day &- 1) < 31, hour < 24,
      minute < 60, second <= 60
    else { return nil }
    if day > 28, day > CivilCalendar.daysInMonth(year: Int64(year), month: month) { return nil }

    var i = 19
    var nanos: Int32 = 0
    if byte(i) == 0x2E {  // '.'
      i += 1
      let start = i
      while i < n {
        let d = digit(i)
        if d >= 10 { break }
        nanos = nanos &* 10 &+ Int32(d)
        i += 1
      }
      let count = i - start
      guard count >= 1, count <= 9 else { return nil }
      nanos &*= RFC3339.nanosecondScale(digits: count)
    }

    guard i < n else { return nil }  // the offset is required
    var offsetMinutes = 0
    let designator = byte(i)
    if designator | 0x20 == 0x7A {  // 'Z' or 'z'
      i += 1
    } else if designator == 0x2B || designator == 0x2D {  // '+' or '-'
      guard i + 6 == n, byte(i + 3) == 0x3A,
        let offsetHour = twoDigits(i + 1), let offsetMinute = twoDigits(i + 4),
        offsetHour <= 23, offsetMinute <= 59
      else { return nil }
      offsetMinutes = offsetHour &* 60 &+ offsetMinute
      if designator == 0x2D { offsetMinutes = -offsetMinutes }
      i += 6
    } else {
      return nil
    }
    guard i == n else { return nil }

    let days = daysSince1970(year: year, month: month, day: day)
    let minuteOfDay = hour &* 60 &+ minute &- offsetMinutes  // UTC, may leave 0..<1440
    var seconds = days &* 86_400 &+ Int64(minuteOfDay &* 60 &+ second)
    if second == 60 {
      // Only 23:59:60 UTC can be a leap second; read it as the last instant of 23:59:59.
      guard (minuteOfDay + 1440) % 1440 == 1439 else { return nil }
      seconds &-= 1
      nanos = 999_999_999
    }
    return Timestamp(seconds: seconds, nanoseconds: nanos)
  }

  /// 10^(9 - digits): scales a fraction of `digits` digits to nanoseconds.
  @inline(__always)
  static func nanosecondScale(digits: Int) -> Int32 {
    switch digits {
    case 1: return 100_000_000
    case 2: return 10_000_000
    case 3: return 1_000_000
    case 4: return 100_000
    case 5: return 10_000
    case 6: return 1_000
    case 7: return 100
    case 8: return 10
    default: return 1
    }
  }

  /// True when every byte selected by `mask` (0xFF per byte) is an ASCII digit: its high
  /// nibble is 3 and adding 6 does not carry out of the low nibble.
  @inline(__always)
  static func allDigits(_ w: UInt64, mask: UInt64) -> Bool {
    let x = w & mask
    let high = 0xF0F0_F0F0_F0F0_F0F0 & mask
    let threes = 0x3030_3030_3030_3030 & mask
    return x & high == threes && (x &+ (0x0606_0606_0606_0606 & mask)) & high == threes
  }

  /// `2026-11-25T10:00:00.000Z`: UTC, `fractionDigits` fraction digits (clamped to 0...9;
  /// 0 drops the `.`), truncated, not rounded, so a formatted instant never moves into the next
  /// second, minute or day. Years outside 0...9999 cannot be written in RFC 3339; they come out
  /// in ISO 8601's expanded form (`+10000-01-01…`, `-0001-…`) rather than as wrong digits.
  /// A `nanoseconds` outside 0..<1e9 is carried into the seconds first.
  static func format(_ t: Timestamp, fractionDigits: Int = 3) -> String {
    let digits = min(max(fractionDigits, 0), 9)
    var seconds = t.seconds
    var nanos = Int64(t.nanoseconds)
    if nanos < 0 || nanos >= 1_000_000_000 {
      seconds &+= CivilCalendar.floorDiv(nanos, 1_000_000_000)
      nanos = nanos - CivilCalendar.floorDiv(nanos, 1_000_000_000) * 1_000_000_000
    }
    let days = CivilCalendar.floorDiv(seconds, 86_400)
    let secondOfDay = Int(seconds &- days &* 86_400)
    let date = CivilCalendar.civilFromDays(days)

    return String(unsafeUninitializedCapacity: 48) { out in
      var n = 0
      @inline(__always) func put(_ b: UInt8) {
        out[n] = b
        n += 1
      }
      @inline(__always) func putDigits(_ value: Int64, _ width: Int) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor &*= 10 }
        var v = value
        while divisor > 0 {
          put(0x30 &+ UInt8(truncatingIfNeeded: v / divisor))
          v %= divisor
          divisor /= 10
        }
      }
      var year = date.year
      if year < 0 || year > 9999 {
        put(year < 0 ? 0x2D : 0x2B)
        year = abs(year)  // |year| < 3e11 for any Int64 instant
      }
      var width = 4
      var bound: Int64 = 10_000
      while width < 19, year >= bound {
        width += 1
        bound &*= 10
      }
      putDigits(year, width)
      put(0x2D)
      putDigits(Int64(date.month), 2)
      put(0x2D)
      putDigits(Int64(date.day), 2)
      put(0x54)
      putDigits(Int64(secondOfDay / 3600), 2)
      put(0x3A)
      putDigits(Int64(secondOfDay / 60 % 60), 2)
      put(0x3A)
      putDigits(Int64(secondOfDay % 60), 2)
      if digits > 0 {
        put(0x2E)
        var scaled = nanos
        for _ in digits..<9 { scaled /= 10 }
        putDigits(scaled, digits)
      }
      put(0x5A)
      return n
    }
  }
}
