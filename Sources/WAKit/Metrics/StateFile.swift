/// The state file format (docs/state.md), version 6. All integers little-endian:
///
/// ```
/// 0   8  magic "WASTATE\n"
/// 8   4  format version (6; version 5 lacked the cost's unpricedByTemplate and version 4
///        also the input's foreign, batches and batchItems counts, both still read: those
///        then start from zero; version 3 lacked the service desk's metrics, conversations
///        and agent names; version 2 also templates, campaigns, pricing and cost; version 1
///        also the identity aliases and BSUID users)
/// 12  4  reserved (0)
/// 16  8  total length of the file in bytes, checksum included
/// 24  …  sections: 4-byte tag, 8-byte length, payload; the first is OPTS, the options
///        fingerprint as text, then SINK (the snapshot `seq`), then one per component
/// end 8  checksum: wyhash (Hash64, seed "WAST") of every byte before it
/// ```
///
/// The checks run in an order that gives each kind of damage its own message: too short for
/// a header or shorter than the header says (truncated), wrong magic, other version, longer
/// than it says, checksum, options, then the sections themselves.
enum StateFile {
  static let magic: [UInt8] = Array("WASTATE\n".utf8)
  static let formatVersion: UInt32 = 6
  /// The oldest version this build reads (docs/state.md#versioning).
  static let oldestReadable: UInt32 = 4
  static let headerBytes = 24
  static let checksumSeed: UInt64 = 0x5741_5354

  /// What a loaded state holds beyond the aggregator.
  struct Loaded {
    var seq: Int
    /// The window records' `seq`.
    var windowSeq: Int
    /// The bytes it took (a stream may hold several states back to back).
    var length: Int
    /// The format version it was written in.
    var version: UInt32
  }

  /// The whole file for `aggregator` and the snapshot counter `seq`.
  static func encode(
    _ aggregator: Aggregator, seq: Int, windowSeq: Int = 0, fingerprint: StateFingerprint
  ) -> [UInt8] {
    var e = StateEncoder()
    e.bytes.reserveCapacity(
      4096 + 64 * (aggregator.messages.count + aggregator.users.count)
        + 32 * aggregator.resolutions.count)
    e.bytes.append(contentsOf: magic)
    e.u32(formatVersion)
    e.u32(0)
    e.u64(0)  // the length, filled in below
    e.section("OPTS") { $0.string(fingerprint.text) }
    e.section("SINK") {
      $0.int(seq)
      $0.int(windowSeq)
    }
    aggregator.encodeSections(to: &e)
    let total = UInt64(e.bytes.count + 8)
    withUnsafeBytes(of: total.littleEndian) { raw in
      for i in 0..<8 { e.bytes[16 + i] = raw[i] }
    }
    let sum = e.bytes.withUnsafeBytes { Hash64.hash($0, seed: checksumSeed) }
    e.u64(sum)
    return e.bytes
  }

  /// Loads the state at the start of `bytes` into `aggregator` (which must be fresh, made
  /// with the run's configuration), after checking it was written with `fingerprint`.
  static func decode(
    _ bytes: UnsafeRawBufferPointer, fingerprint: StateFingerprint,
    into aggregator: inout Aggregator
  ) throws(StateError) -> Loaded {
    guard bytes.count >= magic.count, bytes.prefix(magic.count).elementsEqual(magic) else {
      if bytes.count < magic.count && magic.starts(with: bytes) {
        throw .truncated(expected: headerBytes, actual: bytes.count)
      }
      throw .notAStateFile
    }
    guard bytes.count >= headerBytes else {
      throw .truncated(expected: headerBytes, actual: bytes.count)
    }
    var header = StateDecoder(bytes)
    _ = try header.take(magic.count, "magic")
    let version = try header.u32()
    guard (oldestReadable...formatVersion).contains(version) else {
      throw .version(found: version)
    }
    _ = try header.u32()
    let declared = try header.u64()
    guard declared >= UInt64(headerBytes + 8) else {
      throw .corrupt("its length field is \(declared)")
    }
    guard declared <= UInt64(bytes.count) else {
      throw .truncated(expected: Int(clamping: declared), actual: bytes.count)
    }
    let length = Int(declared)
    let body = UnsafeRawBufferPointer(rebasing: bytes[0..<length - 8])
    let stored = UInt64(
      littleEndian: bytes.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self))
    guard Hash64.hash(body, seed: checksumSeed) == stored else { throw .checksum }
    var d = StateDecoder(
      UnsafeRawBufferPointer(rebasing: body[headerBytes...]), version: version)
    var sections = try StateSections(&d)
    let text = try sections.section("OPTS") { d throws(StateError) in
      try d.string("the options", maxBytes: 1 << 16)
    }
    try fingerprint.check(StateFingerprint(text: text))
    let (seq, windowSeq) = try sections.section("SINK") { d throws(StateError) in
      (try d.count("seq"), try d.count("the window records' seq"))
    }
    try aggregator.decodeSections(&sections)
    try sections.finish()
    return Loaded(seq: seq, windowSeq: windowSeq, length: length, version: version)
  }

  /// `decode` over an array.
  static func decode(
    _ bytes: [UInt8], fingerprint: StateFingerprint, into aggregator: inout Aggregator
  ) throws(StateError) -> Loaded {
    do {
      return try bytes.withUnsafeBytes {
        try decode($0, fingerprint: fingerprint, into: &aggregator)
      }
    } catch let error as StateError {
      throw error
    } catch {
      throw .corrupt("\(error)")
    }
  }

  /// Decodes every state in `bytes` (binary states back to back), calling `each` with each.
  static func decodeAll(
    _ bytes: UnsafeRawBufferPointer, fingerprint: StateFingerprint,
    make: () -> Aggregator, _ each: (Aggregator, Loaded) -> Void
  ) throws(StateError) {
    var offset = 0
    repeat {
      var a = make()
      let loaded = try decode(
        UnsafeRawBufferPointer(rebasing: bytes[offset...]), fingerprint: fingerprint, into: &a)
      each(a, loaded)
      offset += loaded.length
    } while offset < bytes.count
  }
}

/// The options that change a run's results, as canonical `name=value` lines in a fixed
/// order (SPEC §9): stored in every state file, so that loading or merging under other
/// options is refused with the option named. A new option that changes results adds one
/// line in `init(_:)`.
struct StateFingerprint: Equatable {
  var entries: [(name: String, value: String)]

  static func == (a: StateFingerprint, b: StateFingerprint) -> Bool { a.text == b.text }

  init(_ o: AggregateOptions) {
    let c = o.aggregator
    entries = [
      ("tz", o.zoneName),
      ("reply-window", Self.duration(c.replyWindow)),
      ("state-horizon", Self.duration(c.stateHorizon)),
      ("max-state", String(c.maxState)),
      ("strict", o.filter.strict ? "yes" : "no"),
      ("max-line-bytes", String(o.filter.maxLineBytes)),
      ("foreign", o.filter.foreign.rawValue),
      ("window", c.window?.size.rawValue ?? "none"),
      ("grace", c.window.map { Self.duration($0.grace) } ?? "none"),
      ("since", c.since == .min ? "none" : String(c.since)),
      ("until", c.until == .max ? "none" : String(c.until)),
      ("rate-card", c.rateCard?.fingerprint ?? "none"),
      ("business-hours", c.businessHours?.canonical ?? "none"),
      ("sla-first-response", c.sla.firstResponse.map(Self.duration) ?? "none"),
      ("sla-resolution", c.sla.resolution.map(Self.duration) ?? "none"),
    ]
  }

  init(text: String) {
    entries = text.split(separator: "\n").map { line in
      let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let (name, value) = (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
      // An --until held at the last time events can have was recorded as that instant until
      // 2026-12-08; it means no end now, as a run with the same flag records.
      return (name, name == "until" && value == String(EventTime.limit) ? "none" : value)
    }
  }

  var text: String { entries.map { "\($0.name)=\($0.value)\n" }.joined() }

  /// Durations in the largest unit that divides them.
  static func duration(_ nanos: Int64) -> String {
    for (unit, scale) in [
      ("d", 86_400_000_000_000), ("h", 3_600_000_000_000), ("m", 60_000_000_000),
      ("s", 1_000_000_000), ("ms", 1_000_000),
    ] as [(String, Int64)]
    where nanos % scale == 0 {
      return "\(nanos / scale)\(unit)"
    }
    return nanos == 0 ? "0" : "\(nanos)ns"
  }

  /// A value as the user wrote it: `--since` and `--until` are recorded in nanoseconds since
  /// the epoch (`1793664000000000000`), and shown as the instant (`2026-11-03T00:00:00.000Z`).
  static func shown(_ name: String, _ value: String) -> String {
    guard name == "since" || name == "until", let nanos = Int64(value) else { return value }
    return RFC3339.format(EventTime.timestamp(nanos), fractionDigits: 3)
  }

  /// Options recorded since after files of the current format were written: a file that
  /// does not record one was written before it was recorded, under a value no one can
  /// know, and is accepted under any (refusing it would refuse every such state; SPEC §9
  /// lists `--foreign`, first recorded on 2026-12-07).
  static let acceptedWhenNotRecorded: Set<String> = ["foreign"]

  /// Refuses a file written with other options, naming the first that differs.
  func check(_ file: StateFingerprint) throws(StateError) {
    let mine = Dictionary(entries.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    let theirs = Dictionary(
      file.entries.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    for (name, value) in entries where theirs[name] != value {
      if theirs[name] == nil && Self.acceptedWhenNotRecorded.contains(name) { continue }
      throw .optionsDiffer(
        option: name,
        file: TerminalEscape.escape(theirs[name].map { Self.shown(name, $0) } ?? "(not recorded)"),
        run: Self.shown(name, value))
    }
    for (name, value) in file.entries where mine[name] == nil {
      throw .optionsDiffer(
        option: TerminalEscape.escape(name), file: TerminalEscape.escape(value),
        run: "(unknown to this release)")
    }
  }
}

/// The text form of states (SPEC §9: for engines that pipe partitions through commands):
/// the binary file in base64, 4,096 characters a line, each line `wa-state <base64>`. Each
/// line decodes on its own, so the lines of several states can simply be concatenated.
enum StateText {
  static let prefix = Array("wa-state ".utf8)
  static let bytesPerLine = 3072

  static func write(_ bytes: [UInt8], to out: OutputBuffer) {
    var i = 0
    repeat {
      let end = min(bytes.count, i + bytesPerLine)
      out.write("wa-state ")
      bytes.withUnsafeBytes {
        Base64.append(UnsafeRawBufferPointer(rebasing: $0[i..<end]), to: out)
      }
      out.write(byte: 0x0A)
      i = end
    } while i < bytes.count
  }

  /// Whether `bytes` looks like the text form (rather than a binary state).
  static func isText(_ bytes: UnsafeRawBufferPointer) -> Bool {
    bytes.starts(with: prefix)
  }

  /// `decode` over an array.
  static func decode(_ bytes: [UInt8]) throws(StateError) -> [UInt8] {
    do {
      return try bytes.withUnsafeBytes { try decode($0) }
    } catch let error as StateError {
      throw error
    } catch {
      throw .corrupt("\(error)")
    }
  }

  /// The binary bytes of text-form lines; blank lines are skipped.
  static func decode(_ bytes: UnsafeRawBufferPointer) throws(StateError) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count / 4 * 3)
    var number = 0
    var start = 0
    while start < bytes.count {
      var end = start
      while end < bytes.count && bytes[end] != 0x0A { end += 1 }
      number += 1
      var line = bytes[start..<end]
      if line.last == 0x0D { line = line.dropLast() }
      start = end + 1
      if line.isEmpty { continue }
      guard line.starts(with: prefix),
        Base64Decoder.decode(line.dropFirst(prefix.count), into: &out)
      else { throw .badText(line: number) }
    }
    return out
  }
}

/// Decoding of standard base64 (the encoder is `Base64.append`).
enum Base64Decoder {
  static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
  static let values: [UInt8] = {
    var v = [UInt8](repeating: 255, count: 256)
    for (i, c) in alphabet.enumerated() { v[Int(c)] = UInt8(i) }
    return v
  }()

  /// Appends the decoded bytes to `out`; false when `text` is not base64.
  static func decode(_ text: Slice<UnsafeRawBufferPointer>, into out: inout [UInt8]) -> Bool {
    guard text.count % 4 == 0 else { return false }
    var i = text.startIndex
    while i < text.endIndex {
      let last = i + 4 == text.endIndex
      var v: UInt32 = 0
      var pad = 0
      for k in 0..<4 {
        let c = text[i + k]
        if c == 0x3D && last && k >= 2 {
          pad += 1
          v <<= 6
          continue
        }
        let x = values[Int(c)]
        guard x != 255, pad == 0 else { return false }
        v = v << 6 | UInt32(x)
      }
      out.append(UInt8(v >> 16 & 255))
      if pad < 2 { out.append(UInt8(v >> 8 & 255)) }
      if pad < 1 { out.append(UInt8(v & 255)) }
      i += 4
    }
    return true
  }
}
