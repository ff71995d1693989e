/// Turns one webhook body into zero or more track events (SPEC §7).
///
/// A body is checked whole before anything is written: the walk over the envelope
/// (`object` → every `entry` → every `change` → `value` → every item of `messages[]`,
/// `statuses[]`, `errors[]` and `message_echoes[]`, in document order) plans the events and counts the skipped
/// items; only when the body has no problem at all are the planned events written. So a body
/// is either converted (all its events out, in order) or rejected (none out, every problem
/// listed with its code and path) — never half of each, which would make replaying a fixed
/// rejects file duplicate events.
///
/// Reused for every line: the tape, the problem list and the plan keep their capacity.
final class WebhookConverter {
  struct Options: Sendable {
    /// Skip `sent` statuses (`--no-sent`).
    var noSent: Bool
    /// Emit reactions as `message.received` (`--include-reactions`).
    var includeReactions: Bool
    /// Emit `request_welcome` as `message.received` (`--include-welcome`).
    var includeWelcome = false

    init(noSent: Bool = false, includeReactions: Bool = false) {
      self.noSent = noSent
      self.includeReactions = includeReactions
    }

    init(noSent: Bool = false, includeReactions: Bool = false, includeWelcome: Bool) {
      self.init(noSent: noSent, includeReactions: includeReactions)
      self.includeWelcome = includeWelcome
    }
  }

  let options: Options
  let tape = JSONTape()
  let writer = TrackEventWriter()
  /// The problems of the last body (empty when it was converted).
  var problems: [Problem] = []
  /// The events and skipped items of the last converted body. (Like the plan, updated for
  /// every item by one thread with no overlapping access: run-time exclusivity checks on
  /// these class properties would only cost time.)
  @exclusivity(unchecked) var tally = ItemTally()
  /// The events of the body being checked, written once it has passed.
  @exclusivity(unchecked) var plan: [PlannedEvent] = []
  /// `contacts` of the `value` being walked (for `context.username`), or -1.
  @exclusivity(unchecked) var contacts = -1
  /// `contacts` by `wa_id` and `user_id`, for a `value` with many contacts.
  @exclusivity(unchecked) var contactIndex = ContactIndex()

  init(options: Options = Options()) {
    self.options = options
    problems.reserveCapacity(8)
    plan.reserveCapacity(16)
  }

  /// Converts one body. Returns true and writes its events to `out` (each ended by `\n`), or
  /// returns false with `problems` set and writes nothing.
  func convert(_ line: Line, to out: OutputBuffer) -> Bool {
    problems.removeAll(keepingCapacity: true)
    plan.removeAll(keepingCapacity: true)
    tally.reset()
    if line.isTruncated {
      add(
        .lineTooLong, "",
        "body is \(line.length) bytes, longer than the limit of \(line.bytes.count)")
      return false
    }
    guard tape.parse(line.bytes) else {
      let e = tape.error ?? JSONError(kind: .invalidJSON, offset: 0, message: "", path: "")
      problems.append(
        Problem(.error(EventValidator.code(of: e.kind)), path: e.path, message: e.message))
      return false
    }
    walkBody()
    guard problems.isEmpty else { return false }
    for event in plan { writer.write(event, from: tape, to: out) }
    return true
  }

  // MARK: The envelope

  private func walkBody() {
    guard tape.nodes[0].kind == .object else {
      return add(
        .notAnObject, "",
        "a webhook body must be a JSON object, got \(tape.nodes[0].kind.article)")
    }
    if let object = tape.member(0, "object") {
      walkCloudAPI(object)
    } else if tape.value(0, "messages") != nil || tape.value(0, "statuses") != nil
      || tape.value(0, "errors") != nil
    {
      walkValue(0, at: .onPremises)
    } else {
      add(
        .missingField, "object",
        "not a WhatsApp webhook body: no \"object\" (Cloud API) and no \"messages\", "
          + "\"statuses\" or \"errors\" (On-Premises API)")
    }
  }

  /// `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":…,"value":…}]}]}`
  private func walkCloudAPI(_ object: Int) {
    guard let object = requireKind(object, .string, "object", "a string") else { return }
    guard tape.stringEquals(object, "whatsapp_business_account") else {
      // Another product's webhook (`page`, `instagram`…): its entries mean nothing here.
      return add(.invalidValue, "object", "must be \"whatsapp_business_account\"")
    }
    guard let entries = requireKind(tape.member(0, "entry"), .array, "entry", "an array")
    else { return }
    tape.forEachElement(entries) { e, entry in
      guard let entry = requireKind(entry, .object, "entry[\(e)]", "an object"),
        let changes = requireKind(
          tape.member(entry, "changes"), .array, "entry[\(e)].changes", "an array")
      else { return }
      tape.forEachElement(changes) { c, change in
        walkChange(change, at: Location(entry: e, change: c))
      }
    }
  }

  private func walkChange(_ change: Int, at location: Location) {
    func path(_ tail: String) -> String {
      "entry[\(location.entry)].changes[\(location.change)]" + tail
    }
    guard let change = requireKind(change, .object, path(""), "an object"),
      let field = requireKind(tape.member(change, "field"), .string, path(".field"), "a string")
    else { return }
    // `smb_message_echoes`: the messages a business on the WhatsApp Business app (onboarded
    // to the Cloud API beside it) sends from the app, which no send log has. Without them its
    // replies were lost: chats it answered had no response at all.
    guard tape.stringEquals(field, "messages") || tape.stringEquals(field, "smb_message_echoes")
    else { return skip(.otherField) }
    guard
      let value = requireKind(tape.member(change, "value"), .object, path(".value"), "an object")
    else { return }
    walkValue(value, at: location)
  }

  /// A `value` (or a whole On-Premises body): its item arrays, in document order.
  private func walkValue(_ value: Int, at location: Location) {
    let scope = location.isOnPremises || !hasItems(value) ? -1 : phoneNumberId(value, location)
    contacts = tape.value(value, "contacts") ?? -1
    contactIndex.contacts = -1  // the tape's node numbers are reused from body to body
    var k = value + 1
    let end = Int(tape.nodes[value].next)
    while k < end {
      let v = k + 1
      if tape.stringEquals(k, "messages") {
        forEachItem(v, "messages", location) { i, item in planMessage(item, i, scope, location) }
      } else if tape.stringEquals(k, "statuses") {
        forEachItem(v, "statuses", location) { i, item in planStatus(item, i, scope, location) }
      } else if tape.stringEquals(k, "message_echoes") {
        forEachItem(v, "message_echoes", location) { i, item in planEcho(item, i, scope, location) }
      } else if tape.stringEquals(k, "errors") {
        forEachItem(v, "errors", location) { _, _ in skip(.valueError) }
      } else if tape.nodes[v].kind == .array, !tape.stringEquals(k, "contacts") {
        // Any other array of a `messages` value holds items too: Meta's marketing-message
        // click events (`user_actions`), or whatever it adds next. Counted, never silently
        // passed over, so `items` says what the body held.
        let reason: SkipReason = tape.stringEquals(k, "user_actions") ? .userAction : .otherItem
        tally.skipped[Int(reason.rawValue)] += Int(tape.nodes[v].count)
      }
      k = Int(tape.nodes[v].next)
    }
  }

  /// Whether `messages[]`, `statuses[]` or `message_echoes[]` has an item (then `chatId`
  /// needs the business number).
  private func hasItems(_ value: Int) -> Bool {
    func nonEmpty(_ node: Int?) -> Bool {
      guard let node else { return false }
      return tape.nodes[node].kind == .array && tape.nodes[node].count > 0
    }
    return nonEmpty(tape.member(value, "messages")) || nonEmpty(tape.member(value, "statuses"))
      || nonEmpty(tape.member(value, "message_echoes"))
  }

  /// `value.metadata.phone_number_id`: the business number, the first half of `chatId`.
  private func phoneNumberId(_ value: Int, _ location: Location) -> Int {
    func path(_ tail: String) -> String { location.prefix + "metadata" + tail }
    guard
      let metadata = requireKind(tape.member(value, "metadata"), .object, path(""), "an object"),
      let id = requireKind(
        tape.member(metadata, "phone_number_id"), .string, path(".phone_number_id"), "a string")
    else { return -1 }
    if !tape.isNonEmptyString(id) { add(.invalidValue, path(".phone_number_id"), "is empty") }
    return id
  }

  /// Calls `body` for each element of the item array at `node` (absent or `null`: none).
  private func forEachItem(
    _ node: Int, _ name: String, _ location: Location, _ body: (Int, Int) -> Void
  ) {
    guard tape.nodes[node].kind != .null,
      let array = requireKind(node, .array, location.prefix + name, "an array")
    else { return }
    tape.forEachElement(array, body)
  }

  // MARK: Problems and tallies

  /// At most this many problems are listed for one body: a 4 MiB body of a million bad items
  /// is one rejected line with a bounded record, not a million-line diagnostic.
  static let problemLimit = 100

  func add(_ code: ProblemCode, _ path: @autoclosure () -> String, _ message: String) {
    guard problems.count < Self.problemLimit else { return }
    var message = message
    if problems.count == Self.problemLimit - 1 {
      message += " (and maybe more problems: only the first \(Self.problemLimit) are listed)"
    }
    problems.append(Problem(.error(code), path: path(), message: message))
  }

  func skip(_ reason: SkipReason) { tally.skipped[Int(reason.rawValue)] += 1 }

  func planned(_ event: PlannedEvent) {
    plan.append(event)
    tally.events[Int(event.kind.rawValue)] += 1
  }

  /// A node of the wanted kind; otherwise `missing_field` (absent or `null`) or `wrong_type`
  /// is recorded at `path` and nil returned.
  func requireKind(
    _ node: Int?, _ kind: JSONKind, _ path: @autoclosure () -> String, _ expected: String
  ) -> Int? {
    let found = tape.kind(node)
    if found == kind { return node }
    if found == .absent || found == .null {
      add(.missingField, path(), found == .null ? "required (is null)" : "required")
    } else {
      add(.wrongType, path(), "must be \(expected), got \(found.article)")
    }
    return nil
  }
}

/// Where an item sits, for problem paths: in a Cloud API change, or at the top of an
/// On-Premises body.
struct Location {
  var entry: Int
  var change: Int

  static let onPremises = Location(entry: -1, change: -1)

  var isOnPremises: Bool { entry < 0 }

  /// The path of the `value` with a trailing dot, or "" for an On-Premises body.
  var prefix: String { isOnPremises ? "" : "entry[\(entry)].changes[\(change)].value." }
}
