// TEMPORARY STUB — replaced by the real Time files.
public struct Timestamp: Comparable, Hashable, Sendable {
  public var seconds: Int64
  public var nanoseconds: Int32
  public init(seconds: Int64, nanoseconds: Int32 = 0) {
    self.seconds = seconds
    self.nanoseconds = nanoseconds
  }
  public static func < (a: Timestamp, b: Timestamp) -> Bool {
    (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
  }
}
