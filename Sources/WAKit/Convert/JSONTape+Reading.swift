#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Reading helpers for walking webhook bodies on a `JSONTape` without allocating on the
/// common path: `elements` and `string` build arrays and Strings, which a converter that
/// touches every item of every body cannot afford; these read the node array and the line's
/// bytes directly, and decode only strings that contain escapes (rare in Meta's bodies).
extension JSONTape {
  /// The kind of an optional member lookup's result (`.absent` for nil).
  @inline(__always)
  func kind(_ node: Int?) -> JSONKind {
    guard let node else { return .absent }
    return nodes[node].kind
  }

  /// A member that is present and not `null` (the project's rule: `null` is absent).
  @inline(__always)
  func value(_ node: Int, _ key: StaticString) -> Int? {
    guard let m = member(node, key), nodes[m].kind != .null else { return nil }
    return m
  }

  /// Calls `body` with the index and node of each element of an array, in order.
  @inline(__always)
  func forEachElement(_ array: Int, _ body: (Int, Int) -> Void) {
    var k = array + 1
    let end = Int(nodes[array].next)
    var i = 0
    while k < end {
      body(i, k)
      i += 1
      k = Int(nodes[k].next)
    }
  }

  /// The first element of an array, or nil when it is empty.
  func firstElement(_ array: Int) -> Int? {
    nodes[array].kind == .array && nodes[array].count > 0 ? array + 1 : nil
  }

  /// Calls `body` with the decoded bytes of a string node: the line's own bytes when the
  /// string has no escapes, a decoded copy otherwise.
  @inline(__always)
  func withDecoded<T>(_ node: Int, _ body: (UnsafeRawBufferPointer) -> T) -> T {
    if nodes[node].flags & ValueRef.hasEscapes == 0 { return body(raw(node)) }
    var text = string(node) ?? ""
    return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
  }

  /// Whether a node is a string equal to `literal` (after decoding escapes).
  @inline(__always)
  func stringEquals(_ node: Int, _ literal: StaticString) -> Bool {
    guard nodes[node].kind == .string else { return false }
    return withDecoded(node) { bytes in
      guard bytes.count == literal.utf8CodeUnitCount else { return false }
      guard let base = bytes.baseAddress else { return true }
      return memcmp(base, literal.utf8Start, bytes.count) == 0
    }
  }

  /// Whether a node is a string with at least one character.
  @inline(__always)
  func isNonEmptyString(_ node: Int) -> Bool {
    nodes[node].kind == .string && nodes[node].end > nodes[node].start
  }
}
