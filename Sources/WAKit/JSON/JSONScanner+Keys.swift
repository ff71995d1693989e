#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Keys of `JSONScanner`: duplicate detection, field slots, and paths for messages.
extension JSONScanner {
  /// Objects up to this many keys are checked for duplicates by comparing each new key with
  /// the earlier ones; larger ones are checked once, by sorting, when they close, so an
  /// object with 100,000 keys costs n log n, not n².
  static let linearKeyLimit = 16

  /// Records a plain key that names a field, the first time in its object, and returns
  /// its slot; -1 for every other key, which `pushKey` must then take. The common case,
  /// kept small enough to be inlined in `scan`.
  @inline(__always)
  func pushFieldKey(start: Int, end: Int, depth: Int) -> Int {
    guard keyCount < keyCapacity else { return -1 }
    let slot = FieldNames.slot(line + start, end - start, scope: frames[depth].scope)
    guard slot >= 0 else { return -1 }
    let bit: UInt64 = 1 << UInt64(slot)
    guard frames[depth].seenSlots & bit == 0 else { return -1 }
    frames[depth].seenSlots |= bit
    keys[keyCount] = KeyEntry(
      start: Int32(offset: start), count: Int32(offset: end - start), inArena: false,
      hasSlot: true, quote: Int32(offset: start - 1))
    keyCount += 1
    return slot
  }

  /// Records a key of the object at `depth`; returns its field slot (-1 for none), or nil
  /// with `error` set when the key repeats one already seen in this object.
  ///
  /// A key with a field slot is checked against the object's bit set of slots seen (names
  /// map to slots one to one within an object); only other keys are compared byte by byte,
  /// and only with the earlier keys that have no slot either.
  /// (`pushFieldKey` takes the common case first; this one is kept out of line.)
  @inline(never)
  func pushKey(start: Int, end: Int, escaped: Bool, depth: Int) -> Int? {
    var entry = KeyEntry(
      start: Int32(offset: start), count: Int32(offset: end - start), inArena: false,
      quote: Int32(offset: start - 1))
    if escaped { entry = decodeKeyIntoArena(start: start, end: end) }
    let ptr = keyPointer(entry)
    let n = Int(entry.count)
    let slot = FieldNames.slot(ptr, n, scope: frames[depth].scope)
    if slot >= 0 {
      let bit: UInt64 = 1 << UInt64(slot)
      if frames[depth].seenSlots & bit != 0 { return repeated(entry, at: start, depth: depth) }
      frames[depth].seenSlots |= bit
    } else {
      let base = frames[depth].keyBase
      if keyCount - base < Self.linearKeyLimit {
        var k = base
        while k < keyCount {
          let other = keys[k]
          if !other.hasSlot && other.count == entry.count
            && memcmp(keyPointer(other), ptr, n) == 0
          {
            return repeated(entry, at: start, depth: depth)
          }
          k += 1
        }
      }
    }
    entry.hasSlot = slot >= 0
    appendKey(entry)
    return slot
  }

  /// Reports `entry` as a repeated key (kept as the object's newest key, for the path).
  private func repeated(_ entry: KeyEntry, at start: Int, depth: Int) -> Int? {
    appendKey(entry)
    _ = fail(.duplicateKey, start - 1, "duplicate key", depth: depth)
    return nil
  }

  @inline(__always)
  private func appendKey(_ entry: KeyEntry) {
    if keyCount == keyCapacity { growKeys() }
    keys[keyCount] = entry
    keyCount += 1
  }

  private func growKeys() {
    let bigger = UnsafeMutablePointer<KeyEntry>.allocate(capacity: keyCapacity * 2)
    bigger.moveInitialize(from: keys, count: keyCount)
    keys.deallocate()
    keys = bigger
    keyCapacity *= 2
  }

  @inline(__always)
  func keyPointer(_ e: KeyEntry) -> UnsafePointer<UInt8> {
    e.inArena ? UnsafePointer(arena + Int(e.start)) : line + Int(e.start)
  }

  private func decodeKeyIntoArena(start: Int, end: Int) -> KeyEntry {
    let need = arenaUsed + (end - start)
    if need > arenaCapacity {
      let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(need, arenaCapacity * 2))
      bigger.update(from: arena, count: arenaUsed)
      arena.deallocate()
      arena = bigger
      arenaCapacity = max(need, arenaCapacity * 2)
    }
    let n = JSONString.decode(line + start, count: end - start, into: arena + arenaUsed)
    let entry = KeyEntry(
      start: Int32(offset: arenaUsed), count: Int32(offset: n), inArena: true,
      quote: Int32(offset: start - 1))
    arenaUsed += n
    return entry
  }

  /// The duplicate check for objects too large for the linear one.
  func checkLargeObject(depth: Int) -> Bool {
    let base = frames[depth].keyBase
    let count = keyCount - base
    guard count > Self.linearKeyLimit else { return true }
    var order = Array(base..<keyCount)
    order.sort { a, b in compareKeys(keys[a], keys[b]) < 0 }
    for k in 1..<order.count where compareKeys(keys[order[k - 1]], keys[order[k]]) == 0 {
      // Report the later of the two (the one that repeats), as the linear check does: point
      // the path at it and give the offset of its opening quote.
      let repeated = keys[max(order[k - 1], order[k])]
      keys[keyCount - 1] = repeated
      _ = fail(.duplicateKey, Int(repeated.quote), "duplicate key", depth: depth)
      return false
    }
    return true
  }

  private func compareKeys(_ a: KeyEntry, _ b: KeyEntry) -> Int32 {
    let common = Int(min(a.count, b.count))
    let c = memcmp(keyPointer(a), keyPointer(b), common)
    if c != 0 { return c }
    return a.count - b.count
  }

  /// The JSON path of the value being read at `depth`: keys joined by `.`, array elements
  /// as `[i]` (`properties.items[2].id`). Built only when reporting a problem.
  func currentPath(depth: Int) -> String {
    var path = ""
    guard depth > 0 else { return path }
    for d in 1...depth {
      let frame = frames[d]
      if frame.isArray {
        path += "[\(frame.index)]"
        continue
      }
      // The newest key of this object is the last one pushed before the next frame's keys.
      let end = d < depth ? frames[d + 1].keyBase : keyCount
      guard end > frame.keyBase else { continue }
      let key = keys[end - 1]
      if !path.isEmpty { path += "." }
      path += String(
        decoding: UnsafeBufferPointer(start: keyPointer(key), count: Int(key.count)),
        as: UTF8.self)
    }
    return path
  }
}

extension Int32 {
  /// An offset into a scanned line. `JSONScanner.scan` refuses lines of `Int32.max` bytes or
  /// more, so the conversion needs no overflow check (one less branch per token).
  @inline(__always)
  init(offset: Int) { self.init(truncatingIfNeeded: offset) }
}
