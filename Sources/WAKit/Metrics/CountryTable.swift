/// One country's numbers in the snapshot's `countries` map.
struct CountryStats: Sendable {
  var received = 0
  var sent = 0
  var contacts = 0
  /// Its billable messages (`pricing`, version 2).
  var billable = 0
  /// Distinct `userId`s of the country's events (HyperLogLog: exact for small sets, within
  /// 2% beyond).
  var users = HyperLogLog()

  init() {}

  mutating func merge(_ other: CountryStats) {
    mergeCounts(other)
    users.merge(other.users)
  }
}

/// Per-country numbers, indexed directly by the two letters of the ISO code.
///
/// There are only 26 × 26 possible codes, so a fixed array of slots replaces a dictionary:
/// finding an event's country is one multiplication. Stats are created on first use, so a
/// stream from three countries keeps three HyperLogLogs.
struct CountryTable: Sendable {
  /// `ZZ`: the code for "unknown region" (a non-geographic number with no `countryCode`).
  static let unknown = RegionCode(rawValue: 0x5A5A)

  private var slots = [Int32](repeating: -1, count: 26 * 26)
  private(set) var codes: [RegionCode] = []
  var stats: [CountryStats] = []

  init() {}

  @inline(__always)
  static func position(_ code: RegionCode) -> Int? {
    let a = Int(code.rawValue >> 8) - 0x41
    let b = Int(code.rawValue & 0xFF) - 0x41
    guard a >= 0, a < 26, b >= 0, b < 26 else { return nil }
    return a * 26 + b
  }

  /// The index in `stats` of a country, created when new (`ZZ` for a code out of range).
  @inline(__always)
  mutating func index(_ code: RegionCode) -> Int {
    guard let p = Self.position(code) else { return index(Self.unknown) }
    let i = slots[p]
    if i >= 0 { return Int(i) }
    slots[p] = Int32(stats.count)
    codes.append(code)
    stats.append(CountryStats())
    return stats.count - 1
  }

  mutating func merge(_ other: CountryTable) {
    for (i, code) in other.codes.enumerated() {
      let mine = index(code)
      stats[mine].merge(other.stats[i])
    }
  }

  /// `(code, stats)` in order of the code.
  var sorted: [(String, CountryStats)] {
    zip(codes, stats).sorted { $0.0.rawValue < $1.0.rawValue }.map { ($0.0.string, $0.1) }
  }
}

extension CountryStats: CountFields {
  static let countFields: [CountField<CountryStats>] = [
    .init(\.received, "country received"), .init(\.sent, "country sent"),
    .init(\.contacts, "country contacts"), .init(\.billable, "country billable"),
  ]

  func encode(to e: inout StateEncoder) {
    encodeCounts(to: &e)
    users.encode(to: &e)
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    try decodeCounts(from: &d)
    users = try HyperLogLog(from: &d)
  }
}

extension CountryTable {
  func encode(to e: inout StateEncoder) {
    e.u64(UInt64(codes.count))
    for (code, stats) in zip(codes, stats) {
      e.u32(UInt32(code.rawValue))
      stats.encode(to: &e)
    }
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    let n = try d.length("countries", itemBytes: 38, limit: 26 * 26)
    for _ in 0..<n {
      let raw = try d.u32()
      let code = RegionCode(rawValue: UInt16(truncatingIfNeeded: raw))
      guard raw <= 0xFFFF, let p = Self.position(code), slots[p] < 0 else {
        throw .corrupt("a country code is invalid or repeated")
      }
      let i = index(code)
      stats[i] = try CountryStats(from: &d)
    }
  }
}
