/// A UTC instant: whole seconds since the Unix epoch plus a nanosecond fraction.
///
/// Two integers rather than a `Double`, because RFC 3339 allows nine fraction digits and a
/// `Double` of seconds since 1970 keeps only about seven: parsing, ordering and formatting must
/// not lose what the sender wrote. POSIX time, so there are no leap seconds (see `RFC3339`).
struct Timestamp: Comparable, Hashable, Sendable {
  /// Seconds since 1970-01-01T00:00:00Z; negative before it.
  var seconds: Int64
  /// Fraction of the second, `0..<1_000_000_000`. Always added to `seconds`, also when
  /// `seconds` is negative (`-0.5 s` is `seconds: -1, nanoseconds: 500_000_000`).
  var nanoseconds: Int32

  init(seconds: Int64, nanoseconds: Int32 = 0) {
    self.seconds = seconds
    self.nanoseconds = nanoseconds
  }

  static func < (a: Timestamp, b: Timestamp) -> Bool {
    a.seconds != b.seconds ? a.seconds < b.seconds : a.nanoseconds < b.nanoseconds
  }
}
