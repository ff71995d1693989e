/// Validates lines against the event schema of SPEC §2.
///
/// Every problem of a line is listed, each with its code and JSON path, not just the first
/// one (a JSON syntax error is the exception: nothing after it can be read). Valid lines
/// leave an `EventView` and the scanner's field table for the tools behind.
///
/// Reused for every line; the problem lists keep their capacity, so a valid line allocates
/// nothing. Used by one thread, with no overlapping access to its properties: the run-time
/// exclusivity checks Swift adds to class properties (a few percent of the run) are turned
/// off on the ones read per line.
final class EventValidator {
  /// `--strict`: warnings reject the line.
  let strict: Bool
  /// The scanner holding the last line's fields.
  let scanner = JSONScanner()
  /// The rejection reasons of the last line (empty when it is valid).
  @exclusivity(unchecked) var errors: [Problem] = []
  /// The warnings of the last line (counted, not rejecting, unless `strict`).
  @exclusivity(unchecked) var warnings: [Problem] = []
  /// What the last line validated says about its event: meaningful only when `validate`
  /// returned true (after a rejected line it may be partly filled in).
  @exclusivity(unchecked) var event = EventView()
  /// The line being validated.
  @exclusivity(unchecked) var line = UnsafeRawBufferPointer(start: nil, count: 0)
  /// Set by `validate` when the line is a batch (SPEC §2 "Batches"): the offsets of the
  /// brackets of its `batch` array. `validate` then returns false with no errors: the
  /// caller checks the elements, each with `validateElement`.
  @exclusivity(unchecked) private(set) var batchArray: (open: Int, close: Int)? = nil
  /// Whether the line is a batch's element (then a `batch` member is a nested batch).
  @exclusivity(unchecked) var checkingElement = false
  /// The batch fast path's walk (`recogniseBatch`).
  let batchLine = BatchLine()
  /// Whether the last line was an object whose envelope was checked (so `isForeign` can
  /// read its fields).
  @exclusivity(unchecked) var envelopeChecked = false
  /// Decoded copies of escaped strings (rare), reused.
  let scratch = DecodeScratch()
  /// `PhoneRegions.prefixSteps`, read once here rather than through its global per event.
  let phonePrefixSteps = PhoneRegions.prefixSteps

  init(strict: Bool = false) {
    self.strict = strict
    errors.reserveCapacity(16)
    warnings.reserveCapacity(8)
  }

  /// Validates one non-blank line. Returns true when it is a valid event; then `event` and
  /// `scanner` describe it, and `warnings` may be non-empty.
  func validate(_ line: Line) -> Bool {
    // Checked first: most lines have neither, and removeAll on an empty array is not free.
    if !errors.isEmpty { errors.removeAll(keepingCapacity: true) }
    if !warnings.isEmpty { warnings.removeAll(keepingCapacity: true) }
    self.line = line.bytes
    batchArray = nil
    envelopeChecked = false
    if line.isTruncated {
      errors.append(
        Problem(
          .error(.lineTooLong), path: "",
          message: "line is \(line.length) bytes, longer than the limit of \(line.bytes.count)"))
      return false
    }
    guard scanner.scan(line.bytes) else {
      let e = scanner.error ?? JSONError(kind: .invalidJSON, offset: 0, message: "", path: "")
      if !checkingElement, e.path.hasPrefix("batch["), batchWithBadElements(line.bytes) {
        return false
      }
      errors.append(Problem(.error(Self.code(of: e.kind)), path: e.path, message: e.message))
      return false
    }
    guard scanner.rootKind == .object else {
      errors.append(
        Problem(
          .error(.notAnObject), path: "",
          message: "an event must be a JSON object, got \(scanner.rootKind.article)"))
      return false
    }
    if scanner[.batch].isPresent { return batch() }
    envelopeChecked = true
    event = EventView()
    checkEnvelope()
    if strict, !warnings.isEmpty {
      for w in warnings { errors.append(w) }
    }
    return errors.isEmpty
  }

  /// Validates one element of a batch: as a line of its own, except that a `batch` in it is
  /// a nested batch, rejected.
  func validateElement(_ element: Line) -> Bool {
    checkingElement = true
    defer { checkingElement = false }
    return validate(element)
  }

  /// A line with a `batch` member: a batch when it is an array, else one rejected line.
  @inline(never)
  private func batch() -> Bool {
    let ref = scanner[.batch]
    if checkingElement {
      add(.invalidValue, .batch, "a batch inside a batch element is not allowed")
    } else if ref.kind != .array {
      add(
        .wrongType, .batch,
        "a batch line's batch must be an array of events, got \(ref.kind.article)")
    } else {
      batchArray = (Int(ref.start), Int(ref.end))
    }
    return false
  }

  /// The batch fast path: whether `line` is a batch that opens as `{"batch":[`, with a sound
  /// envelope (see `BatchLine`); then `batchLine` holds its array and element bounds, and
  /// the line needs no `validate`. Exactly the lines that open so and that `validate` would
  /// hand over with `batchArray` set, with the same brackets (the fuzz target holds the two
  /// to it); false for every other line, which then goes through `validate` as before.
  @inline(never)
  func recogniseBatch(_ line: Line) -> Bool {
    guard !line.isTruncated, batchLine.recognise(line.bytes) else { return false }
    if let skeleton = batchLine.skeleton(of: line.bytes) {
      guard scanner.scan(skeleton), scanner[.batch].kind == .array else { return false }
    }
    return true
  }

  /// A batch line the scanner refused because of a problem inside its array: when the rest
  /// of the line is sound (the line with an empty array in place of the batch's is valid
  /// JSON), its elements are found without the scanner and checked one by one, so that one
  /// bad element does not lose the others.
  @inline(never)
  private func batchWithBadElements(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let (open, close) = BatchElements.locate(bytes) else { return false }
    var skeleton = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[..<(open + 1)]))
    skeleton.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[close...]))
    let sound = skeleton.withUnsafeBytes { scanner.scan($0) && scanner[.batch].kind == .array }
    guard sound else { return false }
    batchArray = (open, close)
    return true
  }

  /// Whether the last line, rejected, is *foreign* (SPEC §2 "Foreign lines"): a JSON object
  /// that is not a WhatsApp track event — a `type` other than `track`, a `context.channel`
  /// other than `whatsapp`, or no channel and an `event` that is none of ours. Only strings
  /// decide: a `type` or `channel` of another kind is a malformed event, rejected.
  func isForeign() -> Bool {
    guard envelopeChecked else { return false }
    let type = scanner[.type]
    if type.kind == .string && !equals(type, "track") { return true }
    let channel = scanner[.channel]
    if channel.kind == .string { return !equals(channel, "whatsapp") }
    guard !channel.hasValue else { return false }
    let name = scanner[.event]
    return name.kind == .string && withDecoded(name) { p, n in EventKind.named(p, n) } == nil
  }

  static func code(of kind: JSONError.Kind) -> ProblemCode {
    switch kind {
    case .invalidJSON: return .invalidJSON
    case .invalidUTF8: return .invalidUTF8
    case .tooDeep: return .tooDeep
    case .duplicateKey: return .duplicateKey
    }
  }

  /// The top-level fields, then the event's own properties.
  private func checkEnvelope() {
    if let type = requireString(.type) {
      if !equals(type, "track") { invalid(.type, "must be \"track\"") }
    }
    var kind: EventKind? = nil
    if let name = requireString(.event) {
      kind = withDecoded(name) { p, n in EventKind.named(p, n) }
      if kind == nil {
        add(.unknownEvent, .event, "not one of the event names of the schema")
      }
    }
    checkUserId(for: kind)
    let timestamp = scanner[.timestamp]
    if timestamp.hasValue {
      event.timestamp = checkTimestamp(.timestamp, timestamp)
    } else if kind == .received || kind == .sent {
      missing(.timestamp, "required for \(kind?.name ?? "")", null: timestamp.kind == .null)
    }
    // Read only as the fallback it is (the aggregator's event time): parsing it on every
    // line would cost wa-validate and wa-enrich a second date parse for nothing.
    let receivedAt = scanner[.receivedAt]
    if event.timestamp == nil, receivedAt.kind == .string {
      event.receivedAt = withDecoded(receivedAt) { p, n in
        RFC3339.parse(UnsafeRawBufferPointer(start: p, count: n))
      }
    }
    let hasProperties = requireObject(.properties)
    if requireObject(.context) {
      if let channel = requireString(.channel) {
        if !equals(channel, "whatsapp") { invalid(.channel, "must be \"whatsapp\"") }
      }
      checkCountryCode(.contextCountryCode)
      checkContextIdentity()
    }
    if hasProperties {
      checkCountryCode(.countryCode)
      if let kind {
        event.kind = kind
        checkProperties(of: kind)
      }
    }
  }

  /// The `properties` rules of each event (SPEC §2 table).
  private func checkProperties(of kind: EventKind) {
    switch kind {
    case .received:
      requireIdentifier(.messageId, for: kind)
      requireIdentifier(.chatId, for: kind)
      checkContentType()
      optionalBool(.hasMedia)
      optionalIdentifier(.replyTo)
    case .sent:
      requireIdentifier(.messageId, for: kind)
      optionalIdentifier(.chatId)
      checkContentType()
      optionalIdentifier(.templateId)
      optionalIdentifier(.agentId)
      optionalBool(.isAutomated)
      optionalIdentifier(.campaignId)
      checkPricing()
    case .delivered, .read:
      requireIdentifier(.messageId, for: kind)
      checkPricing()
    case .failed:
      requireIdentifier(.messageId, for: kind)
      optionalInteger(.errorCode)
      optionalString(.errorTitle)
    case .resolved:
      requireIdentifier(.chatId, for: kind)
      requireCount(.messageCount, for: kind)
      requireNonNegativeNumber(.durationMinutes, for: kind)
      if !scanner[.agentId].hasValue {
        warn(.missingAgentId, .agentId, "chat.resolved without agentId counts as unassigned")
      } else {
        optionalIdentifier(.agentId)
      }
      optionalString(.resolution)
    case .contactCreated:
      optionalString(.source)
      if !scanner[.countryCode].hasValue && !scanner[.contextCountryCode].hasValue {
        warn(.missingCountryCode, .countryCode, "contact.created without countryCode")
      }
    case .assigned:
      requireIdentifier(.chatId, for: kind)
      requireIdentifier(.agentId, for: kind)
      optionalString(.previousAgentId)
      optionalString(.assignmentType)
    case .campaignSent:
      requireIdentifier(.campaignId, for: kind)
      optionalString(.campaignName)
      optionalIdentifier(.templateId)
      optionalCount(.recipientCount)
    }
  }
}
