/// The fields of the event being aggregated, read once from the validator.
///
/// Strings are hashed straight from the line's bytes when they hold no escape (nearly
/// always), and decoded through the validator's scratch buffer otherwise, so hashing an
/// identifier allocates nothing either way. Reading the validator's mutable properties once
/// per event, rather than once per field, also saves the runtime's exclusivity checks.
///
/// It lives only during one `Aggregator.add` call, while the validator (which owns the
/// scanner) is alive, so it holds them without reference counting: a retain and a release
/// per event otherwise.
struct ValidEvent {
  unowned(unsafe) let validator: EventValidator
  unowned(unsafe) let scanner: JSONScanner
  let line: UnsafeRawBufferPointer
  let event: EventView

  init(_ validator: EventValidator) {
    self.validator = validator
    scanner = validator.scanner
    line = validator.line
    event = validator.event
  }

  @inline(__always)
  subscript(field: EventField) -> ValueRef { scanner[field] }

  /// Whether a field holds a string (an absent field may keep stale flags: check the kind).
  @inline(__always)
  func isString(_ field: EventField) -> Bool { scanner[field].kind == .string }

  /// Whether a field is the literal `true`.
  @inline(__always)
  func isTrue(_ field: EventField) -> Bool {
    let ref = scanner[field]
    return ref.kind == .bool && ref.has(ValueRef.isTrue)
  }

  /// The 64-bit hash of a string field's decoded bytes.
  @inline(__always)
  func hash(_ field: EventField, seed: UInt64 = 0) -> UInt64 {
    let ref = scanner[field]
    guard ref.has(ValueRef.hasEscapes) else {
      return Hash64.hash(raw(ref), seed: seed)
    }
    return validator.withDecoded(ref) { p, n in
      Hash64.hash(UnsafeRawBufferPointer(start: p, count: n), seed: seed)
    }
  }

  /// The bytes of a value as they stand in the line.
  @inline(__always)
  func raw(_ ref: ValueRef) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(rebasing: line[Int(ref.start)..<Int(ref.end)])
  }

  /// A string field, decoded (for labels, once each).
  func string(_ field: EventField) -> String { JSONString.string(scanner[field], in: line) }

  /// A number field as a Double.
  func double(_ field: EventField) -> Double { JSONNumber.double(scanner[field], in: line) }

  /// A country code field, when it is a string holding one.
  @inline(__always)
  func region(_ field: EventField) -> RegionCode? {
    let ref = scanner[field]
    guard ref.kind == .string else { return nil }
    if ref.has(ValueRef.hasEscapes) {
      return validator.withDecoded(ref) { p, n in
        RegionCode(UnsafeRawBufferPointer(start: p, count: n))
      }
    }
    return RegionCode(raw(ref))
  }
}

// MARK: Labels of any length

extension ValidEvent {
  /// The longest template id, campaign id, campaign name or pricing category kept, in UTF-8
  /// bytes: a longer one is cut at a character boundary and ends in `…`, the same in every
  /// table, snapshot, state file and report, so a 10 kB id costs what a short one does.
  static let labelBytes = 256

  /// The hash of a string field as a capped label (`label(_:)`): its plain hash when it is
  /// short enough, the common case, which pays one comparison.
  @inline(__always)
  func labelHash(_ field: EventField) -> UInt64 {
    raw(self[field]).count <= Self.labelBytes ? hash(field) : Hash64.hash(label(field))
  }

  /// A string field decoded and capped to `labelBytes`.
  func label(_ field: EventField) -> String { Self.capped(string(field)) }

  static func capped(_ s: String) -> String {
    guard s.utf8.count > labelBytes else { return s }
    var out = ""
    var bytes = 0
    for scalar in s.unicodeScalars {
      let width = UTF8.width(scalar)
      if bytes + width > labelBytes - 3 { break }
      out.unicodeScalars.append(scalar)
      bytes += width
    }
    return out + "…"
  }
}
