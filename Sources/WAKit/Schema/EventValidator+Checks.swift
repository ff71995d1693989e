#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The single-field checks the rules are built from.
extension EventValidator {
  func add(_ code: ProblemCode, _ field: EventField, _ message: String) {
    errors.append(Problem(.error(code), path: field.path, message: message))
  }

  func warn(_ code: WarningCode, _ field: EventField, _ message: String) {
    warnings.append(Problem(.warning(code), path: field.path, message: message))
  }

  func invalid(_ field: EventField, _ message: String) { add(.invalidValue, field, message) }

  func missing(_ field: EventField, _ why: String, null: Bool) {
    add(.missingField, field, null ? "\(why) (is null)" : why)
  }

  func wrongType(_ field: EventField, expected: String, got ref: ValueRef) {
    add(.wrongType, field, "must be \(expected), got \(ref.kind.article)")
  }

  /// A required string; returns it when it is one.
  @inline(__always)
  @discardableResult
  func requireString(_ field: EventField, for event: EventKind? = nil) -> ValueRef? {
    let ref = scanner[field]
    if ref.kind == .string { return ref }
    notAString(field, ref, for: event)  // the messages, out of the way of the common case
    return nil
  }

  @inline(never)
  private func notAString(_ field: EventField, _ ref: ValueRef, for event: EventKind?) {
    guard ref.hasValue else {
      missing(field, event.map { "required for \($0.name)" } ?? "required", null: ref.kind == .null)
      return
    }
    wrongType(field, expected: "a string", got: ref)
  }

  /// A required object.
  @inline(__always)
  func requireObject(_ field: EventField) -> Bool {
    let ref = scanner[field]
    if ref.kind == .object { return true }
    notAnObject(field, ref)
    return false
  }

  @inline(never)
  private func notAnObject(_ field: EventField, _ ref: ValueRef) {
    guard ref.hasValue else { return missing(field, "required", null: ref.kind == .null) }
    wrongType(field, expected: "an object", got: ref)
  }

  func requireIdentifier(_ field: EventField, for event: EventKind) {
    if let ref = requireString(field, for: event), ref.count == 0 {
      invalid(field, "must not be empty")
    }
  }

  /// Optional fields: absent or `null` is fine; anything else is checked.
  func optionalIdentifier(_ field: EventField) {
    let ref = scanner[field]
    guard ref.hasValue else { return }
    if ref.kind != .string {
      wrongType(field, expected: "a string", got: ref)
    } else if ref.count == 0 {
      invalid(field, "must not be empty")
    }
  }

  func optionalString(_ field: EventField) {
    let ref = scanner[field]
    if ref.hasValue && ref.kind != .string { wrongType(field, expected: "a string", got: ref) }
  }

  func optionalBool(_ field: EventField) {
    let ref = scanner[field]
    if ref.hasValue && ref.kind != .bool { wrongType(field, expected: "a boolean", got: ref) }
  }

  func optionalInteger(_ field: EventField) {
    let ref = scanner[field]
    guard ref.hasValue else { return }
    if ref.kind != .number || !JSONNumber.isIntegral(ref, in: line) {
      wrongType(field, expected: "an integer", got: ref)
    }
  }

  /// A required integer ≥ 0 (`messageCount`).
  func requireCount(_ field: EventField, for event: EventKind) {
    let ref = scanner[field]
    guard ref.hasValue else {
      return missing(field, "required for \(event.name)", null: ref.kind == .null)
    }
    guard ref.kind == .number, JSONNumber.isIntegral(ref, in: line) else {
      return wrongType(field, expected: "an integer", got: ref)
    }
    if ref.has(ValueRef.isNegative) && JSONNumber.double(ref, in: line) != 0 {
      invalid(field, "must be ≥ 0")
    }
  }

  /// A required number ≥ 0 (`durationMinutes`).
  func requireNonNegativeNumber(_ field: EventField, for event: EventKind) {
    let ref = scanner[field]
    guard ref.hasValue else {
      return missing(field, "required for \(event.name)", null: ref.kind == .null)
    }
    guard ref.kind == .number else { return wrongType(field, expected: "a number", got: ref) }
    let value = JSONNumber.double(ref, in: line)
    if value < 0 || JSONNumber.isBelowZero(ref, in: line) {
      invalid(field, "must be ≥ 0")
    } else if !value.isFinite {
      invalid(field, "must be a finite number")
    }
  }

  func checkContentType() {
    let ref = scanner[.contentType]
    guard ref.hasValue else { return }
    guard ref.kind == .string else {
      return wrongType(.contentType, expected: "a string", got: ref)
    }
    if !withDecoded(ref, { p, n in ContentTypes.isKnown(p, n) }) {
      warn(.unknownContentType, .contentType, "not one of the known content types")
    }
  }

  /// `userId`: E.164 (`+`, then 7–15 digits, the first 1–9, starting with an assigned
  /// calling code) or a BSUID. `campaign.sent` describes a campaign, not a user: any
  /// non-empty string or none at all.
  func checkUserId(for kind: EventKind?) {
    if kind == .campaignSent {
      let ref = scanner[.userId]
      event.userIdForm = .other
      guard ref.hasValue else { return }  // null is as good as absent, as elsewhere
      guard ref.kind == .string else {
        return wrongType(.userId, expected: "a string", got: ref)
      }
      if ref.count == 0 { invalid(.userId, "must not be empty") }
      return
    }
    guard let ref = requireString(.userId) else { return }
    let lookup = withDecoded(ref) { p, n -> (UInt16, RegionCode?)?? in
      guard n >= 8, n <= 16, p[0] == 0x2B, p[1] >= 0x31, p[1] <= 0x39 else { return .none }
      // Every byte after the '+' a digit, eight at a time: bytes 0–7 (the '+' made a '0')
      // and the last eight, which overlap them (and are the same eight when n is 8).
      let raw = UnsafeRawPointer(p)
      let head = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) & ~0xFF | 0x30
      let last = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
      let tail = n == 8 ? head : last
      guard RFC3339.allDigits(head, mask: ~0), RFC3339.allDigits(tail, mask: ~0) else {
        return .none
      }
      let digits = UnsafeRawBufferPointer(start: p + 1, count: n - 1)
      guard let found = PhoneRegions.lookup(digits: digits, prefixSteps: phonePrefixSteps)
      else { return .some(nil) }
      return .some((found.callingCode, found.region))
    }
    switch lookup {
    case .none:
      checkNonPhoneUserId(ref)
    case .some(.none):
      add(.invalidE164, .userId, "does not start with an assigned country calling code")
    case .some(.some(let found)):
      event.callingCode = found.0
      event.region = found.1
    }
  }

  /// A `userId` that is not a well-formed phone number: a BSUID, or a problem —
  /// `invalid_e164` when it looks like a number (starts with `+` or a digit),
  /// `invalid_user_id` otherwise (SPEC §2). Out of line: phone numbers are the common case.
  @inline(never)
  private func checkNonPhoneUserId(_ ref: ValueRef) {
    let outcome = withDecoded(ref) { p, n -> Result<RegionCode, BSUID.Failure>? in
      if n > 0, p[0] == 0x2B || p[0] &- 0x30 < 10 { return nil }
      return BSUID.parse(p, n)
    }
    switch outcome {
    case .none:
      add(.invalidE164, .userId, "must be E.164: '+' and 7 to 15 digits, the first not 0")
    case .some(.success(let region)):
      event.userIdForm = .bsuid
      event.bsuidRegion = region
    case .some(.failure(let failure)):
      add(.invalidUserId, .userId, BSUID.message(failure))
    }
  }

  /// `context.bsuid` (a BSUID) and `context.username` (a string), both optional.
  func checkContextIdentity() {
    let bsuid = scanner[.bsuid]
    if bsuid.hasValue {
      if bsuid.kind != .string {
        wrongType(.bsuid, expected: "a string", got: bsuid)
      } else if case .failure(let failure) = withDecoded(bsuid, { p, n in BSUID.parse(p, n) }) {
        add(.invalidUserId, .bsuid, BSUID.message(failure))
      }
    }
    optionalString(.username)
  }

  /// `properties.pricing` (Meta's status pricing): an object whose members `billable` (a
  /// boolean) and `model`, `category`, `type` (strings) are each optional.
  func checkPricing() {
    let ref = scanner[.pricing]
    guard ref.hasValue else { return }
    guard ref.kind == .object else { return wrongType(.pricing, expected: "an object", got: ref) }
    optionalBool(.pricingBillable)
    optionalString(.pricingModel)
    optionalString(.pricingCategory)
    optionalString(.pricingType)
  }

  /// An optional integer ≥ 0 (`recipientCount`).
  func optionalCount(_ field: EventField) {
    let ref = scanner[field]
    guard ref.hasValue else { return }
    guard ref.kind == .number, JSONNumber.isIntegral(ref, in: line) else {
      return wrongType(field, expected: "an integer", got: ref)
    }
    if ref.has(ValueRef.isNegative) && JSONNumber.double(ref, in: line) != 0 {
      invalid(field, "must be ≥ 0")
    }
  }

  func checkTimestamp(_ field: EventField, _ ref: ValueRef) -> Timestamp? {
    guard ref.kind == .string else {
      wrongType(field, expected: "an RFC 3339 date-time string", got: ref)
      return nil
    }
    let parsed = withDecoded(ref) { p, n in
      RFC3339.parse(UnsafeRawBufferPointer(start: p, count: n))
    }
    if parsed == nil { add(.invalidTimestamp, field, "not an RFC 3339 date-time with an offset") }
    return parsed
  }

  /// `countryCode`: an assigned ISO 3166-1 alpha-2 code in either case; a warning when it
  /// is not the region of `userId`.
  func checkCountryCode(_ field: EventField) {
    let ref = scanner[field]
    guard ref.hasValue else { return }
    guard ref.kind == .string else { return wrongType(field, expected: "a string", got: ref) }
    let code = withDecoded(ref) { p, n in RegionCode(UnsafeRawBufferPointer(start: p, count: n)) }
    guard let code, ISO3166.isAssigned(code) else {
      return add(.invalidCountryCode, field, "not an assigned ISO 3166-1 alpha-2 code")
    }
    if let region = event.userRegion, region != code, region != BSUID.unknownRegion {
      warn(.countryMismatch, field, "\(code.string) is not the region of userId (\(region.string))")
    }
  }

  /// Whether a string value equals `literal` (after decoding escapes, if it has any).
  @inline(__always)
  func equals(_ ref: ValueRef, _ literal: StaticString) -> Bool {
    let n = literal.utf8CodeUnitCount
    if !ref.has(ValueRef.hasEscapes) {
      return ref.count == n
        && memcmp(line.baseAddress! + Int(ref.start), literal.utf8Start, n) == 0
    }
    return withDecoded(ref) { p, count in count == n && memcmp(p, literal.utf8Start, n) == 0 }
  }

  /// Calls `body` with the decoded bytes of a string value: the line's own bytes when the
  /// value has no escapes (the common case, no copy), a decoded copy otherwise.
  @inline(__always)
  func withDecoded<T>(_ ref: ValueRef, _ body: (UnsafePointer<UInt8>, Int) -> T) -> T {
    scratch.withDecoded(ref, in: line, body)
  }
}
