/// A reused buffer that escaped strings are decoded into (rare: most strings are read where
/// they stand in the line). One per reader: the validator has one, and the aggregator its
/// own, so the fold needs nothing of the validator's (which, with two threads, is busy with
/// later lines).
final class DecodeScratch {
  @exclusivity(unchecked) var bytes: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) var capacity = 256

  init() { bytes = .allocate(capacity: capacity) }
  deinit { bytes.deallocate() }

  /// Calls `body` with the decoded bytes of a string value of `line`: the line's own bytes
  /// when it has no escapes, a decoded copy otherwise.
  func withDecoded<T>(
    _ ref: ValueRef, in line: UnsafeRawBufferPointer, _ body: (UnsafePointer<UInt8>, Int) -> T
  ) -> T {
    let base = line.baseAddress!.assumingMemoryBound(to: UInt8.self) + Int(ref.start)
    guard ref.has(ValueRef.hasEscapes) else { return body(base, ref.count) }
    if ref.count > capacity {
      bytes.deallocate()
      capacity = ref.count
      bytes = .allocate(capacity: capacity)
    }
    let n = JSONString.decode(base, count: ref.count, into: bytes)
    return body(UnsafePointer(bytes), n)
  }
}
