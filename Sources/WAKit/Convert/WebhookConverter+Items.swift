/// One event to write, planned while its body is checked. Node indices point into the
/// converter's tape; strings are written from there, so planning copies nothing.
struct PlannedEvent {
  var kind: EventKind
  /// `id`: the wamid, `properties.messageId`.
  var id: Int
  /// `from` or `recipient_id` (the phone number: digits, maybe after a `+`), or the BSUID
  /// of a user known only by one (`from_user_id`, `recipient_user_id`).
  var user: Int
  /// Whether `user` is a phone number (written with `+`) rather than a BSUID.
  var userIsPhone = true
  /// The BSUID beside a phone number (`context.bsuid`), or -1.
  var bsuid = -1
  /// `contacts[].profile.username` of the message's user (`context.username`), or -1.
  var username = -1
  /// A status's `pricing` object (`properties.pricing`), or -1.
  var pricing = -1
  /// Unix seconds of `timestamp`.
  var seconds: Int64
  /// `metadata.phone_number_id`, for `chatId`; -1 in an On-Premises body.
  var scope: Int
  /// `type` of a message (`contentType`), or -1.
  var contentType = -1
  /// The `contentType` to write instead of `type` (a type outside the shared list).
  var contentTypeName: StaticString? = nil
  /// `context.id` (or a reaction's `message_id`): `replyTo`, or -1.
  var replyTo = -1
  var hasMedia = false
  /// `errors[0].code` and `errors[0].title` of a failed status.
  var errorCode: Int64? = nil
  var errorTitle = -1

  init(_ kind: EventKind, id: Int, user: Int, seconds: Int64, scope: Int) {
    self.kind = kind
    self.id = id
    self.user = user
    self.seconds = seconds
    self.scope = scope
  }
}

/// The items: `messages[]` → `message.received`, `statuses[]` → `message.sent`,
/// `.delivered`, `.read`, `.failed`; everything else skipped with a reason.
extension WebhookConverter {
  /// The largest accepted `timestamp`: 9999-12-31T23:59:59Z, the last second RFC 3339 can
  /// write with a four-digit year.
  static let maxUnixSeconds: Int64 = 253_402_300_799

  func planMessage(_ item: Int, _ index: Int, _ scope: Int, _ location: Location) {
    func path(_ field: String) -> String {
      location.prefix + "messages[\(index)]" + (field.isEmpty ? "" : "." + field)
    }
    guard let item = requireKind(item, .object, path(""), "an object") else { return }
    if tape.value(item, "group_id") != nil { return skip(.group) }
    guard let type = requireKind(tape.member(item, "type"), .string, path("type"), "a string")
    else { return }
    if tape.stringEquals(type, "system") { return skip(.system) }
    // Edits and deletions of an earlier message are not new messages (SPEC §7, version 2);
    // nor is a user opening the chat (`request_welcome`), unless asked for.
    if let reason = editOrDeletion(item, type) { return skip(reason) }
    if tape.stringEquals(type, "request_welcome"), !options.includeWelcome {
      return skip(.requestWelcome)
    }
    var reactionTarget = -1
    if tape.stringEquals(type, "reaction") {
      let reaction = tape.value(item, "reaction")
      let emoji = reaction.flatMap { tape.value($0, "emoji") }
      guard let emoji, tape.isNonEmptyString(emoji) else { return skip(.reactionRemoved) }
      guard options.includeReactions else { return skip(.reaction) }
      if let target = reaction.flatMap({ tape.value($0, "message_id") }),
        tape.isNonEmptyString(target)
      {
        reactionTarget = target
      }
    }
    let who = identity(item, "from", "from_user_id", path)
    if who == .skipped { return }
    let id = identifier(item, "id", path("id"))
    let seconds = unixSeconds(item, path("timestamp"))
    guard case .valid(let user, let isPhone, let bsuid) = who, let id, let seconds,
      let replyTo =
        reactionTarget >= 0
        ? reactionTarget : replyTarget(item, user, bsuid: isPhone ? bsuid : user, path)
    else { return }
    var event = PlannedEvent(.received, id: id, user: user, seconds: seconds, scope: scope)
    event.userIsPhone = isPhone
    event.bsuid = bsuid
    event.username = username(of: isPhone ? user : -1, bsuid: isPhone ? bsuid : user)
    event.contentType = type
    let isVoice = tape.stringEquals(type, "voice")
    // Only types of the shared list go out as they are, so `wa-validate --strict` takes every
    // event wa-convert writes; one Meta adds later is written as Meta's own `unknown`. The
    // On-Premises API's `voice` is a voice note: `audio`.
    if isVoice {
      event.contentTypeName = "audio"
    } else if !tape.withDecoded(type, ContentTypes.isKnown) {
      event.contentTypeName = "unknown"
    }
    event.replyTo = replyTo
    // Media only when the type's object carries a media id to download.
    let mediaKey: StaticString? = isVoice ? "voice" : tape.withDecoded(type, Self.mediaKey)
    if let mediaKey, let object = tape.value(item, mediaKey), tape.nodes[object].kind == .object,
      let mediaId = tape.value(object, "id"), tape.isNonEmptyString(mediaId)
    {
      event.hasMedia = true
    }
    planned(event)
  }

  /// An item of `message_echoes[]` (field `smb_message_echoes`): a message the business sent
  /// from the WhatsApp Business app to the user `to` (`to_user_id`, a BSUID, beside or
  /// instead of the number) → `message.sent` with its `contentType`. No send log has it, so
  /// `--no-sent` keeps it. An echo of an edit, a deletion or a reaction is no new message.
  func planEcho(_ item: Int, _ index: Int, _ scope: Int, _ location: Location) {
    func path(_ field: String) -> String {
      location.prefix + "message_echoes[\(index)]" + (field.isEmpty ? "" : "." + field)
    }
    guard let item = requireKind(item, .object, path(""), "an object") else { return }
    if tape.value(item, "group_id") != nil { return skip(.group) }
    guard let type = requireKind(tape.member(item, "type"), .string, path("type"), "a string")
    else { return }
    if let reason = editOrDeletion(item, type) { return skip(reason) }
    if tape.stringEquals(type, "reaction") { return skip(.reaction) }
    let who = identity(item, "to", "to_user_id", path)
    if who == .skipped { return }
    let id = identifier(item, "id", path("id"))
    let seconds = unixSeconds(item, path("timestamp"))
    guard case .valid(let user, let isPhone, let bsuid) = who, let id, let seconds else { return }
    var event = PlannedEvent(.sent, id: id, user: user, seconds: seconds, scope: scope)
    event.userIsPhone = isPhone
    event.bsuid = bsuid
    event.contentType = type
    if !tape.withDecoded(type, ContentTypes.isKnown) { event.contentTypeName = "unknown" }
    planned(event)
  }

  /// `edit` or `revoke` when a message or an echo of `type` edits or deletes an earlier
  /// message, as `type` itself or as an `unsupported` one's `unsupported.type`; nil otherwise.
  private func editOrDeletion(_ item: Int, _ type: Int) -> SkipReason? {
    var kind = type
    if tape.stringEquals(type, "unsupported"), let unsupported = tape.value(item, "unsupported"),
      let inner = tape.value(unsupported, "type")
    {
      kind = inner
    }
    if tape.stringEquals(kind, "edit") { return .edit }
    if tape.stringEquals(kind, "revoke") { return .revoke }
    return nil
  }

  func planStatus(_ item: Int, _ index: Int, _ scope: Int, _ location: Location) {
    func path(_ field: String) -> String {
      location.prefix + "statuses[\(index)]" + (field.isEmpty ? "" : "." + field)
    }
    guard let item = requireKind(item, .object, path(""), "an object"),
      let status = requireKind(tape.member(item, "status"), .string, path("status"), "a string")
    else { return }
    if let type = tape.value(item, "recipient_type"), tape.stringEquals(type, "group") {
      return skip(.group)
    }
    // A payment status names the order message it pays for, with a status of its own
    // (`captured`, `pending`, `failed`): a failed payment is no failed delivery.
    if let type = tape.value(item, "type"), tape.stringEquals(type, "payment") {
      return skip(.statusPayment)
    }
    let kind: EventKind
    if tape.stringEquals(status, "sent") {
      if options.noSent { return skip(.statusSent) }
      kind = .sent
    } else if tape.stringEquals(status, "delivered") {
      kind = .delivered
    } else if tape.stringEquals(status, "read") {
      kind = .read
    } else if tape.stringEquals(status, "failed") {
      kind = .failed
    } else {
      return skip(tape.stringEquals(status, "played") ? .statusPlayed : .statusUnknown)
    }
    // The On-Premises API from v2.45 moved a status's `recipient_id` into `message`.
    var phoneIn: (node: Int, prefix: String)? = nil
    if tape.value(item, "recipient_id") == nil, let message = tape.value(item, "message"),
      tape.nodes[message].kind == .object
    {
      phoneIn = (message, "message.")
    }
    let who = identity(item, "recipient_id", "recipient_user_id", path, phoneIn: phoneIn)
    if who == .skipped { return }
    let id = identifier(item, "id", path("id"))
    let seconds = unixSeconds(item, path("timestamp"))
    guard case .valid(let user, let isPhone, let bsuid) = who, let id, let seconds else { return }
    var event = PlannedEvent(kind, id: id, user: user, seconds: seconds, scope: scope)
    event.userIsPhone = isPhone
    event.bsuid = bsuid
    // Meta names a username user in the contact of a delivered or read status too.
    event.username = username(of: isPhone ? user : -1, bsuid: isPhone ? bsuid : user)
    if kind == .failed, !firstError(item, path, into: &event) { return }
    // `pricing` is carried on sent, delivered and read (SPEC §2); `conversation` is not.
    if kind != .failed, let pricing = tape.value(item, "pricing"),
      tape.nodes[pricing].kind == .object
    {
      event.pricing = pricing
    }
    planned(event)
  }

  // MARK: Fields

  /// The user of an item (SPEC §7, version 2): the phone number at `phoneKey` — a string of
  /// 7–15 digits, the first not 0, with an assigned country calling code (a leading `+` is
  /// accepted: Meta's reference shows one) — and the BSUID at `bsuidKey`. A user with a
  /// username has an empty or absent phone number: the BSUID is then the user. An item with
  /// neither is skipped (`no_user_id`); a malformed one is a problem of the body.
  /// `phoneIn` names the object holding `phoneKey` when it is not `item` itself (with its path
  /// prefix, such as `message.`).
  func identity(
    _ item: Int, _ phoneKey: StaticString, _ bsuidKey: StaticString,
    _ path: (String) -> String, phoneIn: (node: Int, prefix: String)? = nil
  ) -> Identity {
    let phoneName = (phoneIn?.prefix ?? "") + "\(phoneKey)"
    let bsuidName = "\(bsuidKey)"
    var phone = -1
    var bsuid = -1
    var bad = false
    if let node = tape.value(phoneIn?.node ?? item, phoneKey) {
      if requireKind(node, .string, path(phoneName), "a string") == nil {
        bad = true
      } else if tape.isNonEmptyString(node) {
        switch tape.withDecoded(node, Self.checkPhone) {
        case .valid: phone = node
        case .malformed:
          bad = true
          add(
            .invalidE164, path(phoneName), "must be a phone number: 7 to 15 digits, the first not 0"
          )
        case .unassigned:
          bad = true
          add(.invalidE164, path(phoneName), "does not start with an assigned country calling code")
        }
      }
    }
    if let node = tape.value(item, bsuidKey) {
      if requireKind(node, .string, path(bsuidName), "a string") == nil {
        bad = true
      } else if tape.isNonEmptyString(node) {
        if case .failure(let failure) = tape.withDecoded(node, BSUID.parse) {
          bad = true
          add(.invalidUserId, path(bsuidName), BSUID.message(failure))
        } else {
          bsuid = node
        }
      }
    }
    if bad { return .invalid }
    if phone >= 0 {
      // A status of a message sent to the number may have no `recipient_user_id`, though its
      // contact gives the BSUID beside the number: the link wa-aggregate needs to know the
      // user when they later write under the BSUID alone.
      return .valid(phone, isPhone: true, bsuid: bsuid >= 0 ? bsuid : contactBSUID(ofPhone: phone))
    }
    if bsuid >= 0 {
      // A status of a message sent to the BSUID has no `recipient_id`, though its contact
      // may give the number (`wa_id`) by the same rules as the user's own messages, which
      // then have `from`: the number is the user then, so both directions share `chatId`.
      let number = contactPhone(ofBSUID: bsuid)
      if number >= 0 { return .valid(number, isPhone: true, bsuid: bsuid) }
      return .valid(bsuid, isPhone: false, bsuid: -1)
    }
    skip(.noUserId)
    return .skipped
  }

  /// The user of an item: a phone number or a BSUID (with the BSUID beside a phone number,
  /// or -1), a skip, or a problem (recorded).
  enum Identity: Equatable {
    case valid(Int, isPhone: Bool, bsuid: Int)
    case skipped
    case invalid
  }

  /// `contacts[].profile.username` of the first contact whose `wa_id` is the phone number at
  /// node `phone` or whose `user_id` is the BSUID at node `bsuid` (either may be -1), or -1.
  func username(of phone: Int, bsuid: Int) -> Int {
    guard contacts >= 0, tape.nodes[contacts].kind == .array else { return -1 }
    // Every message looks its user up: past a few contacts, a walk per message would make a
    // body of n messages and n contacts cost n² (20,000 of each in 3.5 MB: 21 s).
    if tape.nodes[contacts].count > ContactIndex.walkLimit {
      return indexedUsername(of: phone, bsuid: bsuid)
    }
    var found = -1
    tape.forEachElement(contacts) { _, contact in
      guard found < 0, let entry = contactEntry(contact) else { return }
      if phone >= 0, entry.waId >= 0, samePhone(entry.waId, phone) {
        found = entry.name
      } else if bsuid >= 0, entry.userId >= 0, samePhone(entry.userId, bsuid) {
        found = entry.name
      }
    }
    return found
  }

  /// A contact's non-empty `profile.username`, with its `wa_id` and `user_id` string nodes
  /// (-1 when absent or not strings); nil for a contact without a username.
  private func contactEntry(_ contact: Int) -> (name: Int, waId: Int, userId: Int)? {
    contactIndex.visits += 1
    guard tape.nodes[contact].kind == .object,
      let profile = tape.value(contact, "profile"), tape.nodes[profile].kind == .object,
      let name = tape.value(profile, "username"), tape.isNonEmptyString(name)
    else { return nil }
    func string(_ key: StaticString) -> Int {
      guard let node = tape.value(contact, key), tape.nodes[node].kind == .string else {
        return -1
      }
      return node
    }
    return (name, string("wa_id"), string("user_id"))
  }

  /// Builds `contactIndex` for this `value`'s contacts, on the first lookup in it: one walk
  /// for the usernames and the number–BSUID pairs, the first contact winning as in the walks.
  private func indexContacts() {
    guard contactIndex.contacts != contacts else { return }
    contactIndex.contacts = contacts
    contactIndex.byPhone.removeAll(keepingCapacity: true)
    contactIndex.byUser.removeAll(keepingCapacity: true)
    contactIndex.phoneByUser.removeAll(keepingCapacity: true)
    contactIndex.userByPhone.removeAll(keepingCapacity: true)
    tape.forEachElement(contacts) { order, contact in
      if let entry = contactEntry(contact) {
        if entry.waId >= 0 {
          let key = tape.withDecoded(entry.waId) { [UInt8](Self.digits($0)) }
          if contactIndex.byPhone[key] == nil { contactIndex.byPhone[key] = (order, entry.name) }
        }
        if entry.userId >= 0 {
          let key = tape.withDecoded(entry.userId) { [UInt8](Self.digits($0)) }
          if contactIndex.byUser[key] == nil { contactIndex.byUser[key] = (order, entry.name) }
        }
      }
      if let pair = contactPair(contact) {
        let user = tape.withDecoded(pair.userId) { [UInt8]($0) }
        let phone = tape.withDecoded(pair.waId) { [UInt8](Self.digits($0)) }
        if contactIndex.phoneByUser[user] == nil { contactIndex.phoneByUser[user] = pair.waId }
        if contactIndex.userByPhone[phone] == nil { contactIndex.userByPhone[phone] = pair.userId }
      }
    }
  }

  /// `username(of:bsuid:)` through `contactIndex`: the same answer as the walk (the first
  /// matching contact in document order).
  private func indexedUsername(of phone: Int, bsuid: Int) -> Int {
    indexContacts()
    var found: ContactIndex.Entry? = nil
    if phone >= 0 {
      found = tape.withDecoded(phone) { contactIndex.byPhone[[UInt8](Self.digits($0))] }
    }
    if bsuid >= 0,
      let hit = tape.withDecoded(bsuid, { contactIndex.byUser[[UInt8](Self.digits($0))] }),
      hit.order < found?.order ?? Int.max
    {
      found = hit
    }
    return found?.name ?? -1
  }

  /// The `wa_id` of the first contact whose `user_id` is the BSUID at node `bsuid`, or -1.
  func contactPhone(ofBSUID bsuid: Int) -> Int { contactPartner(of: bsuid, isPhone: false) }

  /// The `user_id` of the first contact whose `wa_id` is the phone number at node `phone`, or
  /// -1.
  func contactBSUID(ofPhone phone: Int) -> Int { contactPartner(of: phone, isPhone: true) }

  /// The other identifier of the first contact naming the user at node `user` (a phone number
  /// when `isPhone`, else a BSUID): only contacts whose `wa_id` is a valid phone number and
  /// whose `user_id` a valid BSUID count (a malformed one is passed over: it was never the
  /// item's own field, so it rejects nothing).
  private func contactPartner(of user: Int, isPhone: Bool) -> Int {
    guard contacts >= 0, tape.nodes[contacts].kind == .array else { return -1 }
    // As for usernames: past a few contacts, one index per `value` rather than a walk per
    // item.
    if tape.nodes[contacts].count > ContactIndex.walkLimit {
      indexContacts()
      if isPhone {
        return tape.withDecoded(user) { contactIndex.userByPhone[[UInt8](Self.digits($0))] } ?? -1
      }
      return tape.withDecoded(user) { contactIndex.phoneByUser[[UInt8]($0)] } ?? -1
    }
    var partner = -1
    tape.forEachElement(contacts) { _, contact in
      guard partner < 0, let found = contactPair(contact) else { return }
      if isPhone {
        if samePhone(found.waId, user) { partner = found.userId }
      } else if samePhone(found.userId, user) {
        partner = found.waId
      }
    }
    return partner
  }

  /// A contact's `user_id` and `wa_id` string nodes when the number is a valid phone number
  /// and the BSUID a valid BSUID; nil otherwise.
  private func contactPair(_ contact: Int) -> (userId: Int, waId: Int)? {
    contactIndex.visits += 1
    guard tape.nodes[contact].kind == .object,
      let userId = tape.value(contact, "user_id"), tape.isNonEmptyString(userId),
      let waId = tape.value(contact, "wa_id"), tape.isNonEmptyString(waId),
      tape.withDecoded(waId, Self.checkPhone) == .valid
    else { return nil }
    if case .failure = tape.withDecoded(userId, BSUID.parse) { return nil }
    return (userId, waId)
  }

  enum PhoneCheck { case valid, malformed, unassigned }

  static func checkPhone(_ bytes: UnsafeRawBufferPointer) -> PhoneCheck {
    let digits = Self.digits(bytes)
    guard digits.count >= 7, digits.count <= 15, digits[0] != 0x30 else { return .malformed }
    for d in digits where d &- 0x30 >= 10 { return .malformed }
    return PhoneRegions.lookup(digits: digits) == nil ? .unassigned : .valid
  }

  /// A required identifier: a non-empty string.
  func identifier(_ item: Int, _ key: StaticString, _ path: @autoclosure () -> String) -> Int? {
    guard let node = requireKind(tape.member(item, key), .string, path(), "a string") else {
      return nil
    }
    guard tape.isNonEmptyString(node) else {
      add(.invalidValue, path(), "must not be empty")
      return nil
    }
    return node
  }

  /// `timestamp`: unix seconds, as Meta sends them (a string of digits, `"1749416383"`); a
  /// JSON integer is accepted too, for logs that re-encoded the body.
  func unixSeconds(_ item: Int, _ path: @autoclosure () -> String) -> Int64? {
    let node = tape.member(item, "timestamp")
    switch tape.kind(node) {
    case .string:
      guard let node else { return nil }
      let value = tape.withDecoded(node) { bytes -> Int64? in
        guard bytes.count >= 1, bytes.count <= 12 else { return nil }
        var v: Int64 = 0
        for d in bytes {
          guard d &- 0x30 < 10 else { return nil }
          v = v * 10 + Int64(d - 0x30)
        }
        return v
      }
      if let value, value <= Self.maxUnixSeconds { return value }
    case .number:
      if let node, let v = tape.int64(node), v >= 0, v <= Self.maxUnixSeconds { return v }
    default:
      _ = requireKind(node, .string, path(), "a string of unix seconds")
      return nil
    }
    add(
      .invalidTimestamp, path(),
      "must be unix seconds from 0 to 253402300799, such as \"1749416383\"")
    return nil
  }

  /// `context.id`, the business message the user quoted or whose button they tapped: -1
  /// when there is none (no context, or a forwarded message's context), and also when
  /// `context.from` is the user's own number, or `context.from_user_id` their own BSUID (at
  /// node `bsuid`, -1 if none): they quoted themselves. nil: a problem.
  func replyTarget(_ item: Int, _ user: Int, bsuid: Int, _ path: (String) -> String) -> Int? {
    guard let context = tape.value(item, "context") else { return -1 }
    guard requireKind(context, .object, path("context"), "an object") != nil else { return nil }
    guard tape.value(context, "id") != nil else { return -1 }
    guard let id = identifier(context, "id", path("context.id")) else { return nil }
    if let from = tape.value(context, "from"), tape.nodes[from].kind == .string,
      samePhone(from, user)
    {
      return -1
    }
    // A user known by a username quotes their own message with no `from`, only their BSUID.
    if bsuid >= 0, let from = tape.value(context, "from_user_id"),
      tape.nodes[from].kind == .string, samePhone(from, bsuid)
    {
      return -1
    }
    return id
  }

  /// Whether two phone-number strings have the same digits (either may start with `+`);
  /// for two BSUIDs, whether they are equal.
  private func samePhone(_ a: Int, _ b: Int) -> Bool {
    tape.withDecoded(a) { x in
      tape.withDecoded(b) { y in Self.digits(x).elementsEqual(Self.digits(y)) }
    }
  }

  /// A phone number's digits: the bytes after a leading `+`, if any.
  static func digits(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    bytes.first == 0x2B ? UnsafeRawBufferPointer(rebasing: bytes.dropFirst()) : bytes
  }

  /// `errors[0]` of a failed status: `code` → `errorCode`, `title` (else `message`) →
  /// `errorTitle`. Meta sends one error; any others are not events of their own.
  func firstError(_ item: Int, _ path: (String) -> String, into event: inout PlannedEvent)
    -> Bool
  {
    guard let errors = tape.value(item, "errors") else { return true }
    guard requireKind(errors, .array, path("errors"), "an array") != nil else { return false }
    guard let first = tape.firstElement(errors) else { return true }
    guard requireKind(first, .object, path("errors[0]"), "an object") != nil else { return false }
    if let code = tape.value(first, "code") {
      guard tape.nodes[code].kind == .number, let value = tape.int64(code) else {
        add(.wrongType, path("errors[0].code"), "must be an integer")
        return false
      }
      event.errorCode = value
    }
    for key: StaticString in ["title", "message"] {
      guard let title = tape.value(first, key) else { continue }
      guard requireKind(title, .string, path("errors[0].\(key)"), "a string") != nil else {
        return false
      }
      event.errorTitle = title
      break
    }
    return true
  }

  /// The types whose object may carry a media `id` to download — image, video, audio,
  /// document, sticker (`hasMedia` when it does). A caption does not make text media; a location, contact card,
  /// button or reaction is not media.
  static func mediaKey(_ type: UnsafeRawBufferPointer) -> StaticString? {
    func eq(_ s: StaticString) -> Bool {
      type.count == s.utf8CodeUnitCount
        && type.elementsEqual(UnsafeRawBufferPointer(start: s.utf8Start, count: type.count))
    }
    // An if chain, not a loop over an array literal: no allocation per message.
    if eq("image") { return "image" }
    if eq("video") { return "video" }
    if eq("audio") { return "audio" }
    if eq("document") { return "document" }
    if eq("sticker") { return "sticker" }
    return nil
  }
}
