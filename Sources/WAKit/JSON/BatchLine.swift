/// The batch fast path: a batch line recognised by how it opens, `{"batch":[` (whitespace
/// allowed between those tokens), so that its elements are scanned once each, as lines of
/// their own, and the line is never scanned whole.
///
/// Scanning a batch line whole (the general path: it is an object holding an array) and
/// then each element on its own cost a batched event about twice an event on its own line.
/// Here one structural walk (strings skipped eight bytes at a time, brackets counted, the
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

  init() {
    commas = .allocate(capacity: Self.commaCapacity)
    skeletonBytes = .allocate(capacity: skeletonCapacity)
  }

  deinit {
    commas.deallocate()
    skeletonBytes.deallocate()
  }

  /// Whether the line may open as a batch: false, at the cost of three byte compares, for
  /// the compact object lines that events are (`{"` then any key but one starting with `b`).
  @inline(__always)
  static func mayOpen(_ bytes: UnsafeRawBufferPointer) -> Bool {
    bytes.count >= 12 && (bytes[0] != 0x7B || bytes[1] != 0x22 || bytes[2] == 0x62)
  }

  /// Whether `bytes` opens as `{"batch":[` and the array's brackets and strings balance:
  /// then `open`, `close` and the commas describe the array. Only the array is walked.
  func recognise(_ bytes: UnsafeRawBufferPointer) -> Bool {
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
    // The walk of `locate`'s `valueEnd` from the `[`: brackets of either kind counted alike,
    // strings skipped (a backslash escapes the next byte), the array closed where the depth
    // comes back to 0.
    var depth = 1
    i += 1
    while i < n {
      let c = b[i]
      if c == 0x22 {
        i = BatchElements.stringEnd(b, after: i + 1, bound: n)
        guard i < n else { return false }  // a string left open
      } else if c == 0x5B || c == 0x7B {
        depth += 1
      } else if c == 0x5D || c == 0x7D {
        depth -= 1
        if depth == 0 {
          close = i
          return true
        }
      } else if c == 0x2C && depth == 1 {
        if commaCount < Self.commaCapacity {
          commas[commaCount] = Int32(truncatingIfNeeded: i)
          commaCount += 1
        } else {
          moreCommas = true
        }
      }
      i += 1
    }
    return false
  }

  /// The skeleton of the line `recognise` accepted: its bytes up to the array's `[` and from
  /// its `]` on, which the scanner must accept as an object with a `batch` array for the line
  /// to be a batch. Nil when what follows the array is only `}` (whitespace around it
  /// allowed): that skeleton is `{"batch":[]}`, sound without scanning it.
  func skeleton(of bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
    let b = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
    let n = bytes.count
    var i = Self.skipSpace(b, close + 1, n)
    if i < n && b[i] == 0x7D {
      i = Self.skipSpace(b, i + 1, n)
      if i == n { return nil }
    }
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

  @inline(__always)
  private static func skipSpace(_ b: UnsafePointer<UInt8>, _ from: Int, _ n: Int) -> Int {
    var i = from
    while i < n, BatchElements.isSpace(b[i]) { i += 1 }
    return i
  }
}
