/// Writes one JSON value by hand, member by member, into an `OutputBuffer`.
///
/// No Foundation and no intermediate tree: the snapshot is written in the order its fields
/// are listed, so the bytes are deterministic. It keeps track of commas per nesting level.
///
/// Numbers: integers are written plainly. Other numbers are rounded to 3 decimals and
/// written without an exponent and without trailing zeros (`0.667`, `12.5`, `3`); values of
/// 10¹⁵ or more, which no count or duration of a real stream reaches, fall back to Swift's
/// shortest form (which may use an exponent, still valid JSON); NaN and infinities, which
/// JSON cannot carry, are written as `null`.
struct JSONLineWriter {
  let out: OutputBuffer
  private var needsComma: [Bool] = [false]

  init(out: OutputBuffer) { self.out = out }

  private mutating func separate() {
    if needsComma[needsComma.count - 1] { out.write(byte: 0x2C) }
    needsComma[needsComma.count - 1] = true
  }

  /// Writes `"key":` (after a comma when needed).
  mutating func key(_ key: String) {
    separate()
    JSONString.appendQuoted(key, to: out)
    out.write(byte: 0x3A)
    pendingValue = true
  }

  /// Set by `key`: the next value follows it without a comma.
  private var pendingValue = false

  private mutating func beginValue() {
    if pendingValue {
      pendingValue = false
    } else {
      separate()
    }
  }

  mutating func beginObject(_ key: String? = nil) {
    if let key { self.key(key) }
    beginValue()
    out.write(byte: 0x7B)
    needsComma.append(false)
  }

  mutating func endObject() {
    needsComma.removeLast()
    out.write(byte: 0x7D)
  }

  mutating func beginArray(_ key: String? = nil) {
    if let key { self.key(key) }
    beginValue()
    out.write(byte: 0x5B)
    needsComma.append(false)
  }

  mutating func endArray() {
    needsComma.removeLast()
    out.write(byte: 0x5D)
  }

  mutating func int(_ key: String, _ value: Int) {
    self.key(key)
    int(value)
  }

  mutating func int(_ value: Int) {
    beginValue()
    out.write(integer: value)
  }

  mutating func bool(_ key: String, _ value: Bool) {
    self.key(key)
    beginValue()
    out.write(value ? "true" : "false")
  }

  mutating func string(_ key: String, _ value: String?) {
    self.key(key)
    beginValue()
    if let value { JSONString.appendQuoted(value, to: out) } else { out.write("null") }
  }

  /// A number already written as a plain JSON decimal (amounts of money, exact).
  mutating func decimal(_ key: String, _ text: String) {
    self.key(key)
    beginValue()
    out.write(text)
  }

  /// A number in the format above, or `null`.
  mutating func number(_ key: String, _ value: Double?) {
    self.key(key)
    beginValue()
    guard let value else { return out.write("null") }
    Self.writeNumber(value, to: out)
  }

  static func writeNumber(_ value: Double, to out: OutputBuffer) {
    guard value.isFinite else { return out.write("null") }
    let scaled = (value * 1000).rounded()
    guard abs(scaled) < 1e18 else { return out.write(value.description) }
    let milli = Int64(scaled)
    if milli < 0 { out.write(byte: 0x2D) }
    let magnitude = milli.magnitude
    out.write(integer: Int(magnitude / 1000))
    var fraction = Int(magnitude % 1000)
    guard fraction != 0 else { return }
    out.write(byte: 0x2E)
    var digits = 3
    while fraction % 10 == 0 {
      fraction /= 10
      digits -= 1
    }
    var divisor = 1
    for _ in 1..<digits { divisor *= 10 }
    while divisor > 0 {
      out.write(byte: UInt8(0x30 + fraction / divisor % 10))
      divisor /= 10
    }
  }
}
