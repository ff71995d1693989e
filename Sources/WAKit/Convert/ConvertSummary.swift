/// Why an item of an accepted body produced no event. The names are stable: they appear in
/// the summary line and in `--summary-json`, and users grep for them.
enum SkipReason: UInt8, CaseIterable, Sendable {
  /// A reaction (`type: "reaction"` with an emoji), unless `--include-reactions`.
  case reaction
  /// A reaction removed (`reaction` without `emoji`): a retraction, never an event.
  case reactionRemoved
  /// A `system` message (the user changed number, …): not something the user sent.
  case system
  /// A group message (`group_id`) or a status of one (`recipient_type: "group"`): the
  /// event schema has one user per message.
  case group
  /// No identity at all: neither a phone number (`from`, `recipient_id`) nor a
  /// business-scoped user id (`from_user_id`, `recipient_user_id`).
  case noUserId
  /// A `sent` status under `--no-sent`.
  case statusSent
  /// `edit`, or `unsupported` with `unsupported.type: "edit"`: a user editing an earlier
  /// message, not a new one.
  case edit
  /// `revoke`, or `unsupported` with `unsupported.type: "revoke"`: a user deleting an
  /// earlier message.
  case revoke
  /// `request_welcome` (a user opening the chat, no content), unless `--include-welcome`.
  case requestWelcome
  /// A `played` status (first play of a voice message): no event of the schema.
  case statusPlayed
  /// Any other status value (`deleted`, `warning`, future ones).
  case statusUnknown
  /// An item of `value.errors[]` (or of an On-Premises body's `errors[]`).
  case valueError
  /// A change whose `field` is not `messages` (account_update, templates, …).
  case otherField
  /// An item of `value.user_actions[]`: a user tapping a link of a marketing message (Meta
  /// sends it on the `messages` field): no message of the schema.
  case userAction
  /// An item of any other array of a `value` (not `messages`, `statuses`, `errors`,
  /// `user_actions` or `contacts`): a kind of item newer than this converter.
  case otherItem
  /// A payment status (`type: "payment"`, Payments API: `captured`, `pending`, `failed`):
  /// about the payment of an order message, not the message's delivery.
  case statusPayment

  var name: String {
    switch self {
    case .reaction: return "reaction"
    case .reactionRemoved: return "reaction_removed"
    case .system: return "system"
    case .group: return "group"
    case .noUserId: return "no_user_id"
    case .statusSent: return "status_sent"
    case .edit: return "edit"
    case .revoke: return "revoke"
    case .requestWelcome: return "request_welcome"
    case .statusPlayed: return "status_played"
    case .statusUnknown: return "status_unknown"
    case .valueError: return "value_error"
    case .otherField: return "other_field"
    case .userAction: return "user_action"
    case .otherItem: return "other_item"
    case .statusPayment: return "status_payment"
    }
  }
}

/// The events and skips of one body, merged into the summary only when the body is
/// accepted (a rejected body contributes nothing but its rejection).
struct ItemTally: Equatable, Sendable {
  var events = [Int](repeating: 0, count: EventKind.allCases.count)
  var skipped = [Int](repeating: 0, count: SkipReason.allCases.count)

  init() {}

  mutating func reset() {
    for i in events.indices { events[i] = 0 }
    for i in skipped.indices { skipped[i] = 0 }
  }

  subscript(kind: EventKind) -> Int { events[Int(kind.rawValue)] }
  subscript(reason: SkipReason) -> Int { skipped[Int(reason.rawValue)] }
  var eventCount: Int { events.reduce(0, +) }
  var skippedCount: Int { skipped.reduce(0, +) }
}

/// The end-of-run account of wa-convert: every line (`lines = bodies + rejected + blank`)
/// and every item of the accepted bodies (`items = events + skipped`). An item is an entry of
/// an array of a `value` but `contacts` (`messages[]`, `statuses[]`, `errors[]`,
/// `user_actions[]`, …), or a change of another `field`.
struct ConvertSummary: Equatable, Sendable {
  /// Line accounting and rejection codes, as wa-validate keeps them (`valid` = bodies).
  var lines = Summary()
  var items = ItemTally()

  init() {}

  var bodies: Int { lines.valid }
  var events: Int { items.eventCount }
  var skipped: Int { items.skippedCount }

  mutating func add(_ body: ItemTally) {
    lines.valid += 1
    for i in body.events.indices { items.events[i] += body.events[i] }
    for i in body.skipped.indices { items.skipped[i] += body.skipped[i] }
  }

  /// Non-zero event counts by event name, in the order of SPEC §2.
  var eventsByType: [(String, Int)] {
    EventKind.allCases.filter { items[$0] > 0 }.map { ($0.name, items[$0]) }
  }

  /// Non-zero skip counts by reason.
  var skippedByReason: [(String, Int)] {
    SkipReason.allCases.filter { items[$0] > 0 }.map { ($0.name, items[$0]) }
  }

  /// The one summary line for stderr, e.g. `wa-convert: 120 lines: 117 bodies, 2 rejected,
  /// 1 blank; 260 items: 251 events (message.received 80, …), 9 skipped (reaction 4, …);
  /// rejected: invalid_json 1, invalid_e164 1`.
  func text(tool: String) -> String {
    func list(_ pairs: [(String, Int)]) -> String {
      pairs.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }
    var s = "\(tool): \(lines.lines) lines: \(bodies) bodies, \(lines.rejected) rejected, "
    s += "\(lines.blank) blank; \(events + skipped) items: \(events) events"
    if events > 0 { s += " (\(list(eventsByType)))" }
    s += ", \(skipped) skipped"
    if skipped > 0 { s += " (\(list(skippedByReason)))" }
    let codes = lines.rejectedByCode
    if !codes.isEmpty { s += "; rejected: " + list(codes) }
    if lines.unreadableInputs > 0 { s += "; \(lines.unreadableInputs) input(s) could not be read" }
    return s
  }

  /// The summary as one JSON object (`--summary-json`): `{"tool":…,"version":…,"lines":…,
  /// "bodies":…,"rejected":…,"blank":…,"items":…,"events":…,"skipped":…,"eventsByType":{…},
  /// "skippedByReason":{…},"rejectedByCode":{…},"unreadableInputs":…}`.
  func json(tool: String, version: String) -> String {
    let object = Summary.countsObject
    return "{\"tool\":\"\(tool)\",\"version\":\"\(version)\",\"lines\":\(lines.lines),"
      + "\"bodies\":\(bodies),\"rejected\":\(lines.rejected),\"blank\":\(lines.blank),"
      + "\"items\":\(events + skipped),\"events\":\(events),\"skipped\":\(skipped),"
      + "\"eventsByType\":\(object(eventsByType)),\"skippedByReason\":\(object(skippedByReason)),"
      + "\"rejectedByCode\":\(object(lines.rejectedByCode)),"
      + "\"unreadableInputs\":\(lines.unreadableInputs)}"
  }
}

extension ConvertSummary: RunSummary {
  var rejectedLines: Int { lines.rejected }
  mutating func countUnreadable(_ inputs: Int) { lines.unreadableInputs += inputs }
  func summaryLine(tool: String) -> String { text(tool: tool) }
}
