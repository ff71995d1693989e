/// The fields of the event being aggregated: its line, its field table and its `EventView`.
///
/// Strings are hashed straight from the line's bytes when they hold no escape (nearly
/// always), and decoded through the aggregator's scratch buffer otherwise, so hashing an
/// identifier allocates nothing either way. Reading the validator's mutable properties once
/// per event, rather than once per field, also saves the runtime's exclusivity checks.
///
/// One view for both ways of running the fold: with one thread it points at the live
/// validator's line and field table (`init(_:scratch:)`); with two, at a record of a batch
/// that the validating thread filled (`AggregatePipeline`): a copy of the line's bytes and
/// of its field table, whose offsets are relative to the line and so need no re-basing.
/// It lives only during one `Aggregator.add` call, while what it points at is alive, so it
/// holds the scratch without reference counting: a retain and a release per event otherwise.
struct ValidEvent {
  let fields: UnsafePointer<ValueRef>
  let line: UnsafeRawBufferPointer
  let event: EventView
  unowned(unsafe) let scratch: DecodeScratch

  init(_ validator: EventValidator, scratch: DecodeScratch) {
    fields = UnsafePointer(validator.scanner.fields)
    line = validator.line
    event = validator.event
    self.scratch = scratch
  }

  init(
    fields: UnsafePointer<ValueRef>, line: UnsafeRawBufferPointer, event: EventView,
    scratch: DecodeScratch
  ) {
    self.fields = fields
    self.line = line
    self.event = event
    self.scratch = scratch
  }

  @inline(__always)
  subscript(field: EventField) -> ValueRef { fields[field.rawValue] }

  /// Whether a field holds a string (an absent field may keep stale flags: check the kind).
  @inline(__always)
  func isString(_ field: EventField) -> Bool { self[field].kind == .string }

  /// Whether a field is the literal `true`.
  @inline(__always)
  func isTrue(_ field: EventField) -> Bool {
    let ref = self[field]
    return ref.kind == .bool && ref.has(ValueRef.isTrue)
  }

  /// The 64-bit hash of a string field's decoded bytes.
  @inline(__always)
  func hash(_ field: EventField, seed: UInt64 = 0) -> UInt64 {
    let ref = self[field]
    guard ref.has(ValueRef.hasEscapes) else {
      return Hash64.hash(raw(ref), seed: seed)
    }
    return scratch.withDecoded(ref, in: line) { p, n in
      Hash64.hash(UnsafeRawBufferPointer(start: p, count: n), seed: seed)
    }
  }

  /// The bytes of a value as they stand in the line.
  @inline(__always)
  func raw(_ ref: ValueRef) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(rebasing: line[Int(ref.start)..<Int(ref.end)])
  }

  /// A string field, decoded (for labels, once each).
  func string(_ field: EventField) -> String { JSONString.string(self[field], in: line) }

  /// A number field as a Double.
  func double(_ field: EventField) -> Double { JSONNumber.double(self[field], in: line) }

  /// A country code field, when it is a string holding one.
  @inline(__always)
  func region(_ field: EventField) -> RegionCode? {
    let ref = self[field]
    guard ref.kind == .string else { return nil }
    if ref.has(ValueRef.hasEscapes) {
      return scratch.withDecoded(ref, in: line) { p, n in
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
