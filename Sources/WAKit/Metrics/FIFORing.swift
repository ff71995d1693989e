#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// `malloc` (for nil) or `realloc` of a buffer of `count` plain values, so that the state
/// tables' buffers can grow in place: glibc remaps a large block's pages instead of copying
/// them, and the old and the new block are never both alive. Free the result with `free`.
func reallocated<T: BitwiseCopyable>(
  _ buffer: UnsafeMutablePointer<T>?, count: Int
) -> UnsafeMutablePointer<T> {
  guard let raw = realloc(buffer, count * MemoryLayout<T>.stride) else {
    fatalError("out of memory")
  }
  return raw.bindMemory(to: T.self, capacity: count)
}

/// The eviction order of a `StateTable`: keys with the time they were queued, oldest first,
/// in a ring that grows by doubling (it holds at most one item per entry of the table).
///
/// Not copyable: it owns its two buffers, and a copy would free them a second time.
struct FIFORing: ~Copyable {
  private var keys: UnsafeMutablePointer<UInt64>
  private var times: UnsafeMutablePointer<Int64>
  private var capacity: Int
  private var head = 0
  private(set) var count = 0

  init(capacity: Int) {
    self.capacity = max(16, capacity)
    keys = reallocated(nil, count: self.capacity)
    times = reallocated(nil, count: self.capacity)
  }

  deinit {
    free(keys)
    free(times)
  }

  var front: (key: UInt64, queuedAt: Int64)? {
    count == 0 ? nil : (keys[head], times[head])
  }

  /// The key `offset` places behind the front, when the ring holds that many.
  @inline(__always)
  func key(at offset: Int) -> UInt64? {
    guard offset < count else { return nil }
    let i = head + offset
    return keys[i >= capacity ? i - capacity : i]
  }

  mutating func pop() -> (key: UInt64, queuedAt: Int64)? {
    guard count > 0 else { return nil }
    let item = (keys[head], times[head])
    head += 1
    if head == capacity { head = 0 }
    count -= 1
    return item
  }

  mutating func push(_ key: UInt64, _ time: Int64) {
    if count == capacity { grow() }
    var i = head + count
    if i >= capacity { i -= capacity }
    keys[i] = key
    times[i] = time
    count += 1
  }

  /// Called when full. Doubles both buffers in place (`realloc`: a large one is remapped,
  /// not copied, and never held twice); the items that had wrapped to the start then move
  /// to just after the old end, so that they follow the rest in order.
  private mutating func grow() {
    let old = capacity
    capacity = old * 2
    keys = reallocated(keys, count: capacity)
    times = reallocated(times, count: capacity)
    (keys + old).initialize(from: keys, count: head)
    (times + old).initialize(from: times, count: head)
  }
}

extension FIFORing {
  /// Each item, oldest first.
  func forEach(_ body: (UInt64, Int64) -> Void) {
    var i = head
    for _ in 0..<count {
      body(keys[i], times[i])
      i += 1
      if i == capacity { i = 0 }
    }
  }
}
