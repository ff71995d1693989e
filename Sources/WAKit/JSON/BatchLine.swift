import CStage1

/// The batch fast path: a batch line recognised by how it opens, `{"batch":[` (whitespace
/// allowed between those tokens), so that its elements are scanned once each, as lines of
/// their own, and the line is never scanned whole.
///
/// Scanning a batch line whole (the general path: it is an object holding an array) and
/// then each element on its own cost a batched event about twice an event on its own line.
/// Here one structural walk over stage 1's masks (strings skipped, brackets counted, the
/// commas at the array's level noted) finds the array's closing bracket, exactly as
/// `BatchElements.locate` does; what stands around the array is checked by scanning the
/// *skeleton*, the line with an empty array in place of the batch's. When both hold, the
/// line is a batch with these brackets whatever its elements hold — with sound elements the
/// whole line is valid JSON; with a broken one the scanner's first error lies inside the
/// array, and the elements are checked one by one all the same (SPEC §2 "Batches", the
/// decision in docs/producers.md) — so nothing is emitted before that is known. Any other
/// line (not opening so, unbalanced, a skeleton that is not sound) goes the general way,
/// which then decides as it always did.
///
/// Used by one thread; its buffers are allocated once and grow only for a longer skeleton.
final class BatchLine {
  /// Commas noted per line (16 KiB); a longer batch walks its remaining elements with
  /// `BatchElements`, so memory stays bounded whatever the batch's length.
  static let commaCapacity = 4096

  /// The offsets of the array's brackets, after `recognise` returned true.
  @exclusivity(unchecked) private(set) var open = 0
  @exclusivity(unchecked) private(set) var close = 0
  /// The commas at the array's level, in order (the first `commaCount` of them).
  let commas: UnsafeMutablePointer<Int32>
  @exclusivity(unchecked) private(set) var commaCount = 0
  /// Whether the array has more commas than were noted.
  @exclusivity(unchecked) private(set) var moreCommas = false
  /// The skeleton of the last line that needed one (`skeleton(of:)`).
  @exclusivity(unchecked) private var skeletonBytes: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) private var skeletonCapacity = 256
  /// Stage 1's masks of the batch line being walked.
  @exclusivity(unchecked) private var bits: UnsafeMutablePointer<UInt64>
  @exclusivity(unchecked) private var bitsCapacity = 1024

  init() {
    commas = .allocate(capacity: Self.commaCapacity)
    skeletonBytes = .allocate(capacity: skeletonCapacity)
    bits = .allocate(capacity: bitsCapacity)
  }

  deinit {
    commas.deallocate()
    skeletonBytes.deallocate()
    bits.deallocate()
  }

  /// Whether the line may open as a batch: false, at the cost of three byte compares, for
  /// the compact object lines that events are (`{"` then any key but one starting with `b`).
  @inline(__always)
  static func mayOpen(_ bytes: UnsafeRawBufferPointer) -> Bool {
    bytes.count >= 12 && (bytes[0] != 0x7B || bytes[1] != 0x22 || bytes[2] == 0x62)
  }

  /// Whether `bytes` opens as `{"batch":[` and the array's brackets and strings balance:
  /// then `open`, `close` and the commas describe the array. Only the array is walked: on
  /// stage 1's structure masks when the line has no backslash (`structure: false` walks
  /// every line the other way, for tests and the fuzz target), else string by string.
  func recognise(_ bytes: UnsafeRawBufferPointer, structure: Bool = true) -> Bool {
    guard let b = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
    let n = bytes.count
    var i = Self.skipSpace(b, 0, n)
    guard i < n, b[i] == 0x7B else { return false }
    i = Self.skipSpace(b, i + 1, n)
    // "batch", without escapes (a key spelled with them goes the general way).
    guard i + 7 <= n, b[i] == 0x22, b[i + 1] == 0x62, b[i + 2] == 0x61, b[i + 3] == 0x74,
      b[i + 4] == 0x63, b[i + 5] == 0x68, b[i + 6] == 0x22
    else { return false }
    i = Self.skipSpace(b, i + 7, n)
    guard i < n, b[i] == 0x3A else { return false }
    i = Self.skipSpace(b, i + 1, n)
    guard i < n, b[i] == 0x5B else { return false }
    open = i
    commaCount = 0
    moreCommas = false
    let words = Stage1.wordCount(n)
    if 3 &* words > bitsCapacity { growBits(3 &* words) }
    if structure && wa_stage1_structure(b, n, bits) == 0 { return walkStructure(b, n) }
    // The walk of `locate`'s `valueEnd` from the `[`: brackets of either kind counted alike,
    // strings skipped (a backslash escapes the next byte), the array closed where the depth
    // comes back to 0. Stage 1's masks (quotes, backslashes, control and non-ASCII bytes, 64
    // at a time) find where each string ends, and where the next one starts: only the few
    // bytes between strings are read one by one.
    Stage1.classify(b, n, into: bits)
    let bits = UnsafePointer(self.bits)
    var depth = 1
    i += 1
    while true {
      // Between strings: brackets and commas up to the next flagged byte.
      let flagged = Stage1.next(bits, i)
      while i < flagged {
        let c = b[i]
        if c == 0x3A {  // ':' is most of what stands between strings
        } else if c == 0x2C {
          if depth == 1 {
            if commaCount < Self.commaCapacity {
              commas[commaCount] = Int32(truncatingIfNeeded: i)
              commaCount += 1
            } else {
              moreCommas = true
            }
          }
        } else if c == 0x5B || c == 0x7B {
          depth += 1
        } else if c == 0x5D || c == 0x7D {
          depth -= 1
          if depth == 0 {
            close = i
            return true
          }
        }
        i += 1
      }
      guard flagged < n else { return false }  // the array is not closed
      if b[flagged] != 0x22 {
        // A backslash, control or non-ASCII byte outside a string: no bracket, no comma.
        i = flagged + 1
        continue
      }
      // A string: its closing quote is the first flagged quote not escaped.
      var j = Stage1.next(bits, flagged + 1)
      while j < n && b[j] != 0x22 {
        if b[j] == 0x5C {
          guard j + 2 <= n else { return false }
          j = Stage1.next(bits, j + 2)
        } else {
          j = Stage1.next(bits, j + 1)
        }
      }
      guard j < n else { return false }  // a string left open
      i = j + 1
    }
  }

  /// The same walk on the structure masks of a line without backslashes (its quotes, its
  /// brackets and braces, its commas, from `wa_stage1_structure`): with no escape, a string
  /// runs from a quote to the next one, so a prefix XOR of the quote bits marks what lies
  /// inside strings. Only the brackets and braces outside strings are visited, a trailing
  /// zero count each; the commas between two of them are taken as one mask when the depth
  /// there is the array's, and skipped unread otherwise (an event's own commas, a score of
  /// them, cost nothing). The walk starts at the `[`, outside any string (what precedes it
  /// is `{"batch":` and whitespace).
  @inline(__always)
  private func walkStructure(_ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    let words = UnsafePointer(bits)
    let blocks = Stage1.wordCount(n)
    var block = open &>> 6
    let from: UInt64 = ~0 &<< UInt64(truncatingIfNeeded: open & 63)
    var quotes = words[3 &* block] & from
    var brackets = words[3 &* block &+ 1] & from
    var commas = words[3 &* block &+ 2] & from
    // All ones while a string is open at the start of the block.
    var carry: UInt64 = 0
    var depth = 0
    while true {
      var x = quotes
      x ^= x &<< 1
      x ^= x &<< 2
      x ^= x &<< 4
      x ^= x &<< 8
      x ^= x &<< 16
      x ^= x &<< 32
      let inside = x ^ carry
      carry = UInt64(bitPattern: Int64(bitPattern: inside) &>> 63)
      brackets &= ~inside
      commas &= ~inside
      while brackets != 0 {
        let below = (brackets & (0 &- brackets)) &- 1
        if depth == 1 { noteCommas(commas & below, block) }
        commas &= ~below
        let at = block &<< 6 | brackets.trailingZeroBitCount
        brackets &= brackets &- 1
        // `[` and `{` are 0x7B with bit 5 set, `]` and `}` 0x7D.
        if b[at] | 0x20 == 0x7B {
          depth &+= 1
        } else {
          depth &-= 1
          if depth == 0 {
            close = at
            return true
          }
        }
      }
      if depth == 1 { noteCommas(commas, block) }
      block &+= 1
      guard block < blocks else { return false }  // the array is not closed
      quotes = words[3 &* block]
      brackets = words[3 &* block &+ 1]
      commas = words[3 &* block &+ 2]
    }
  }

  /// Notes the commas of `mask` (bits of `block`), in order, as far as there is room.
  @inline(__always)
  private func noteCommas(_ mask: UInt64, _ block: Int) {
    var m = mask
    while m != 0 {
      if commaCount < Self.commaCapacity {
        commas[commaCount] = Int32(truncatingIfNeeded: block &<< 6 | m.trailingZeroBitCount)
        commaCount &+= 1
      } else {
        moreCommas = true
      }
      m &= m &- 1
    }
  }

  /// Room for the masks of a longer batch line than any before (never per line).
  @inline(never)
  private func growBits(_ words: Int) {
    bits.deallocate()
    bitsCapacity = max(words, bitsCapacity * 2)
    bits = .allocate(capacity: bitsCapacity)
  }

  /// The skeleton of the line `recognise` accepted: its bytes up to the array's `[` and from
  /// its `]` on, which the scanner must accept as an object with a `batch` array for the line
  /// to be a batch. Nil when what follows the array is only `}` (whitespace around it
  /// allowed): that skeleton is `{"batch":[]}`, sound without scanning it.
  func skeleton(of bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
    let b = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
    let n = bytes.count
    // (The walk closes the array on either bracket: a `}` there is a broken line, which the
    // scan of the skeleton refuses.)
    if b[close] == 0x5D && Self.plainEnvelopeEnd(b, close + 1, n) { return nil }
    let head = open + 1
    let count = head + (n - close)
    if count > skeletonCapacity {
      skeletonBytes.deallocate()
      skeletonCapacity = max(count, skeletonCapacity * 2)
      skeletonBytes = .allocate(capacity: skeletonCapacity)
    }
    skeletonBytes.update(from: b, count: head)
    (skeletonBytes + head).update(from: b + close, count: n - close)
    return UnsafeRawBufferPointer(start: skeletonBytes, count: count)
  }

  /// The elements of the array `recognise` found, in order, as `BatchElements` splits them.
  func elements(of bytes: UnsafeRawBufferPointer) -> Elements {
    Elements(
      base: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), commas: UnsafePointer(commas),
      count: commaCount, open: open, close: close, moreCommas: moreCommas)
  }

  /// The elements of a batch's array as byte ranges of the line (whitespace around them left
  /// out): between the noted commas first, then, past the last one, the remainder.
  struct Elements {
    let base: UnsafePointer<UInt8>
    let commas: UnsafePointer<Int32>?
    let count: Int
    let close: Int
    var index = 0
    /// Where the next segment starts (just after `[` or a comma).
    var start: Int
    /// The walk of the elements past the noted commas (a batch with more of them), or of the
    /// whole array (`init(_:)`).
    var rest: BatchElements?
    var finished = false

    init(
      base: UnsafePointer<UInt8>, commas: UnsafePointer<Int32>?, count: Int, open: Int,
      close: Int, moreCommas: Bool
    ) {
      self.base = base
      self.commas = commas
      self.count = count
      self.close = close
      start = open + 1
      if moreCommas {
        let last = Int(commas![count - 1])
        var walk = BatchElements(
          UnsafeRawBufferPointer(start: base, count: close + 1), open: last, close: close)
        walk.afterComma = true
        rest = walk
      }
    }

    /// All of an array's elements by `BatchElements` alone (the general path's batches).
    init(_ walk: BatchElements) {
      base = walk.base
      commas = nil
      count = 0
      close = walk.close
      start = walk.position
      rest = walk
    }

    @inline(__always)
    mutating func next() -> Range<Int>? {
      if index < count {
        let end = Int(commas![index])
        index += 1
        defer { start = end + 1 }
        return trimmed(start, end)
      }
      if rest != nil { return rest!.next() }
      if finished { return nil }
      finished = true
      let r = trimmed(start, close)
      // An array with no comma and nothing in it has no element; after a comma an empty
      // segment is an (empty) element, as in `[1,]`.
      return r.isEmpty && count == 0 ? nil : r
    }

    @inline(__always)
    private func trimmed(_ from: Int, _ to: Int) -> Range<Int> {
      var s = from
      while s < to, BatchElements.isSpace(base[s]) { s += 1 }
      var e = to
      while e > s, BatchElements.isSpace(base[e - 1]) { e -= 1 }
      return s..<e
    }
  }

  /// Whether the line ends, from `i` on, as `}` or as one plain member then `}`: what
  /// collectors write after the array (`,"sentAt":"2026-…"}`), sound as it stands when the
  /// key is not `batch` and both strings are plain (whitespace allowed between tokens).
  private static func plainEnvelopeEnd(_ b: UnsafePointer<UInt8>, _ from: Int, _ n: Int) -> Bool {
    var i = skipSpace(b, from, n)
    if i < n && b[i] == 0x2C {
      guard let key = plainString(b, skipSpace(b, i + 1, n), n),
        !(key.count == 7 && b[key.lowerBound + 1] == 0x62 && b[key.lowerBound + 2] == 0x61
          && b[key.lowerBound + 3] == 0x74 && b[key.lowerBound + 4] == 0x63
          && b[key.lowerBound + 5] == 0x68)
      else { return false }
      i = skipSpace(b, key.upperBound, n)
      guard i < n && b[i] == 0x3A, let value = plainString(b, skipSpace(b, i + 1, n), n) else {
        return false
      }
      i = skipSpace(b, value.upperBound, n)
    }
    guard i < n && b[i] == 0x7D else { return false }
    return skipSpace(b, i + 1, n) == n
  }

  /// The bytes of the string that opens at `i`, quotes included, when it holds only
  /// printable ASCII other than `"` and `\` (valid JSON as it stands); nil otherwise.
  private static func plainString(_ b: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Range<Int>? {
    guard i < n, b[i] == 0x22 else { return nil }
    var k = i + 1
    while k < n, b[k] >= 0x20, b[k] < 0x7F, b[k] != 0x22, b[k] != 0x5C { k += 1 }
    guard k < n, b[k] == 0x22 else { return nil }
    return i..<(k + 1)
  }

  @inline(__always)
  private static func skipSpace(_ b: UnsafePointer<UInt8>, _ from: Int, _ n: Int) -> Int {
    var i = from
    while i < n, BatchElements.isSpace(b[i]) { i += 1 }
    return i
  }
}
