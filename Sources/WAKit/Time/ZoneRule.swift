#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Why a `--tz` value could not be used.
enum ZoneError: Error, Equatable {
  /// No zone file by that name (or it is a directory such as `America`).
  case unknownZone(String)
  /// A file exists but is not a usable TZif file; the text says what is wrong.
  case invalidZoneFile(String)
  /// The text is neither an offset, `UTC`, nor a safe zone name (e.g. `../etc/passwd`).
  case invalidSpec(String)
}

/// A time zone: a fixed offset, or IANA rules read once from the system zoneinfo (TZif v1–v4;
/// the 64-bit section, and the POSIX TZ footer for instants past the last transition).
///
/// Immutable and cheap to copy (a name and one shared table), so one value can serve every
/// thread. Lookups never allocate: transitions up to 2100 are precomputed (the file's own and
/// those its footer rule implies), and `offset(atEpochSeconds:)` is a binary search over them;
/// later instants evaluate the footer rule directly.
struct ZoneRule: Sendable {
  /// Coordinated Universal Time.
  static let utc = ZoneRule(name: "UTC", fixedOffset: 0, table: nil)

  /// What the user asked for: `UTC`, a canonical offset such as `+03:00`, or the IANA name.
  let name: String
  let fixedOffset: Int32
  let table: ZoneTable?

  init(name: String, fixedOffset: Int32, table: ZoneTable?) {
    self.name = name
    self.fixedOffset = fixedOffset
    self.table = table
  }

  /// A zone that is always `offsetSeconds` east of UTC, named like `+05:30` (`+00:00` for 0).
  static func fixed(offsetSeconds: Int32) -> ZoneRule {
    ZoneRule(name: offsetName(offsetSeconds), fixedOffset: offsetSeconds, table: nil)
  }

  /// Accepts `UTC` or `Z` (either case), a fixed offset `±hh`, `±hh:mm` or `±hhmm` (hours
  /// 00–23, minutes 00–59), or an IANA zone name such as `Africa/Nairobi`, looked up under
  /// `$TZDIR` (when set and non-empty) or `/usr/share/zoneinfo`. Names are restricted to the
  /// characters IANA uses (letters, digits, `/ _ - + .`); a leading `/` or any `..` is
  /// `invalidSpec`, so `--tz` can never read a file outside the zone directory.
  static func parse(_ spec: String) throws(ZoneError) -> ZoneRule {
    if spec == "UTC" || spec == "utc" || spec == "Z" || spec == "z" { return .utc }
    let bytes = Array(spec.utf8)
    if let first = bytes.first, first == 0x2B || first == 0x2D {
      guard let seconds = parseOffset(bytes) else { throw .invalidSpec(spec) }
      return .fixed(offsetSeconds: seconds)
    }
    guard isSafeZoneName(bytes) else { throw .invalidSpec(spec) }
    var directory = "/usr/share/zoneinfo"
    if let env = getenv("TZDIR"), env.pointee != 0 { directory = String(cString: env) }
    return try fromTZif(TZif.load(name: spec, directory: directory), name: spec)
  }

  /// A zone from the bytes of a TZif file (tests build "slim" files with this).
  static func fromTZif(_ bytes: [UInt8], name: String) throws(ZoneError) -> ZoneRule {
    let contents = try TZif.parse(bytes, name: name)
    let table = ZoneTable(contents)
    if table.times.isEmpty, table.footerFrom == .max {
      return ZoneRule(name: name, fixedOffset: table.initialOffset, table: nil)
    }
    return ZoneRule(name: name, fixedOffset: table.initialOffset, table: table)
  }

  /// Seconds east of UTC in force at this instant (daylight saving included). At a transition
  /// the new offset applies from the transition instant on. Called per event.
  @inline(__always)
  func offset(atEpochSeconds t: Int64) -> Int32 {
    guard let table else { return fixedOffset }
    return table.offset(at: t)
  }

  /// `±hh`, `±hh:mm`, `±hhmm` → seconds; nil otherwise.
  static func parseOffset(_ b: [UInt8]) -> Int32? {
    func digits(_ i: Int) -> Int? {
      guard i + 1 < b.count, b[i] &- 0x30 < 10, b[i + 1] &- 0x30 < 10 else { return nil }
      return Int(b[i] - 0x30) * 10 + Int(b[i + 1] - 0x30)
    }
    guard let hours = digits(1), hours <= 23 else { return nil }
    let minutes: Int?
    switch b.count {
    case 3: minutes = 0
    case 5: minutes = digits(3)
    case 6: minutes = b[3] == 0x3A ? digits(4) : nil
    default: minutes = nil
    }
    guard let minutes, minutes <= 59 else { return nil }
    let magnitude = Int32(hours * 3600 + minutes * 60)
    return b[0] == 0x2D ? -magnitude : magnitude
  }

  /// Letters, digits, `/ _ - + .`; no leading `/`, no `..`, at most 255 bytes.
  static func isSafeZoneName(_ b: [UInt8]) -> Bool {
    guard !b.isEmpty, b.count <= 255, b[0] != 0x2F else { return false }
    var previous: UInt8 = 0
    for c in b {
      let letter = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A
      let digit = c >= 0x30 && c <= 0x39
      let punctuation = c == 0x2F || c == 0x5F || c == 0x2D || c == 0x2B || c == 0x2E
      guard letter || digit || punctuation, !(c == 0x2E && previous == 0x2E) else { return false }
      previous = c
    }
    return true
  }

  /// `+03:00`, `-05:30`, `+05:45:30` (seconds only when present).
  static func offsetName(_ offset: Int32) -> String {
    let magnitude = Int(offset.magnitude)
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    var text = (offset < 0 ? "-" : "+") + two(magnitude / 3600) + ":" + two(magnitude / 60 % 60)
    if magnitude % 60 != 0 { text += ":" + two(magnitude % 60) }
    return text
  }
}

/// The lookup structure behind an IANA zone: offsets between sorted transition instants.
final class ZoneTable: Sendable {
  /// Strictly ascending; each changes the offset.
  let times: [Int64]
  /// `offsets[i]` is in force on `[times[i], times[i + 1])`.
  let offsets: [Int32]
  /// In force before `times[0]` (and always, when `times` is empty).
  let initialOffset: Int32
  /// For instants at or after `footerFrom` (`.max` when unused).
  let footer: PosixTZRule?
  let footerFrom: Int64

  /// Table transitions end here; later instants evaluate the footer rule on the fly.
  static let horizon: Int64 = CivilCalendar.daysFromCivil(year: 2101, month: 1, day: 1) * 86_400

  init(_ c: TZif.Contents) {
    var times: [Int64] = []
    var offsets: [Int32] = []
    var initial = c.initialOffset
    /// Appends a transition unless it changes nothing; a second one at the same instant
    /// replaces the first (a DST end and start that coincide).
    func append(_ t: Int64, _ o: Int32) {
      if let last = times.last, last == t {
        times.removeLast()
        offsets.removeLast()
      }
      if o != (offsets.last ?? initial) {
        times.append(t)
        offsets.append(o)
      }
    }
    for (t, o) in zip(c.times, c.offsets) { append(t, o) }

    var footerFrom = Int64.max
    if let rule = c.footer {
      if let last = c.times.last {
        // RFC 8536 §3.2: from the last transition on, the footer rule governs.
        append(last, rule.offset(at: last))
        let firstYear = Int64(CivilTime(epochSeconds: last).year) - 1
        if rule.dst != nil, firstYear < 1900 || firstYear > 2101 {
          footerFrom = last  // odd file: no table from the rule, evaluate it directly
        } else if rule.dst != nil {
          footerFrom = ZoneTable.horizon
          var generated: [(time: Int64, offset: Int32, isStart: Bool)] = []
          for year in firstYear...2101 {
            guard let pair = rule.transitions(inYear: year) else { break }
            generated.append((pair.start.0, pair.start.1, true))
            generated.append((pair.end.0, pair.end.1, false))
          }
          generated.sort { $0.time != $1.time ? $0.time < $1.time : !$0.isStart && $1.isStart }
          for g in generated where g.time > last && g.time < footerFrom { append(g.time, g.offset) }
        }
      } else if rule.dst == nil {
        initial = rule.standardOffset  // no transitions: the footer is the whole story
      } else {
        footerFrom = .min
      }
    }
    self.times = times
    self.offsets = offsets
    self.initialOffset = initial
    self.footer = c.footer
    self.footerFrom = footerFrom
  }

  @inline(__always)
  func offset(at t: Int64) -> Int32 {
    if t >= footerFrom, let footer { return footer.offset(at: t) }
    return times.withUnsafeBufferPointer { times in
      // Number of transitions at or before t, by a branch-free halving search.
      var base = 0
      var length = times.count
      if length == 0 || t < times[0] { return initialOffset }
      while length > 1 {
        let half = length >> 1
        base = times[base + half] <= t ? base + half : base
        length -= half
      }
      return offsets.withUnsafeBufferPointer { $0[base] }
    }
  }
}
