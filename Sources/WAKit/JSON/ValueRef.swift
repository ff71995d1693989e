// JSON: a strict, zero-copy RFC 8259 scanner over one line's bytes.
// It validates the whole document and records where the fields the schema needs are,
// as byte ranges into the line; nothing is decoded until someone asks for a value.

/// The kind of a JSON value.
enum JSONKind: UInt8, Sendable {
  /// The field is not in the document.
  case absent = 0
  case null, bool, number, string, object, array

  /// The name used in messages: "a string", "an object".
  var article: String {
    switch self {
    case .absent: return "nothing"
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .object: return "an object"
    case .array: return "an array"
    }
  }
}

/// Where one value sits in the line, and what the scanner learnt about it on the way.
///
/// Offsets are into the line buffer. For a string, `start..<end` is the content between the
/// quotes (still escaped); for a number or literal, its text; for an object or array,
/// `start` is its opening bracket and `end` its closing one (so `start..<end` leaves the
/// closing bracket out: `end` is where wa-enrich inserts members).
struct ValueRef: Sendable, Equatable {
  var kind: JSONKind
  /// Per-kind facts: see the flag constants.
  var flags: UInt8
  var start: Int32
  var end: Int32

  static let absent = ValueRef(kind: .absent, flags: 0, start: 0, end: 0)

  /// String: contains at least one backslash escape (must be decoded before comparing).
  static let hasEscapes: UInt8 = 1
  /// Number: no fraction and no exponent.
  static let isIntegerLiteral: UInt8 = 2
  /// Number: starts with `-`.
  static let isNegative: UInt8 = 4
  /// Bool: the value is `true`.
  static let isTrue: UInt8 = 8
  /// Object or array: has no members or elements.
  static let isEmpty: UInt8 = 16

  @inline(__always) var isPresent: Bool { kind != .absent }
  /// Present and not `null`: the schema treats `null` like a missing field.
  @inline(__always) var hasValue: Bool { kind.rawValue > JSONKind.null.rawValue }
  @inline(__always) var count: Int { Int(end) - Int(start) }
  @inline(__always) func has(_ flag: UInt8) -> Bool { flags & flag != 0 }
}
