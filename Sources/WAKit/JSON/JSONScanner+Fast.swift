#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The scanner's fast path: what nearly every line is, a valid object of objects.
///
/// `scan` is a general state machine: any nesting, arrays, escaped keys, and a precise error
/// with a JSON path for any problem. Its cost is per token (a state dispatch, the container
/// kind and key list in memory, a key entry per key for paths), and an event has about 25
/// tokens in 270 bytes, so that overhead is most of what it spends. This path reads the same
/// grammar with the open object's state in registers: key, colon, value, comma or brace, in
/// one loop. It takes only objects nested up to `fastDepth`, keys without escapes, and
/// objects with fewer than `linearKeyLimit` keys outside the field tables; on anything else,
/// and on any error, it gives up and `scan` starts over on the general path, which then
/// finds and reports the problem exactly as before. When it accepts a line it has recorded
/// the same fields as the general path would.
extension JSONScanner {
  /// The deepest object the fast path takes (events use 3: `context.library`).
  static let fastDepth = 4

  /// Scans an object line; true when it is valid and every field is recorded, false when
  /// the general path must decide (the fields are then partly written: `scan` clears them).
  /// A string or number that fails is reported with depth 0: `frames` are not kept the way
  /// `currentPath` reads them here, and `scan` replaces that error anyway.
  ///
  /// Two copies of one loop, chosen once per line: with stage 1's masks (the tools' way) or
  /// reading strings eight bytes at a time (tests and the fuzz target compare them). A flag
  /// tested per string kept both ways alive in one loop, whose constants and spills cost
  /// about a fifth of its instructions.
  @inline(__always)
  func scanFast(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    stage1Active ? scanFastMasked(p, n) : scanFastWords(p, n)
  }

  @inline(never)
  private func scanFastMasked(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    scanFastLoop(p, n, masks: true)
  }

  @inline(never)
  private func scanFastWords(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    scanFastLoop(p, n, masks: false)
  }

  /// Set in `stringEnd`'s result when the string has escapes: above any offset (lines are
  /// shorter than `Int32.max`), so one unsigned compare tells an error (-1) or escapes from
  /// the common case.
  static let escapedFlag = 1 << 40

  /// The offset of the closing quote of the string whose content starts at `from`, with
  /// `escapedFlag` added when it has escapes, or -1. The common case, a string without
  /// escapes or non-ASCII bytes, is a mask lookup (`masks`) or a word loop and one compare;
  /// the rest goes to `stringEndRest` (out of line, so that no flag lives in memory here).
  @inline(__always)
  private func stringEnd(
    _ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int, masks: Bool, _ bits: UnsafePointer<UInt64>
  ) -> Int {
    let i = masks ? Stage1.next(bits, from) : Self.nextAttention(p, from, n)
    if i < n && p[i] == 0x22 { return i }
    return stringEndRest(p, i, n)
  }

  @inline(never)
  private func stringEndRest(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int) -> Int {
    var escaped = false
    let end = scanStringRest(p, from, n, &escaped, depth: 0)
    return end >= 0 && escaped ? end | Self.escapedFlag : end
  }

  /// The loop of `scanFast`. The open object's key entries (its scope's part of
  /// `FieldNames.table`) and slots seen stay in registers; the rest of its state (its scope,
  /// the slot it is the value of, where its plain keys start) waits in `frames[depth]`,
  /// read only when a plain key comes or the object closes. An empty object is a value like
  /// a string: it gets no frame.
  @inline(__always)
  private func scanFastLoop(_ p: UnsafePointer<UInt8>, _ n: Int, masks: Bool) -> Bool {
    var i = skipSpace(p, 0, n)
    guard i < n, p[i] == 0x7B else { return false }
    i = skipSpace(p, i &+ 1, n)
    guard i < n else { return false }
    if p[i] == 0x7D {
      guard skipSpace(p, i &+ 1, n) == n else { return false }
      rootKind = .object
      return true
    }
    let fields = self.fields
    let frames = self.frames
    let bits = UnsafePointer(stage1Bits)
    let table = FieldNames.table
    var depth = 1
    var names = FieldNames.entries(of: .top, in: table)
    var seen: UInt64 = 0
    frames[1].scope = .top
    frames[1].slot = -1
    frames[1].keyBase = keyCount

    while true {
      // A key, without escapes (an escaped key must be decoded before it is compared).
      guard i < n, p[i] == 0x22 else { return false }
      let start = i &+ 1
      let close = stringEnd(p, start, n, masks: masks, bits)
      // Unsigned: an error (-1) and escapes both give up.
      guard UInt(bitPattern: close) < UInt(bitPattern: Self.escapedFlag) else { return false }
      let length = close &- start
      let slot = FieldNames.slot(p + start, length, in: names)
      if slot >= 0 {
        let bit: UInt64 = 1 &<< UInt64(truncatingIfNeeded: slot)
        if seen & bit != 0 { return false }
        seen |= bit
      } else if !pushPlainKey(start: start, length: length, base: frames[depth].keyBase) {
        return false
      }
      i = close &+ 1
      if i < n && p[i] == 0x3A {
        i &+= 1
      } else {
        i = skipSpace(p, i, n)
        guard i < n, p[i] == 0x3A else { return false }
        i &+= 1
      }
      i = skipSpace(p, i, n)
      guard i < n else { return false }

      // Its value.
      let c = p[i]
      if c == 0x22 {
        var end = stringEnd(p, i &+ 1, n, masks: masks, bits)
        var flags: UInt8 = 0
        if UInt(bitPattern: end) >= UInt(bitPattern: Self.escapedFlag) {
          if end < 0 { return false }
          end &= Self.escapedFlag &- 1
          flags = ValueRef.hasEscapes
        }
        if slot >= 0 {
          fields[slot] = ValueRef(
            kind: .string, flags: flags, start: Int32(offset: i &+ 1), end: Int32(offset: end))
        }
        i = end &+ 1
      } else if c == 0x7B {
        guard depth < Self.fastDepth else { return false }
        let open = i
        i = skipSpace(p, i &+ 1, n)
        guard i < n else { return false }
        if p[i] == 0x7D {
          if slot >= 0 {
            fields[slot] = ValueRef(
              kind: .object, flags: ValueRef.isEmpty, start: Int32(offset: open),
              end: Int32(offset: i))
          }
          i &+= 1
        } else {
          if slot >= 0 {
            fields[slot] = ValueRef(
              kind: .object, flags: 0, start: Int32(offset: open), end: Int32(offset: open))
          }
          let scope = slot >= 0 ? FieldNames.childScope(ofSlot: slot) : .none
          frames[depth].seenSlots = seen
          depth &+= 1
          frames[depth].scope = scope
          frames[depth].slot = slot
          frames[depth].keyBase = keyCount
          names = FieldNames.entries(of: scope, in: table)
          seen = 0
          continue
        }
      } else if c == 0x2D || c &- 0x30 < 10 {
        var flags: UInt8 = 0
        let end = scanNumber(p, i, n, &flags, depth: 0)
        if end < 0 { return false }
        if slot >= 0 {
          fields[slot] = ValueRef(
            kind: .number, flags: flags, start: Int32(offset: i), end: Int32(offset: end))
        }
        i = end
      } else if c == 0x74 && literal(p, i, n, "true") {
        if slot >= 0 {
          fields[slot] = ValueRef(
            kind: .bool, flags: ValueRef.isTrue, start: Int32(offset: i),
            end: Int32(offset: i &+ 4))
        }
        i &+= 4
      } else if c == 0x66 && literal(p, i, n, "false") {
        if slot >= 0 {
          fields[slot] = ValueRef(
            kind: .bool, flags: 0, start: Int32(offset: i), end: Int32(offset: i &+ 5))
        }
        i &+= 5
      } else if c == 0x6E && literal(p, i, n, "null") {
        if slot >= 0 {
          fields[slot] = ValueRef(
            kind: .null, flags: 0, start: Int32(offset: i), end: Int32(offset: i &+ 4))
        }
        i &+= 4
      } else {
        return false  // an array, or not a value: the general path
      }

      // After a value: a comma and the next key, or braces closing objects.
      i = skipSpace(p, i, n)
      guard i < n else { return false }
      if p[i] == 0x2C {  // ,
        i = skipSpace(p, i &+ 1, n)
        continue
      }
      while true {
        guard p[i] == 0x7D else { return false }
        let ownSlot = frames[depth].slot
        if ownSlot >= 0 { fields[ownSlot].end = Int32(offset: i) }
        keyCount = frames[depth].keyBase
        depth &-= 1
        i = skipSpace(p, i &+ 1, n)
        if depth == 0 {
          guard i == n else { return false }
          rootKind = .object
          return true
        }
        names = FieldNames.entries(of: frames[depth].scope, in: table)
        seen = frames[depth].seenSlots
        guard i < n else { return false }
        if p[i] == 0x2C {
          i = skipSpace(p, i &+ 1, n)
          break
        }
      }
    }
  }

  /// Records a key outside the field tables; false when it repeats an earlier one of its
  /// object, or the object has too many such keys for a linear check (the general path
  /// then decides).
  @inline(__always)
  private func pushPlainKey(start: Int, length: Int, base: Int) -> Bool {
    guard keyCount &- base < Self.linearKeyLimit, keyCount < keyCapacity else { return false }
    var k = base
    while k < keyCount {
      let other = keys[k]
      if Int(other.count) == length && memcmp(line + Int(other.start), line + start, length) == 0 {
        return false
      }
      k &+= 1
    }
    keys[keyCount] = KeyEntry(
      start: Int32(offset: start), count: Int32(offset: length), inArena: false,
      hasSlot: false, quote: Int32(offset: start &- 1))
    keyCount &+= 1
    return true
  }
}
