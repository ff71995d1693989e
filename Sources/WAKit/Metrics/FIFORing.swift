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
    keys = .allocate(capacity: self.capacity)
    times = .allocate(capacity: self.capacity)
  }

  deinit {
    keys.deallocate()
    times.deallocate()
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

  private mutating func grow() {
    let newCapacity = capacity * 2
    let newKeys = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
    let newTimes = UnsafeMutablePointer<Int64>.allocate(capacity: newCapacity)
    for n in 0..<count {
      let i = (head + n) % capacity
      newKeys[n] = keys[i]
      newTimes[n] = times[i]
    }
    keys.deallocate()
    times.deallocate()
    keys = newKeys
    times = newTimes
    capacity = newCapacity
    head = 0
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
