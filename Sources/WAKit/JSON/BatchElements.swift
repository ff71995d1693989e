/// The elements of a batch line's `batch` array (SPEC §2 "Batches"), one byte range at a
/// time, so a batch of 100,000 events needs no list of them: memory stays that of the line.
///
/// It reads only the structure: strings (with their escapes) and brackets, commas between
/// elements at the array's own level. On a line the scanner accepted that is exact. On a line
/// it refused because of a problem inside an element (`locate` finds the array without the
/// scanner), each element is then validated on its own, so the element holding the problem
/// is the one rejected and the others still count.
struct BatchElements {
  let base: UnsafePointer<UInt8>
  /// Where the next element may start (just after `[` or a `,`).
  var position: Int
  /// The offset of the array's closing `]`.
  let close: Int
  /// The last element ended at a comma: another one must follow, even if empty (`[1,]`
  /// has a second, empty element, which is then rejected as not JSON).
  var afterComma = false

  /// `open` and `close` are the offsets of the array's brackets in `line`.
  init(_ line: UnsafeRawBufferPointer, open: Int, close: Int) {
    base = line.baseAddress!.assumingMemoryBound(to: UInt8.self)
    position = open + 1
    self.close = close
  }

  /// The next element's bytes as a range of the line (whitespace around it left out), or
  /// nil after the last one. An empty array has none.
  mutating func next() -> Range<Int>? {
    var i = position
    while i < close, Self.isSpace(base[i]) { i += 1 }
    if i >= close {
      guard afterComma else { return nil }
      afterComma = false
      position = close
      return i..<i
    }
    let start = i
    var depth = 0
    while i < close {
      let c = base[i]
      if c == 0x22 {
        i = stringEnd(after: i + 1)
      } else if c == 0x5B || c == 0x7B {
        depth += 1
      } else if c == 0x5D || c == 0x7D {
        depth -= 1
      } else if c == 0x2C && depth == 0 {
        break
      }
      i += 1
    }
    var end = min(i, close)
    afterComma = end < close
    position = end + 1
    while end > start, Self.isSpace(base[end - 1]) { end -= 1 }
    return start..<end
  }

  /// The offset of the closing quote of a string whose content starts at `from` (`close`
  /// when it does not end before the array does).
  @inline(__always)
  private func stringEnd(after from: Int) -> Int {
    Self.stringEnd(base, after: from, bound: close)
  }

  /// The offset of the closing quote of a string whose content starts at `from`, or `bound`
  /// (or past it) when it does not end before `bound`. Most of a batch's bytes are inside
  /// strings: eight bytes at a time, looking for a quote or a backslash (SWAR; the lowest
  /// flagged byte is always a true match, the borrow only spills upwards).
  @inline(__always)
  static func stringEnd(_ base: UnsafePointer<UInt8>, after from: Int, bound close: Int) -> Int {
    var i = from
    while i < close {
      while i + 8 <= close {
        let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
        let q = w ^ 0x2222_2222_2222_2222
        let b = w ^ 0x5C5C_5C5C_5C5C_5C5C
        let hit =
          ((q &- 0x0101_0101_0101_0101) & ~q | (b &- 0x0101_0101_0101_0101) & ~b)
          & 0x8080_8080_8080_8080
        if hit != 0 {
          i += hit.littleEndian.trailingZeroBitCount >> 3
          break
        }
        i += 8
      }
      while i < close, base[i] != 0x22, base[i] != 0x5C { i += 1 }
      guard i < close, base[i] == 0x5C else { return i }
      i += 2  // a backslash: the byte after it is escaped
    }
    return close
  }

  /// Finds the `batch` array of a top-level object without trusting the rest of the line
  /// to be valid JSON: the offsets of its `[` and matching `]`, or nil when the line is not
  /// shaped like `{…,"batch":[…],…}` with balanced strings and brackets.
  static func locate(_ line: UnsafeRawBufferPointer) -> (open: Int, close: Int)? {
    guard let b = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
    let n = line.count
    var i = skipSpace(b, 0, n)
    guard i < n, b[i] == 0x7B else { return nil }
    i = skipSpace(b, i + 1, n)
    while i < n, b[i] == 0x22 {
      guard let keyEnd = stringEnd(b, i, n) else { return nil }
      let isBatch =
        keyEnd - i == 6 && b[i + 1] == 0x62 && b[i + 2] == 0x61 && b[i + 3] == 0x74
        && b[i + 4] == 0x63 && b[i + 5] == 0x68  // "batch"
      i = skipSpace(b, keyEnd + 1, n)
      guard i < n, b[i] == 0x3A else { return nil }
      i = skipSpace(b, i + 1, n)
      guard i < n, let valueEnd = valueEnd(b, i, n) else { return nil }
      if isBatch && b[i] == 0x5B { return (i, valueEnd - 1) }
      i = skipSpace(b, valueEnd, n)
      guard i < n, b[i] == 0x2C else { return nil }
      i = skipSpace(b, i + 1, n)
    }
    return nil
  }

  /// The offset of the closing quote of the string that opens at `i`.
  private static func stringEnd(_ b: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int? {
    var j = i + 1
    while j < n {
      if b[j] == 0x5C {
        j += 2
        continue
      }
      if b[j] == 0x22 { return j }
      j += 1
    }
    return nil
  }

  /// The offset just past the value that starts at `i` (containers balanced, strings closed).
  private static func valueEnd(_ b: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int? {
    if b[i] == 0x22 { return stringEnd(b, i, n).map { $0 + 1 } }
    var j = i
    var depth = 0
    while j < n {
      let c = b[j]
      if c == 0x22 {
        guard let end = stringEnd(b, j, n) else { return nil }
        j = end
      } else if c == 0x5B || c == 0x7B {
        depth += 1
      } else if c == 0x5D || c == 0x7D {
        if depth == 0 { return j }  // the end of a scalar, at its object's brace
        depth -= 1
        if depth == 0 { return j + 1 }
      } else if c == 0x2C && depth == 0 {
        return j
      }
      j += 1
    }
    return depth == 0 ? j : nil
  }

  @inline(__always)
  private static func skipSpace(_ b: UnsafePointer<UInt8>, _ from: Int, _ n: Int) -> Int {
    var i = from
    while i < n, isSpace(b[i]) { i += 1 }
    return i
  }

  @inline(__always)
  static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }
}
