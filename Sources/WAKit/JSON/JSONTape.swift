/// A navigable view of one JSON document: a flat array of nodes over the line's bytes.
///
/// For the tools that must walk arbitrary JSON (webhook bodies in wa-convert, snapshots in
/// wa-report), where the fixed field slots of `JSONScanner` are not enough. The document is
/// first validated by `JSONScanner` (same strictness, same error codes), then indexed in a
/// second pass that can trust the syntax. Nodes are stored in document order; an object's
/// members are a key node followed by its value node; `next` skips a whole subtree, so
/// finding a member costs one step per member, not per descendant. The node array is reused
/// from line to line, and nothing is decoded until asked.
final class JSONTape {
  struct Node: Equatable, Sendable {
    var kind: JSONKind
    var flags: UInt8
    /// As in `ValueRef`: string content without quotes; containers from bracket to bracket.
    var start: Int32
    var end: Int32
    /// Index of the node after this one's subtree.
    var next: Int32
    /// Members (objects) or elements (arrays).
    var count: Int32
  }

  /// Exclusivity is not checked at run time on the two arrays: a tape is used by one thread
  /// and never hands out an access that could overlap, and the dynamic checks on every
  /// `nodes[i]` of a class property cost as much as the parse itself (wa-convert: 99 → 188
  /// MB/s).
  @exclusivity(unchecked) private(set) var nodes: [Node] = []
  let scanner = JSONScanner()
  /// The document of the last successful `parse` (valid only while its buffer is).
  private(set) var bytes = UnsafeRawBufferPointer(start: nil, count: 0)
  @exclusivity(unchecked) private var stack: [Int] = []

  init() {
    nodes.reserveCapacity(256)
    stack.reserveCapacity(JSONScanner.maxDepth + 1)
  }

  /// The problem that made the last `parse` fail.
  var error: JSONError? { scanner.error }

  /// Validates and indexes a document. The root is node 0.
  func parse(_ document: UnsafeRawBufferPointer) -> Bool {
    nodes.removeAll(keepingCapacity: true)
    stack.removeAll(keepingCapacity: true)
    guard scanner.scan(document), let base = document.baseAddress else { return false }
    bytes = document
    let p = base.assumingMemoryBound(to: UInt8.self)
    let n = document.count
    var i = 0
    while i < n {
      let c = p[i]
      switch c {
      case 0x20, 0x09, 0x0A, 0x0D, 0x2C, 0x3A:  // whitespace , :
        i += 1
      case 0x7B, 0x5B:  // { [
        noteChild()
        stack.append(nodes.count)
        nodes.append(
          Node(
            kind: c == 0x7B ? .object : .array, flags: 0, start: Int32(i), end: 0, next: 0,
            count: 0))
        i += 1
      case 0x7D, 0x5D:  // } ]
        let open = stack.removeLast()
        nodes[open].end = Int32(i)
        // Known only now: the node after this subtree is the next one to be appended.
        nodes[open].next = Int32(nodes.count)
        if nodes[open].count == 0 { nodes[open].flags |= ValueRef.isEmpty }
        // An object's count so far counts keys and values: halve it to count members.
        if nodes[open].kind == .object { nodes[open].count /= 2 }
        i += 1
      case 0x22:  // "
        var j = i + 1
        var escaped = false
        while p[j] != 0x22 {
          if p[j] == 0x5C {
            escaped = true
            j += 2
          } else {
            j += 1
          }
        }
        append(.string, escaped ? ValueRef.hasEscapes : 0, i + 1, j)
        i = j + 1
      default:  // number or literal
        var j = i
        while j < n, !Self.isDelimiter(p[j]) { j += 1 }
        switch c {
        case 0x74: append(.bool, ValueRef.isTrue, i, j)
        case 0x66: append(.bool, 0, i, j)
        case 0x6E: append(.null, 0, i, j)
        default:
          var flags: UInt8 = ValueRef.isIntegerLiteral
          for k in i..<j where p[k] == 0x2E || p[k] == 0x65 || p[k] == 0x45 {
            flags = 0
          }
          if c == 0x2D { flags |= ValueRef.isNegative }
          append(.number, flags, i, j)
        }
        i = j
      }
    }
    return true
  }

  private static func isDelimiter(_ c: UInt8) -> Bool {
    c == 0x2C || c == 0x7D || c == 0x5D || c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
  }

  private func append(_ kind: JSONKind, _ flags: UInt8, _ start: Int, _ end: Int) {
    noteChild()
    let index = nodes.count
    nodes.append(
      Node(
        kind: kind, flags: flags, start: Int32(start), end: Int32(end), next: Int32(index + 1),
        count: 0))
  }

  private func noteChild() {
    if let open = stack.last { nodes[open].count += 1 }
  }

  // MARK: Navigation

  /// The value node of `key` in the object at `node`, or nil.
  func member(_ node: Int, _ key: StaticString) -> Int? {
    guard nodes[node].kind == .object else { return nil }
    var k = node + 1
    let end = Int(nodes[node].next)
    while k < end {
      if keyEquals(k, key) { return k + 1 }
      k = Int(nodes[k + 1].next)
    }
    return nil
  }

  /// The members of an object as (key node, value node) pairs, in document order.
  func members(_ node: Int) -> [(key: Int, value: Int)] {
    guard nodes[node].kind == .object else { return [] }
    var result: [(Int, Int)] = []
    var k = node + 1
    while k < Int(nodes[node].next) {
      result.append((k, k + 1))
      k = Int(nodes[k + 1].next)
    }
    return result
  }

  /// The element nodes of an array, in order.
  func elements(_ node: Int) -> [Int] {
    guard nodes[node].kind == .array else { return [] }
    var result: [Int] = []
    var k = node + 1
    while k < Int(nodes[node].next) {
      result.append(k)
      k = Int(nodes[k].next)
    }
    return result
  }

  /// The raw bytes of a node (string content still escaped).
  func raw(_ node: Int) -> UnsafeRawBufferPointer {
    let n = nodes[node]
    let end = n.kind == .object || n.kind == .array ? Int(n.end) + 1 : Int(n.end)
    return UnsafeRawBufferPointer(rebasing: bytes[Int(n.start)..<end])
  }

  /// The decoded string of a string node, or nil for other kinds.
  func string(_ node: Int) -> String? {
    guard nodes[node].kind == .string else { return nil }
    return JSONString.string(ref(node), in: bytes)
  }

  func int64(_ node: Int) -> Int64? { JSONNumber.int64(ref(node), in: bytes) }

  func double(_ node: Int) -> Double? {
    nodes[node].kind == .number ? JSONNumber.double(ref(node), in: bytes) : nil
  }

  func bool(_ node: Int) -> Bool? {
    nodes[node].kind == .bool ? nodes[node].flags & ValueRef.isTrue != 0 : nil
  }

  /// The node as a `ValueRef`, for the helpers that take one.
  func ref(_ node: Int) -> ValueRef {
    let n = nodes[node]
    return ValueRef(kind: n.kind, flags: n.flags, start: n.start, end: n.end)
  }

  private func keyEquals(_ k: Int, _ key: StaticString) -> Bool {
    let n = nodes[k]
    guard n.flags & ValueRef.hasEscapes == 0 else {
      return string(k) == key.description
    }
    let count = Int(n.end - n.start)
    guard count == key.utf8CodeUnitCount else { return false }
    let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + Int(n.start)
    for i in 0..<count where base[i] != key.utf8Start[i] { return false }
    return true
  }
}
