/// A part of the metrics whose numbers are plain counts: each lists its counts once, in
/// `countFields`, and the state codec and `merge` read that one list.
///
/// Two hand-written lists per type (encode, decode) had drifted: format 4 kept `input.foreign`,
/// `input.batches` and `input.batchItems` in memory and merged them, but never wrote them, so
/// a resumed run or a `--merge` lost them. With one list, a count cannot be merged yet left
/// out of the file; `CountFieldsTests` checks with reflection that every stored count is listed.
protocol CountFields {
  /// Every count, in state-file order: a count a later format added goes at the end with its
  /// `since`, so that older files still decode.
  static var countFields: [CountField<Self>] { get }
}

/// One count of a `CountFields` type.
struct CountField<Root>: Sendable {
  let keyPath: WritableKeyPath<Root, Int> & Sendable
  /// Its name in a state error ("input.lines").
  let name: String
  /// The first state format version that stores it.
  let since: UInt32

  init(_ keyPath: WritableKeyPath<Root, Int> & Sendable, _ name: String, since: UInt32 = 1) {
    self.keyPath = keyPath
    self.name = name
    self.since = since
  }
}

extension CountFields {
  func encodeCounts(to e: inout StateEncoder) {
    for f in Self.countFields { e.int(self[keyPath: f.keyPath]) }
  }

  /// Reads the counts the file's format has; the others keep their value (zero when fresh).
  mutating func decodeCounts(from d: inout StateDecoder) throws(StateError) {
    for f in Self.countFields where f.since <= d.version {
      self[keyPath: f.keyPath] = try d.count(f.name)
    }
  }

  mutating func mergeCounts(_ o: Self) {
    for f in Self.countFields { self[keyPath: f.keyPath] += o[keyPath: f.keyPath] }
  }
}
