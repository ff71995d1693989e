/// The sink of wa-enrich: each valid event with `context.countryCode` and
/// `context.callingCode` spliced in before the closing brace of `context` (SPEC §4).
///
/// Every other byte of the line is kept as it was, so the output is the input plus the two
/// members; nothing is re-serialised. A field the event already has is left alone (adding it
/// again would make a duplicate key): an existing `context.countryCode` wins, even when it
/// differs from the phone number's region (wa-validate warns about that). For a number with
/// a non-geographic calling code (+800, +882 …) there is no region: only `callingCode` is
/// added.
///
/// With `--pseudonymize` the identifiers are replaced in place as well (see `Pseudonymizer`
/// and `accept(pseudonymizing:)`), still without re-serialising anything else.
struct EnrichSink: EventSink {
  let out: OutputBuffer
  let pseudonymizer: Pseudonymizer?

  init(out: OutputBuffer) {
    self.out = out
    pseudonymizer = nil
  }

  /// A sink that also pseudonymizes, under `pseudonymKey` (nil: it does not).
  init(out: OutputBuffer, pseudonymKey: [UInt8]?) {
    self.out = out
    pseudonymizer = pseudonymKey.map { Pseudonymizer(key: $0) }
  }

  mutating func accept(_ line: Line, _ validator: EventValidator) -> Flow {
    if let pseudonymizer {
      accept(line, validator, pseudonymizing: pseudonymizer)
      return out.failure == nil ? .proceed : .stop
    }
    let context = validator.scanner[.context]
    let bytes = line.bytes
    let close = Int(context.end)
    out.write(UnsafeRawBufferPointer(rebasing: bytes[..<close]))
    writeAdded(validator, first: context.has(ValueRef.isEmpty))
    out.write(UnsafeRawBufferPointer(rebasing: bytes[close...]))
    out.write(byte: 0x0A)
    return out.failure == nil ? .proceed : .stop
  }

  /// Writes the members wa-enrich adds to `context` (each only when `context` lacks it);
  /// `first`: nothing precedes them in the object, so no leading comma. A BSUID gives its
  /// prefix as the country (but `ZZ`, unknown, is not a country code) and has no calling
  /// code; a `campaign.sent` without a user (its `userId` absent or `"system"`) gets neither.
  private func writeAdded(_ validator: EventValidator, first: Bool) {
    var first = first
    let event = validator.event
    if event.userIdForm == .other { return }
    // `ZZ` (a BSUID of unknown region) is no ISO 3166-1 code: not written, as for +800.
    if let region = event.userRegion, region != BSUID.unknownRegion,
      !validator.scanner[.contextCountryCode].isPresent
    {
      out.write(first ? "\"countryCode\":\"" : ",\"countryCode\":\"")
      out.write(byte: UInt8(region.rawValue >> 8))
      out.write(byte: UInt8(region.rawValue & 0xFF))
      out.write(byte: 0x22)
      first = false
    }
    if event.userIdForm == .phone, !validator.scanner[.contextCallingCode].isPresent {
      out.write(first ? "\"callingCode\":\"" : ",\"callingCode\":\"")
      out.write(integer: Int(event.callingCode))
      out.write(byte: 0x22)
    }
  }

  /// A foreign line under `--foreign pass`: untouched (it is not ours to enrich).
  mutating func passThrough(_ line: Line) -> Flow {
    out.write(line.bytes)
    out.write(byte: 0x0A)
    return out.failure == nil ? .proceed : .stop
  }

  mutating func flush() { out.flush() }
  var outputFailure: IOError? { out.failure }
}

extension EnrichSink {
  /// One change to the line: the bytes `start..<end` replaced by a pseudonym of the string
  /// value `ref`, removed, or (at `context`'s closing brace) followed by the added members.
  private struct Edit {
    enum Action {
      case pseudonym(ValueRef, RegionCode)
      case remove
      case addMembers(first: Bool)
    }
    var start: Int
    var end: Int
    var action: Action

    /// No edit (sorts after every real one).
    static let none = Edit(start: Int.max, end: Int.max, action: .remove)
  }

  /// The line with `userId` and `context.bsuid` replaced by their pseudonyms,
  /// `context.username` removed, the added members, and everything else as it stood. Edits
  /// are applied in the order they appear in the line, whatever the order of the members.
  private func accept(
    _ line: Line, _ validator: EventValidator, pseudonymizing p: Pseudonymizer
  ) {
    let bytes = line.bytes
    let scanner = validator.scanner
    let event = validator.event
    let context = scanner[.context]
    // At most three edits: an array of them would cost an allocation per line.
    var edits = (Edit.none, Edit.none, Edit.none)
    let userId = scanner[.userId]
    if event.userIdForm != .other {
      let region = event.userRegion ?? CountryTable.unknown
      edits.0 = Edit(
        start: Int(userId.start), end: Int(userId.end), action: .pseudonym(userId, region))
    } else if let region = Self.personRegion(of: userId, validator) {
      // `campaign.sent`'s userId may be any string ("system" is left as it is), but a phone
      // number or a BSUID there names a person like any other: pseudonymised too.
      edits.0 = Edit(
        start: Int(userId.start), end: Int(userId.end), action: .pseudonym(userId, region))
    }
    // Validated: a string holding a BSUID, whose first two bytes are its prefix (a BSUID
    // has no escapes that matter; an escaped one is decoded for the prefix too).
    let bsuid = scanner[.bsuid]
    if bsuid.kind == .string {
      let region = validator.withDecoded(bsuid) { q, n in
        RegionCode(rawValue: UInt16(q[0]) << 8 | UInt16(q[1]))
      }
      edits.1 = Edit(
        start: Int(bsuid.start), end: Int(bsuid.end), action: .pseudonym(bsuid, region))
    }
    var contextEmpty = context.has(ValueRef.isEmpty)
    let username = scanner[.username]
    if username.isPresent {
      let r = Self.memberRange(of: username, in: bytes)
      edits.2 = Edit(start: r.start, end: r.end, action: .remove)
      contextEmpty = r.empties
    }
    let close = Int(context.end)
    var added = Edit(start: close, end: close, action: .addMembers(first: contextEmpty))
    var at = 0
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Pseudonymizer.length) { buffer in
      let pseudonym = buffer.baseAddress!
      // The edits in line order: pick the earliest left each time (four at most).
      while true {
        var next = added
        if edits.0.start < next.start { next = edits.0 }
        if edits.1.start < next.start { next = edits.1 }
        if edits.2.start < next.start { next = edits.2 }
        if next.start == Int.max { break }
        out.write(UnsafeRawBufferPointer(rebasing: bytes[at..<next.start]))
        switch next.action {
        case .pseudonym(let ref, let region):
          validator.withDecoded(ref) { q, n in
            p.pseudonym(
              of: UnsafeRawBufferPointer(start: q, count: n), region: region, into: pseudonym)
          }
          out.write(UnsafeRawBufferPointer(start: pseudonym, count: Pseudonymizer.length))
        case .remove:
          break
        case .addMembers(let first):
          writeAdded(validator, first: first)
        }
        at = max(at, next.end)
        if next.start == edits.0.start && next.end == edits.0.end { edits.0 = .none }
        if next.start == edits.1.start && next.end == edits.1.end { edits.1 = .none }
        if next.start == edits.2.start && next.end == edits.2.end { edits.2 = .none }
        if next.start == added.start && next.end == added.end { added = .none }
      }
    }
    out.write(UnsafeRawBufferPointer(rebasing: bytes[at...]))
    out.write(byte: 0x0A)
  }

  /// For a `userId` the validator took as no user's (`campaign.sent`'s): the region for its
  /// pseudonym when it is a phone number (`+`, 7 to 15 digits, an assigned calling code; `ZZ`
  /// without a region) or a BSUID (its prefix), nil for any other value (`"system"`).
  static func personRegion(of ref: ValueRef, _ validator: EventValidator) -> RegionCode? {
    guard ref.kind == .string else { return nil }
    return validator.withDecoded(ref) { p, n -> RegionCode? in
      if n >= 8, n <= 16, p[0] == 0x2B, p[1] &- 0x31 < 9 {
        for i in 2..<n where p[i] &- 0x30 >= 10 { return nil }
        let digits = UnsafeRawBufferPointer(start: p + 1, count: n - 1)
        guard let found = PhoneRegions.lookup(digits: digits) else { return nil }
        return found.region ?? CountryTable.unknown
      }
      if case .success(let region) = BSUID.parse(p, n) { return region }
      return nil
    }
  }

  /// The bytes to remove to take the member whose value is `ref` out of its object: from
  /// the comma before its key to the end of its value, or, for the object's first member,
  /// from its key to the comma after its value. `empties`: it was the only member.
  ///
  /// Found by walking back from the value over `:` and the key (a quote preceded by an even
  /// number of backslashes opens it) on a line the scanner has already validated.
  static func memberRange(
    of ref: ValueRef, in line: UnsafeRawBufferPointer
  ) -> (start: Int, end: Int, empties: Bool) {
    let valueStart = ref.kind == .string ? Int(ref.start) - 1 : Int(ref.start)
    let valueEnd =
      ref.kind == .string || ref.kind == .object || ref.kind == .array
      ? Int(ref.end) + 1 : Int(ref.end)
    var i = skipSpaceBackward(line, from: valueStart - 1)  // the ':'
    i = skipSpaceBackward(line, from: i - 1)  // the key's closing quote
    i -= 1
    while true {
      if line[i] == 0x22 {
        var backslashes = 0
        while line[i - 1 - backslashes] == 0x5C { backslashes += 1 }
        if backslashes % 2 == 0 { break }
      }
      i -= 1
    }
    let keyStart = i
    let before = skipSpaceBackward(line, from: keyStart - 1)
    if line[before] == 0x2C { return (before, valueEnd, false) }
    // The first member: take the comma after it too, if there is one.
    var after = valueEnd
    while isSpace(line[after]) { after += 1 }
    if line[after] == 0x2C { return (keyStart, after + 1, false) }
    return (keyStart, valueEnd, true)
  }

  @inline(__always)
  private static func isSpace(_ c: UInt8) -> Bool {
    c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
  }

  /// The index of the last byte at or before `i` that is not JSON whitespace.
  private static func skipSpaceBackward(_ line: UnsafeRawBufferPointer, from i: Int) -> Int {
    var i = i
    while isSpace(line[i]) { i -= 1 }
    return i
  }
}
