/// Why a line is not a JSON document the tools accept.
struct JSONError: Error, Equatable, Sendable {
  enum Kind: Equatable, Sendable {
    /// Not RFC 8259 JSON: a syntax error, a lone surrogate escape, bytes after the value.
    case invalidJSON
    /// A byte sequence that is not UTF-8.
    case invalidUTF8
    /// Objects and arrays nested deeper than `JSONScanner.maxDepth`.
    case tooDeep
    /// The same key twice in one object (after decoding escapes).
    case duplicateKey
  }

  var kind: Kind
  /// Byte offset in the line where the problem was found.
  var offset: Int
  /// A short explanation, e.g. `expected ',' or '}'`.
  var message: String
  /// JSON path of the value being read when the problem was found (`""` at the top).
  var path: String
}
