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
public final class EventValidator {
  /// `--strict`: warnings reject the line.
  public let strict: Bool
  /// The scanner holding the last line's fields.
  public let scanner = JSONScanner()
  /// The rejection reasons of the last line (empty when it is valid).
  @exclusivity(unchecked) public internal(set) var errors: [Problem] = []
  /// The warnings of the last line (counted, not rejecting, unless `strict`).
  @exclusivity(unchecked) public internal(set) var warnings: [Problem] = []
  /// What the last line validated says about its event: meaningful only when `validate`
  /// returned true (after a rejected line it may be partly filled in).
  @exclusivity(unchecked) public internal(set) var event = EventView()
  /// The line being validated.
  @exclusivity(unchecked) var line = UnsafeRawBufferPointer(start: nil, count: 0)
  /// Decoded copies of escaped strings (rare), reused.
  @exclusivity(unchecked) var scratch: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) var scratchCapacity = 256

  public init(strict: Bool = false) {
    self.strict = strict
    errors.reserveCapacity(16)
    warnings.reserveCapacity(8)
    scratch = .allocate(capacity: scratchCapacity)
  }

  deinit { scratch.deallocate() }

  /// Validates one non-blank line. Returns true when it is a valid event; then `event` and
  /// `scanner` describe it, and `warnings` may be non-empty.
  public func validate(_ line: Line) -> Bool {
    // Checked first: most lines have neither, and removeAll on an empty array is not free.
    if !errors.isEmpty { errors.removeAll(keepingCapacity: true) }
    if !warnings.isEmpty { warnings.removeAll(keepingCapacity: true) }
    self.line = line.bytes
    if line.isTruncated {
      errors.append(
        Problem(
          .error(.lineTooLong), path: "",
          message: "line is \(line.length) bytes, longer than the limit of \(line.bytes.count)"))
      return false
    }
    guard scanner.scan(line.bytes) else {
      let e = scanner.error ?? JSONError(kind: .invalidJSON, offset: 0, message: "", path: "")
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
    event = EventView()
    checkEnvelope()
    if strict, !warnings.isEmpty {
      for w in warnings { errors.append(w) }
    }
    return errors.isEmpty
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
