// TEMPORARY STUB — replaced by the real Time files.
public enum RFC3339 {
  public static func parse(_ bytes: UnsafeRawBufferPointer) -> Timestamp? {
    bytes.count >= 20 && bytes[4] == 0x2D ? Timestamp(seconds: 0) : nil
  }
  public static func format(_ t: Timestamp, fractionDigits: Int = 3) -> String { "1970-01-01T00:00:00.000Z" }
}
