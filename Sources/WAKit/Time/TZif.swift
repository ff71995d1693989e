#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Reader for the compiled time zone files under /usr/share/zoneinfo (TZif, RFC 8536).
///
/// Versions 1–4. For v2+ the 64-bit block is used (the 32-bit one stops in 1901/2038) and the
/// footer TZ string covers instants after the last transition. Instants here are POSIX
/// seconds, which count no leap seconds; a file with leap-second records (the `right/` zones)
/// gives its transitions in a scale that counts them (RFC 8536 §3.2: "UNIX leap time"), 27 s
/// ahead since 2017, so each transition is moved back by the leap seconds before it: `right/X`
/// then changes its offset at the same instants as `X`.
enum TZif {
  /// What a TZif file says, reduced to what offset lookups need.
  struct Contents: Equatable {
    /// Transition instants, strictly ascending.
    var times: [Int64]
    /// `offsets[i]`: seconds east of UTC from `times[i]` until the next transition.
    var offsets: [Int32]
    /// Before the first transition (RFC 8536 §3.2: time type 0).
    var initialOffset: Int32
    /// The footer's rule; nil for v1 files and an empty footer.
    var footer: PosixTZRule?
  }

  /// Largest file read: the biggest real zone is a few KiB; a larger one is not a zone file.
  static let maxFileBytes = 1 << 20

  /// The bytes of the zone `name` under `directory`; `unknownZone` when there is no such file.
  static func load(name: String, directory: String) throws(ZoneError) -> [UInt8] {
    let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
    do throws(IOError) {
      return try FileDescriptor.readFile(path, limit: maxFileBytes)
    } catch {
      switch error {
      // No such zone, or a folder of zones ("America").
      case .openFailed, .readFailed(errno: EISDIR): throw .unknownZone(name)
      case .tooLarge: throw .invalidZoneFile("\(name): too large")
      default: throw .invalidZoneFile("\(name): \(error.message)")
      }
    }
  }

  /// Parses a whole TZif file. `name` only labels errors.
  static func parse(_ bytes: [UInt8], name: String) throws(ZoneError) -> Contents {
    var r = Reader(bytes: bytes)
    guard let v1 = r.header() else {
      throw .invalidZoneFile("\(name): not a TZif file")
    }
    if v1.version == 0 {
      return try r.block(v1, timeSize: 4, name: name)
    }
    // v2+: skip the 32-bit block, read the second header and the 64-bit block, then the footer.
    guard r.skip(v1.blockSize(timeSize: 4)), let v2 = r.header() else {
      throw .invalidZoneFile("\(name): truncated")
    }
    var contents = try r.block(v2, timeSize: 8, name: name)
    guard let footer = r.footer() else { throw .invalidZoneFile("\(name): bad footer") }
    if !footer.isEmpty {
      guard let rule = PosixTZRule(footer) else {
        throw .invalidZoneFile("\(name): bad TZ string in footer")
      }
      contents.footer = rule
    }
    return contents
  }

  struct Header {
    var version: Int  // 0 for v1, else 2, 3, 4
    var isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt: Int

    func blockSize(timeSize: Int) -> Int {
      timecnt * (timeSize + 1) + typecnt * 6 + charcnt + leapcnt * (timeSize + 4) + isstdcnt
        + isutcnt
    }
  }

  /// A bounds-checked big-endian cursor.
  struct Reader {
    let bytes: [UInt8]
    var i = 0

    mutating func skip(_ n: Int) -> Bool {
      guard n >= 0, n <= bytes.count - i else { return false }
      i += n
      return true
    }

    func u32(at k: Int) -> UInt32 {
      UInt32(bytes[k]) << 24 | UInt32(bytes[k + 1]) << 16 | UInt32(bytes[k + 2]) << 8
        | UInt32(bytes[k + 3])
    }

    func i64(at k: Int) -> Int64 {
      Int64(bitPattern: UInt64(u32(at: k)) << 32 | UInt64(u32(at: k + 4)))
    }

    mutating func header() -> Header? {
      guard bytes.count - i >= 44, bytes[i] == 0x54, bytes[i + 1] == 0x5A,
        bytes[i + 2] == 0x69, bytes[i + 3] == 0x66  // "TZif"
      else { return nil }
      let v = bytes[i + 4]
      guard v == 0 || (v >= 0x32 && v <= 0x34) else { return nil }  // 0, '2', '3', '4'
      let c = (0..<6).map { Int(u32(at: i + 20 + 4 * $0)) }
      i += 44
      let h = Header(
        version: v == 0 ? 0 : Int(v - 0x30), isutcnt: c[0], isstdcnt: c[1], leapcnt: c[2],
        timecnt: c[3], typecnt: c[4], charcnt: c[5])
      // Counts are 32-bit; cap them so that size arithmetic cannot overflow.
      guard c.allSatisfy({ $0 <= Int(Int32.max) }) else { return nil }
      return h
    }

    /// One data block: transitions and their types, resolved into offsets.
    mutating func block(_ h: Header, timeSize: Int, name: String) throws(ZoneError) -> Contents {
      let start = i
      guard h.typecnt >= 1, h.typecnt <= 256, h.isutcnt == 0 || h.isutcnt == h.typecnt,
        h.isstdcnt == 0 || h.isstdcnt == h.typecnt
      else { throw .invalidZoneFile("\(name): bad header counts") }
      guard skip(h.blockSize(timeSize: timeSize)) else {
        throw .invalidZoneFile("\(name): truncated")
      }
      let typeIndexBase = start + h.timecnt * timeSize
      let typeBase = typeIndexBase + h.timecnt
      var utoffs: [Int32] = []
      for k in 0..<h.typecnt {
        let utoff = Int32(bitPattern: u32(at: typeBase + 6 * k))
        // RFC 8536: -2^31 is forbidden; real offsets are within ±26 h.
        guard utoff > -93_600, utoff < 93_600, bytes[typeBase + 6 * k + 4] <= 1 else {
          throw .invalidZoneFile("\(name): bad local time type")
        }
        utoffs.append(utoff)
      }
      var contents = Contents(times: [], offsets: [], initialOffset: utoffs[0], footer: nil)
      contents.times.reserveCapacity(h.timecnt)
      contents.offsets.reserveCapacity(h.timecnt)
      func time(at k: Int) -> Int64 {
        timeSize == 8 ? i64(at: k) : Int64(Int32(bitPattern: u32(at: k)))
      }
      // Leap-second records: (occurrence, total correction from then on), ascending.
      let leapBase = typeBase + 6 * h.typecnt + h.charcnt
      var leaps: [(occurrence: Int64, correction: Int64)] = []
      leaps.reserveCapacity(h.leapcnt)
      for k in 0..<h.leapcnt {
        let at = leapBase + (timeSize + 4) * k
        let occurrence = time(at: at)
        guard k == 0 || occurrence > leaps[k - 1].occurrence else {
          throw .invalidZoneFile("\(name): bad leap-second record")
        }
        leaps.append((occurrence, Int64(Int32(bitPattern: u32(at: at + timeSize)))))
      }
      var leap = 0  // leap records at or before the transition in hand
      var previous = Int64.min
      for k in 0..<h.timecnt {
        let leapTime = time(at: start + timeSize * k)
        while leap < leaps.count, leaps[leap].occurrence <= leapTime { leap += 1 }
        let (t, overflow) = leapTime.subtractingReportingOverflow(
          leap == 0 ? 0 : leaps[leap - 1].correction)
        let type = Int(bytes[typeIndexBase + k])
        guard !overflow, k == 0 || t > previous, type < h.typecnt else {
          throw .invalidZoneFile("\(name): bad transition")
        }
        previous = t
        contents.times.append(t)
        contents.offsets.append(utoffs[type])
      }
      return contents
    }

    /// `\n<TZ string>\n` after the 64-bit block; the TZ string's bytes, possibly empty.
    mutating func footer() -> ArraySlice<UInt8>? {
      guard i < bytes.count, bytes[i] == 0x0A else { return nil }
      let from = i + 1
      guard let to = bytes[from...].firstIndex(of: 0x0A) else { return nil }
      i = to + 1
      return bytes[from..<to]
    }
  }
}
