#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A strict RFC 8259 validator for one line that also finds the event's fields.
///
/// One left-to-right pass with an explicit container stack (no recursion, so 100,000 nested
/// brackets cost nothing but a `too_deep` error at level 65). While it validates, it notes
/// where the keys of `EventField` are (top level, `properties`, `context`) as `ValueRef`s, so
/// the schema reads fields by slot without a second pass and without building a tree. Strings
/// are checked for UTF-8 and escapes but not decoded; duplicate keys are found in every
/// object, comparing decoded keys only when a key has escapes.
///
/// A scanner is reused for every line: its buffers are allocated once and grow only when a
/// line needs more (never per line). One thread uses it, with no overlapping access, so its
/// mutable properties skip Swift's run-time exclusivity checks.
final class JSONScanner {
  /// The deepest nesting accepted (SPEC §1): the top-level object is depth 1.
  static let maxDepth = 64

  /// The problem found by the last `scan`, if it returned false.
  @exclusivity(unchecked) var error: JSONError?
  /// The kind of the top-level value of the last successful `scan`.
  @exclusivity(unchecked) var rootKind: JSONKind = .absent
  /// Whether the last `scan` was settled by the fast path (see JSONScanner+Fast.swift).
  @exclusivity(unchecked) var tookFastPath = false

  let fields: UnsafeMutablePointer<ValueRef>
  /// Per depth 1...maxDepth: what the open container is (see `Frame`).
  let frames: UnsafeMutablePointer<Frame>
  /// Keys of the objects still open, innermost last (for duplicate detection and paths).
  @exclusivity(unchecked) var keys: UnsafeMutablePointer<KeyEntry>
  @exclusivity(unchecked) var keyCapacity: Int
  @exclusivity(unchecked) var keyCount = 0
  /// Decoded copies of keys that contain escapes.
  @exclusivity(unchecked) var arena: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) var arenaCapacity: Int
  @exclusivity(unchecked) var arenaUsed = 0
  /// The line being scanned (valid only during `scan`).
  @exclusivity(unchecked) var line: UnsafePointer<UInt8>
  /// Stage 1's masks of the line being scanned (see Stage1.swift), and whether they are
  /// valid: only during a `scan` that classified its line.
  @exclusivity(unchecked) var stage1Bits: UnsafeMutablePointer<UInt64>
  @exclusivity(unchecked) var stage1Capacity: Int
  @exclusivity(unchecked) var stage1Active = false

  init() {
    fields = .allocate(capacity: EventField.count)
    fields.initialize(repeating: .absent, count: EventField.count)
    frames = .allocate(capacity: Self.maxDepth + 2)
    frames.initialize(repeating: Frame(), count: Self.maxDepth + 2)
    keyCapacity = 256
    keys = .allocate(capacity: keyCapacity)
    arenaCapacity = 1024
    arena = .allocate(capacity: arenaCapacity)
    line = UnsafePointer(arena)
    stage1Capacity = 64
    stage1Bits = .allocate(capacity: stage1Capacity)
  }

  deinit {
    fields.deallocate()
    frames.deallocate()
    keys.deallocate()
    arena.deallocate()
    stage1Bits.deallocate()
  }

  /// The value recorded for `field` by the last scan.
  @inline(__always)
  subscript(field: EventField) -> ValueRef { fields[field.rawValue] }

  /// An open object or array.
  struct Frame {
    var isArray = false
    /// Names of which table apply to this object's keys.
    var scope = FieldScope.none
    /// The field slot this container is the value of, or -1.
    var slot = -1
    /// Index in `keys` of this object's first key.
    var keyBase = 0
    /// Index of the current element (arrays), for paths.
    var index = 0
    /// Field slots whose keys this object has had (bit `1 << slot`), for duplicates.
    var seenSlots: UInt64 = 0
  }

  /// A key of an open object: bytes in the line, or (after decoding escapes) in the arena.
  struct KeyEntry {
    var start: Int32 = 0
    var count: Int32 = 0
    var inArena = false
    /// Whether the key names a field slot (then `Frame.seenSlots` finds its duplicates).
    var hasSlot = false
    /// Offset in the line of the key's opening quote, for error reports (`start` is not
    /// one when the key is in the arena).
    var quote: Int32 = 0
  }

  private enum State { case value, key, afterValue }

  /// Scans one line. Returns true when it is one valid JSON value (of any kind: check
  /// `rootKind`); false with `error` set otherwise.
  @inline(__always)
  func scan(_ bytes: UnsafeRawBufferPointer) -> Bool { scan(bytes, fastPath: true) }

  /// `scan`, or with `fastPath: false` the general path alone, and with `stage1: false`
  /// strings scanned eight bytes at a time instead of through stage 1's masks (tests and
  /// the fuzz target compare them).
  func scan(_ bytes: UnsafeRawBufferPointer, fastPath: Bool, stage1: Bool = true) -> Bool {
    tookFastPath = false
    // Whole slots, not just kinds: a stale flag (isTrue) must not survive an absent field.
    // `.absent` is all zero bits: one memset instead of a loop of stores.
    memset(fields, 0, EventField.count * MemoryLayout<ValueRef>.stride)
    error = nil
    rootKind = .absent
    keyCount = 0
    arenaUsed = 0
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0
    else { return fail(.invalidJSON, 0, "empty document", depth: 0) }
    // Offsets are kept as Int32 (see `Int32(offset:)`); the tools' line limit is far below.
    guard bytes.count < Int(Int32.max) else {
      return fail(.invalidJSON, 0, "document longer than \(Int32.max - 1) bytes", depth: 0)
    }
    line = base
    let p = base
    let n = bytes.count
    if stage1 {
      let words = Stage1.wordCount(n)
      if words > stage1Capacity { growStage1(words) }
      Stage1.classify(p, n, into: stage1Bits)
      stage1Active = true
    }
    defer { stage1Active = false }
    if fastPath && scanFast(p, n) {
      tookFastPath = true
      return true
    }
    // The general path, from a clean start.
    memset(fields, 0, EventField.count * MemoryLayout<ValueRef>.stride)
    error = nil
    keyCount = 0
    var i = skipSpace(p, 0, n)
    var depth = 0
    var pendingSlot = -1
    var state = State.value

    while true {
      switch state {
      case .value:
        guard i < n else { return fail(.invalidJSON, i, "unexpected end of line", depth: depth) }
        let c = p[i]
        if depth == 0 { rootKind = Self.kindOf(firstByte: c) }
        if c == 0x7B || c == 0x5B {  // { [
          guard depth < Self.maxDepth else {
            return fail(.tooDeep, i, "nested deeper than \(Self.maxDepth)", depth: depth)
          }
          depth += 1
          let isArray = c == 0x5B
          var frame = Frame()
          frame.isArray = isArray
          frame.slot = pendingSlot
          frame.keyBase = keyCount
          if !isArray {
            if depth == 1 {
              frame.scope = .top
            } else if pendingSlot >= 0 {
              // A slot is only ever found in a scoped object, so this follows the scopes down.
              frame.scope = FieldNames.childScope(ofSlot: pendingSlot)
            }
          }
          frames[depth] = frame
          if pendingSlot >= 0 {
            fields[pendingSlot] = ValueRef(
              kind: isArray ? .array : .object, flags: 0, start: Int32(offset: i),
              end: Int32(offset: i))
          }
          pendingSlot = -1
          i = skipSpace(p, i + 1, n)
          if i < n && p[i] == (isArray ? 0x5D : 0x7D) {
            closeContainer(depth: depth, at: i, empty: true)
            depth -= 1
            i += 1
            state = .afterValue
          } else {
            state = isArray ? .value : .key
          }
          continue
        }
        var ref = ValueRef(kind: .absent, flags: 0, start: Int32(offset: i), end: 0)
        switch c {
        case 0x22:  // "
          var escaped = false
          let close = scanString(p, i + 1, n, &escaped, depth: depth)
          if close < 0 { return false }
          ref = ValueRef(
            kind: .string, flags: escaped ? ValueRef.hasEscapes : 0, start: Int32(offset: i + 1),
            end: Int32(offset: close))
          i = close + 1
        case 0x2D, 0x30...0x39:  // - 0-9
          var flags: UInt8 = 0
          let end = scanNumber(p, i, n, &flags, depth: depth)
          if end < 0 { return false }
          ref = ValueRef(
            kind: .number, flags: flags, start: Int32(offset: i), end: Int32(offset: end))
          i = end
        case 0x74:  // t
          guard literal(p, i, n, "true") else { return badLiteral(p, i, n, depth) }
          ref = ValueRef(
            kind: .bool, flags: ValueRef.isTrue, start: Int32(offset: i), end: Int32(offset: i + 4))
          i += 4
        case 0x66:  // f
          guard literal(p, i, n, "false") else { return badLiteral(p, i, n, depth) }
          ref = ValueRef(kind: .bool, flags: 0, start: Int32(offset: i), end: Int32(offset: i + 5))
          i += 5
        case 0x6E:  // n
          guard literal(p, i, n, "null") else { return badLiteral(p, i, n, depth) }
          ref = ValueRef(kind: .null, flags: 0, start: Int32(offset: i), end: Int32(offset: i + 4))
          i += 4
        default:
          return unexpected(p, i, n, "expected a value", depth: depth)
        }
        if pendingSlot >= 0 {
          fields[pendingSlot] = ref
          pendingSlot = -1
        }
        state = .afterValue

      case .key:
        guard i < n, p[i] == 0x22 else {
          return unexpected(p, i, n, "expected a string key", depth: depth)
        }
        var escaped = false
        let close = scanString(p, i + 1, n, &escaped, depth: depth)
        if close < 0 { return false }
        pendingSlot = escaped ? -1 : pushFieldKey(start: i + 1, end: close, depth: depth)
        if pendingSlot < 0 {
          guard let slot = pushKey(start: i + 1, end: close, escaped: escaped, depth: depth)
          else { return false }
          pendingSlot = slot
        }
        i = skipSpace(p, close + 1, n)
        guard i < n, p[i] == 0x3A else {  // :
          return unexpected(p, i, n, "expected ':' after the key", depth: depth)
        }
        i = skipSpace(p, i + 1, n)
        state = .value

      case .afterValue:
        i = skipSpace(p, i, n)
        if depth == 0 {
          guard i == n else {
            return unexpected(p, i, n, "unexpected data after the value", depth: 0)
          }
          return true
        }
        guard i < n else { return fail(.invalidJSON, i, "unexpected end of line", depth: depth) }
        let c = p[i]
        if frames[depth].isArray {
          if c == 0x2C {  // ,
            frames[depth].index += 1
            i = skipSpace(p, i + 1, n)
            state = .value
          } else if c == 0x5D {  // ]
            closeContainer(depth: depth, at: i, empty: false)
            depth -= 1
            i += 1
          } else {
            return unexpected(p, i, n, "expected ',' or ']'", depth: depth)
          }
        } else {
          if c == 0x2C {
            i = skipSpace(p, i + 1, n)
            state = .key
          } else if c == 0x7D {  // }
            if keyCount - frames[depth].keyBase > Self.linearKeyLimit {
              guard checkLargeObject(depth: depth) else { return false }
            }
            closeContainer(depth: depth, at: i, empty: false)
            keyCount = frames[depth].keyBase
            depth -= 1
            i += 1
          } else {
            return unexpected(p, i, n, "expected ',' or '}'", depth: depth)
          }
        }
      }
    }
  }

  /// Room for the masks of a longer line than any before (never per line).
  @inline(never)
  private func growStage1(_ words: Int) {
    stage1Bits.deallocate()
    stage1Capacity = max(words, stage1Capacity * 2)
    stage1Bits = .allocate(capacity: stage1Capacity)
  }

  @inline(__always)
  private func closeContainer(depth: Int, at i: Int, empty: Bool) {
    let slot = frames[depth].slot
    if slot >= 0 {
      fields[slot].end = Int32(offset: i)
      if empty { fields[slot].flags |= ValueRef.isEmpty }
    }
  }

  @inline(__always)
  func skipSpace(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int) -> Int {
    // Compact JSON has no whitespace between tokens: one compare settles it.
    if from < n && p[from] > 0x20 { return from }
    var i = from
    while i < n {
      let c = p[i]
      if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { break }
    }
    return i
  }

  @inline(__always)
  func literal(
    _ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, _ word: StaticString
  ) -> Bool {
    let len = word.utf8CodeUnitCount
    return i + len <= n && memcmp(p + i, word.utf8Start, len) == 0
  }

  private func badLiteral(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, _ depth: Int) -> Bool {
    unexpected(p, i, n, "invalid literal (expected true, false or null)", depth: depth)
  }

  private static func kindOf(firstByte c: UInt8) -> JSONKind {
    switch c {
    case 0x7B: return .object
    case 0x5B: return .array
    case 0x22: return .string
    case 0x74, 0x66: return .bool
    case 0x6E: return .null
    default: return .number
    }
  }
}
