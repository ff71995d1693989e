import CStage1

/// Stage 1 of the scanner, simdjson-style: a line is classified 64 bytes at a time into a
/// bit mask per block, one bit per byte, set where a string scan must stop and look: a
/// quote, a backslash, a control byte (< 0x20) or a non-ASCII byte (≥ 0x80). The scanner
/// (stage 2) then finds the end of a plain string with a shift and a trailing-zero count
/// instead of reading it eight bytes at a time (`JSONScanner.attention`).
///
/// The masks carry no in-string state: stage 2 walks the line in order and always knows
/// where a string starts, so a string crossing a block boundary just continues in the next
/// word, and a backslash run across blocks is decoded by the scalar escape path, which then
/// resumes the lookup after the escape. The result is bit for bit the one of the eight-byte
/// path: both stop at the first flagged byte at or after the given offset (the fuzz target
/// and `JSONStage1Tests` hold them to it).
///
/// The classification itself is the package's one C file (Sources/CStage1): Swift emits the
/// vector compares (`pcmpeqb`, `pcmpgtb`) but no movemask (`pmovmskb`), and the best Swift
/// form found, a bit transpose of the compare lanes, took about three times the
/// instructions of the C kernel and saved almost nothing (docs/benchmarks.md, "Stage 1").
enum Stage1 {
  /// The number of mask words a line of `n` bytes needs: its blocks and the sentinel bit.
  @inline(__always)
  static func wordCount(_ n: Int) -> Int { n &>> 6 &+ 1 }

  /// Classifies `p[0..<n]` into `bits` (`wordCount(n)` words). Bit `n` is set as well, a
  /// sentinel, so that `next` stops at the end of the line without a bounds check. Nothing
  /// after the line is read.
  @inline(__always)
  static func classify(_ p: UnsafePointer<UInt8>, _ n: Int, into bits: UnsafeMutablePointer<UInt64>)
  {
    wa_stage1_classify(p, n, bits)
  }

  /// The offset of the first flagged byte at or after `from` (≤ n, thanks to the sentinel).
  @inline(__always)
  static func next(_ bits: UnsafePointer<UInt64>, _ from: Int) -> Int {
    var block = from &>> 6
    let word = bits[block] &>> UInt64(truncatingIfNeeded: from & 63)
    if word != 0 { return from &+ word.trailingZeroBitCount }
    while true {
      block &+= 1
      let w = bits[block]
      if w != 0 { return block &<< 6 | w.trailingZeroBitCount }
    }
  }
}
