// State: wa-aggregate's checkpoint (SPEC §9). Every component that holds part of a run's
// state (a metric's partial, a state table, the stream clock) encodes and decodes itself
// with `StateEncoder` / `StateDecoder`, in a section of its own; `StateFile` frames the
// sections with a header and a checksum, and saves and loads files atomically.
//
// The rule for a new metric or table: give it `encode(to:)` and `init(from:)` (or a
// `decode` that fills an existing value), and add one `section` line to
// `Aggregator.encodeSections` and one to `Aggregator.decodeSections`. docs/state.md has the
// format and the versioning rule.

/// Why a state file (or its text form) was refused. Each case has its own message.
enum StateError: Error, Equatable {
  /// Shorter than its header says: a copy or a write cut short.
  case truncated(expected: Int, actual: Int)
  /// Does not start with the magic bytes.
  case notAStateFile
  /// Written in a format version this build does not read.
  case version(found: UInt32)
  /// The checksum over the file does not match.
  case checksum
  /// Well framed but with content no build writes (a bad length, an unknown section).
  case corrupt(String)
  /// Written with options that change the results.
  case optionsDiffer(option: String, file: String, run: String)
  /// A text-form line that is not base64 of a state.
  case badText(line: Int)

  var message: String {
    switch self {
    case .truncated(let expected, let actual):
      return "truncated: the header says \(expected) bytes, the file has \(actual)"
    case .notAStateFile: return "not a wa-aggregate state file (no WASTATE header)"
    case .version(let v):
      let readable = StateFile.oldestReadable...StateFile.formatVersion
      return "format version \(v), this wa-aggregate reads versions \(readable.lowerBound) to "
        + "\(readable.upperBound)"
        + (v > StateFile.formatVersion
          ? " (written by a newer release)"
          : " (an older release's file lacks sections this one needs: start again with"
            + " --state-reset and replay the input)")
    case .checksum: return "corrupt: checksum mismatch"
    case .corrupt(let what): return "corrupt: \(what)"
    case .optionsDiffer(let option, let file, let run):
      return "written with --\(option) \(file), this run has --\(option) \(run)"
    case .badText(let line): return "line \(line) is not a wa-state text line"
    }
  }
}

/// Appends little-endian fixed-width fields to a byte buffer.
struct StateEncoder {
  var bytes: [UInt8] = []

  @inline(__always)
  mutating func u8(_ v: UInt8) { bytes.append(v) }

  @inline(__always)
  mutating func u64(_ v: UInt64) {
    withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
  }

  @inline(__always)
  mutating func u32(_ v: UInt32) {
    withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
  }

  @inline(__always)
  mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }

  @inline(__always)
  mutating func int(_ v: Int) { i64(Int64(v)) }

  @inline(__always)
  mutating func double(_ v: Double) { u64(v.bitPattern) }

  mutating func bool(_ v: Bool) { u8(v ? 1 : 0) }

  mutating func optionalTime(_ v: Int64?) {
    bool(v != nil)
    i64(v ?? 0)
  }

  mutating func string(_ s: String) {
    var s = s
    s.withUTF8 {
      u64(UInt64($0.count))
      bytes.append(contentsOf: $0)
    }
  }

  mutating func optionalString(_ s: String?) {
    bool(s != nil)
    if let s { string(s) }
  }

  /// A section: its 4-letter tag, its length, then what `body` writes.
  mutating func section(_ tag: StaticString, _ body: (inout StateEncoder) -> Void) {
    precondition(tag.utf8CodeUnitCount == 4)
    bytes.append(contentsOf: UnsafeBufferPointer(start: tag.utf8Start, count: 4))
    let lengthAt = bytes.count
    u64(0)
    body(&self)
    let length = UInt64(bytes.count - lengthAt - 8)
    withUnsafeBytes(of: length.littleEndian) { raw in
      for i in 0..<8 { bytes[lengthAt + i] = raw[i] }
    }
  }
}

/// Reads what `StateEncoder` wrote, refusing anything out of range before acting on it:
/// every length is checked against the bytes that remain (and against the component's own
/// bound) before anything is allocated for it, every count and time against what a run can
/// produce, so no input can make the loader allocate without bound, trap, or leave a value
/// that traps later.
struct StateDecoder {
  let bytes: UnsafeRawBufferPointer
  private(set) var position = 0
  /// The format version of the file being read: a part a later version added is read only
  /// from files that have it (see `CountField.since`).
  var version: UInt32

  init(_ bytes: UnsafeRawBufferPointer, version: UInt32 = StateFile.formatVersion) {
    self.bytes = bytes
    self.version = version
  }

  var remaining: Int { bytes.count - position }
  var isAtEnd: Bool { position == bytes.count }

  /// The largest count a state can hold: far beyond any real stream, small enough that
  /// adding to it cannot overflow.
  static let maxCount = 1 << 56

  @inline(__always)
  mutating func take(_ n: Int, _ what: @autoclosure () -> String) throws(StateError)
    -> UnsafeRawBufferPointer
  {
    guard n >= 0, n <= remaining else { throw .corrupt("\(what()) runs past its section") }
    defer { position += n }
    return UnsafeRawBufferPointer(rebasing: bytes[position..<position + n])
  }

  @inline(__always)
  mutating func u8() throws(StateError) -> UInt8 {
    guard remaining >= 1 else { throw .corrupt("a field runs past its section") }
    defer { position += 1 }
    return bytes[position]
  }

  @inline(__always)
  mutating func u64() throws(StateError) -> UInt64 {
    guard remaining >= 8 else { throw .corrupt("a field runs past its section") }
    defer { position += 8 }
    return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
  }

  @inline(__always)
  mutating func u32() throws(StateError) -> UInt32 {
    guard remaining >= 4 else { throw .corrupt("a field runs past its section") }
    defer { position += 4 }
    return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
  }

  @inline(__always)
  mutating func i64() throws(StateError) -> Int64 { Int64(bitPattern: try u64()) }

  mutating func bool() throws(StateError) -> Bool {
    switch try u8() {
    case 0: return false
    case 1: return true
    default: throw .corrupt("a flag is neither 0 nor 1")
    }
  }

  /// A count: 0 ... `maxCount`.
  @inline(__always)
  mutating func count(_ what: @autoclosure () -> String) throws(StateError) -> Int {
    let v = try i64()
    guard v >= 0, v <= Self.maxCount else { throw .corrupt("\(what()) out of range: \(v)") }
    return Int(v)
  }

  /// The number of items that follow, each at least `itemBytes` long, and at most `limit`:
  /// checked before the caller allocates room for them.
  mutating func length(_ what: @autoclosure () -> String, itemBytes: Int, limit: Int)
    throws(StateError) -> Int
  {
    let v = try u64()
    guard v <= UInt64(limit), v <= UInt64(remaining / max(1, itemBytes)) else {
      throw .corrupt("\(what()) claims \(v) entries")
    }
    return Int(v)
  }

  /// An event time (nanoseconds within `EventTime.limit`): differences of two stay in range.
  @inline(__always)
  mutating func time(_ what: @autoclosure () -> String) throws(StateError) -> Int64 {
    let v = try i64()
    guard v.magnitude <= UInt64(EventTime.limit) else {
      throw .corrupt("\(what()) is not a time: \(v)")
    }
    return v
  }

  /// A time or `UserState.none`.
  @inline(__always)
  mutating func timeOrNone(_ what: @autoclosure () -> String) throws(StateError) -> Int64 {
    let v = try i64()
    guard v == UserState.none || v.magnitude <= UInt64(EventTime.limit) else {
      throw .corrupt("\(what()) is not a time: \(v)")
    }
    return v
  }

  mutating func optionalTime(_ what: @autoclosure () -> String) throws(StateError) -> Int64? {
    let present = try bool()
    let v = try time(what())
    return present ? v : nil
  }

  /// A finite double (sums, samples); `allowInfinite` for min/max sentinels.
  mutating func double(_ what: @autoclosure () -> String, allowInfinite: Bool = false)
    throws(StateError) -> Double
  {
    let v = Double(bitPattern: try u64())
    guard !v.isNaN, allowInfinite || v.isFinite else {
      throw .corrupt("\(what()) is not a number")
    }
    return v
  }

  mutating func string(_ what: @autoclosure () -> String, maxBytes: Int = 1 << 20)
    throws(StateError) -> String
  {
    let n = try length(what(), itemBytes: 1, limit: maxBytes)
    return String(decoding: try take(n, what()), as: UTF8.self)
  }

  mutating func optionalString(_ what: @autoclosure () -> String) throws(StateError) -> String? {
    try bool() ? try string(what()) : nil
  }

  /// Every byte must have been read: a section longer than its content is corrupt.
  func end(_ what: String) throws(StateError) {
    guard isAtEnd else { throw .corrupt("\(remaining) unexpected bytes in \(what)") }
  }
}

/// The sections of a file by tag, each decoded at most once; `finish` refuses sections
/// nobody asked for (written by a build with components this one does not know).
struct StateSections {
  private var payloads: [UInt32: UnsafeRawBufferPointer] = [:]
  private var order: [UInt32] = []
  private let version: UInt32

  init(_ decoder: inout StateDecoder) throws(StateError) {
    version = decoder.version
    while !decoder.isAtEnd {
      let tag = try decoder.u32()
      let length = try decoder.u64()
      guard length <= UInt64(decoder.remaining) else {
        throw .corrupt("section \(Self.name(tag)) runs past the end")
      }
      let payload = try decoder.take(Int(length), "section")
      guard payloads.updateValue(payload, forKey: tag) == nil else {
        throw .corrupt("section \(Self.name(tag)) appears twice")
      }
      order.append(tag)
    }
  }

  static func tag(_ s: StaticString) -> UInt32 {
    var t: UInt32 = 0
    for i in 0..<4 { t |= UInt32(s.utf8Start[i]) << (8 * UInt32(i)) }
    return t
  }

  static func name(_ tag: UInt32) -> String {
    let bytes = (0..<4).map { UInt8(truncatingIfNeeded: tag >> (8 * UInt32($0))) }
    guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
      return "0x\(String(tag, radix: 16))"
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Decodes the section `tag` with `body`, which must read it to its end.
  mutating func section<T>(
    _ tag: StaticString, _ body: (inout StateDecoder) throws(StateError) -> T
  ) throws(StateError) -> T {
    let key = Self.tag(tag)
    guard let payload = payloads.removeValue(forKey: key) else {
      throw .corrupt("section \(tag) is missing")
    }
    var d = StateDecoder(payload, version: version)
    let value = try body(&d)
    try d.end("section \(tag)")
    return value
  }

  func finish() throws(StateError) {
    if let tag = order.first(where: { payloads[$0] != nil }) {
      throw .corrupt("unknown section \(Self.name(tag))")
    }
  }
}
