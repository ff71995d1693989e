#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Times inside the aggregator are nanoseconds since the Unix epoch in an `Int64`.
///
/// One integer is cheap to store in every per-message entry and to compare. `Int64` covers the
/// years 1678–2262; times are clamped to ±4·10¹⁸ ns (1843-03-31T16:53:20Z to
/// 2096-10-02T07:06:40Z, never a real event's time outside) so that adding a horizon or a
/// window to any of them can never overflow. docs/metrics.md says so.
enum EventTime {
  static let nanosPerSecond: Int64 = 1_000_000_000
  /// The clamp: far inside `Int64`, so that `t ± 100 years` is still representable.
  static let limit: Int64 = 4_000_000_000_000_000_000

  /// A timestamp as nanoseconds since the epoch, clamped to ±`limit`.
  @inline(__always)
  static func nanos(_ t: Timestamp) -> Int64 {
    // `>=`: a fraction past the last whole second of the range is past the range too.
    if t.seconds >= limit / nanosPerSecond { return limit }
    if t.seconds < -limit / nanosPerSecond { return -limit }
    return t.seconds * nanosPerSecond + Int64(t.nanoseconds)
  }

  /// The timestamp of a nanosecond count (the inverse of `nanos` inside its range).
  static func timestamp(_ nanos: Int64) -> Timestamp {
    let (q, r) = nanos.quotientAndRemainder(dividingBy: nanosPerSecond)
    return r < 0
      ? Timestamp(seconds: q - 1, nanoseconds: Int32(r + nanosPerSecond))
      : Timestamp(seconds: q, nanoseconds: Int32(r))
  }

  /// `nanos` floored to whole seconds (toward −∞, so times before 1970 bucket correctly).
  @inline(__always)
  static func seconds(_ nanos: Int64) -> Int64 {
    let q = nanos / nanosPerSecond
    return nanos % nanosPerSecond < 0 ? q - 1 : q
  }

  /// The wall clock (`CLOCK_REALTIME`): `generatedAt`, and event time when nothing else is known.
  static func wallClock() -> Int64 { read(CLOCK_REALTIME) }

  /// A clock that never jumps (`CLOCK_MONOTONIC`): the `--interval` schedule.
  static func monotonic() -> Int64 { read(CLOCK_MONOTONIC) }

  private static func read(_ clock: clockid_t) -> Int64 {
    var ts = timespec()
    clock_gettime(clock, &ts)
    return Int64(ts.tv_sec) * nanosPerSecond + Int64(ts.tv_nsec)
  }
}

/// The hour of the day and the day of the week of event times in the `--tz` zone.
///
/// The zone's offset is looked up once per local clock hour and cached with the exact range
/// of UTC seconds it covers, so a stream in time order costs one comparison per event, and a
/// daylight-saving change (which moves the offset at an hour boundary) is still honoured:
/// the cache is only kept when the offset is the same at both ends of the hour.
struct LocalClock {
  let zone: ZoneRule
  private var validFrom: Int64 = 1
  private var validUntil: Int64 = 0
  private var cached = 0

  init(zone: ZoneRule) { self.zone = zone }

  /// The heatmap cell of an event time: `weekday * 24 + hour`, weekday 0 = Monday.
  @inline(__always)
  mutating func cell(_ nanos: Int64) -> Int {
    let t = EventTime.seconds(nanos)
    if t >= validFrom && t < validUntil { return cached }
    return lookUp(t)
  }

  private mutating func lookUp(_ t: Int64) -> Int {
    let offset = Int64(zone.offset(atEpochSeconds: t))
    let local = t + offset
    let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    let secondOfDay = local - day * 86_400
    let hour = Int(secondOfDay / 3_600)
    // 1970-01-01 was a Thursday: day 0 is weekday 3 when Monday is 0.
    let weekday = Int(((day + 3) % 7 + 7) % 7)
    cached = weekday * 24 + hour
    let hourStart = t - secondOfDay % 3_600
    let hourEnd = hourStart + 3_600
    if Int64(zone.offset(atEpochSeconds: hourStart)) == offset
      && Int64(zone.offset(atEpochSeconds: hourEnd - 1)) == offset
    {
      validFrom = hourStart
      validUntil = hourEnd
    } else {
      validFrom = t
      validUntil = t + 1
    }
    return cached
  }
}
