#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The fields of an event that the tools read, each with a fixed slot in the scanner's table
/// of `ValueRef`s (`JSONScanner.fields`).
///
/// The scanner recognises these names while it validates, so the schema, the enricher and
/// the aggregator look a field up by slot instead of searching the line again. Slots are
/// grouped by the object they live in: top level, `properties`, `properties.pricing`,
/// `context`.
enum EventField: Int, CaseIterable, Sendable {
  // Top level. (`batch`: a batch line's array of events, SPEC §2 "Batches".)
  case type, event, userId, timestamp, receivedAt, properties, context, batch
  // Inside `properties`.
  case messageId, chatId, contentType, hasMedia, replyTo, templateId, agentId, isAutomated
  case messageCount, durationMinutes, resolution, source, countryCode, errorCode, errorTitle
  case previousAgentId, assignmentType, campaignId, campaignName, recipientCount, pricing
  // Inside `properties.pricing`.
  case pricingBillable, pricingModel, pricingCategory, pricingType
  // Inside `context`.
  case channel, contextCountryCode, contextCallingCode, bsuid, username

  /// At most 64: `JSONScanner` keeps the slots an object has seen in a `UInt64`.
  static let count = EventField.username.rawValue + 1

  /// The JSON path used in problem reports, such as `properties.messageId`.
  var path: String {
    switch self {
    case .type: return "type"
    case .event: return "event"
    case .userId: return "userId"
    case .timestamp: return "timestamp"
    case .receivedAt: return "receivedAt"
    case .properties: return "properties"
    case .context: return "context"
    case .batch: return "batch"
    case .messageId: return "properties.messageId"
    case .chatId: return "properties.chatId"
    case .contentType: return "properties.contentType"
    case .hasMedia: return "properties.hasMedia"
    case .replyTo: return "properties.replyTo"
    case .templateId: return "properties.templateId"
    case .agentId: return "properties.agentId"
    case .isAutomated: return "properties.isAutomated"
    case .messageCount: return "properties.messageCount"
    case .durationMinutes: return "properties.durationMinutes"
    case .resolution: return "properties.resolution"
    case .source: return "properties.source"
    case .countryCode: return "properties.countryCode"
    case .errorCode: return "properties.errorCode"
    case .errorTitle: return "properties.errorTitle"
    case .previousAgentId: return "properties.previousAgentId"
    case .assignmentType: return "properties.assignmentType"
    case .campaignId: return "properties.campaignId"
    case .campaignName: return "properties.campaignName"
    case .recipientCount: return "properties.recipientCount"
    case .pricing: return "properties.pricing"
    case .pricingBillable: return "properties.pricing.billable"
    case .pricingModel: return "properties.pricing.model"
    case .pricingCategory: return "properties.pricing.category"
    case .pricingType: return "properties.pricing.type"
    case .channel: return "context.channel"
    case .contextCountryCode: return "context.countryCode"
    case .contextCallingCode: return "context.callingCode"
    case .bsuid: return "context.bsuid"
    case .username: return "context.username"
    }
  }
}

/// Which table of names applies to the keys of an object being scanned.
enum FieldScope: UInt8 {
  case none, top, properties, pricing, context
}

/// Maps a key's bytes to its field slot with a perfect hash: no search, no call, one table
/// entry and two word compares per key.
///
/// A key is hashed from its length and its first and last four bytes (every name is 4 to 15
/// bytes long, so both loads stay inside the key, and a key of another length is no field),
/// multiplied into five bits. The multiplier was searched so that the names of each scope
/// land in distinct entries of that scope's 32 (`FieldNamesTests` checks it, and `table`
/// refuses to build otherwise). The entry holds the name's length, slot and the words to
/// compare: the same two four-byte words for names up to 8 bytes, the first and last eight
/// bytes for longer ones. This replaced a switch on the scope and the length followed by
/// word compares of each candidate name, which was a call per key and 10% of
/// wa-validate's instructions (docs/benchmarks.md).
enum FieldNames {
  /// One entry of `table`. `length` 0 is an empty entry: no key of 4 bytes or more matches.
  struct Entry {
    var first: UInt64 = 0
    var last: UInt64 = 0
    var length: Int32 = 0
    var slot: Int32 = -1
  }

  /// The multiplier of the hash (see the type's documentation).
  static let multiplier: UInt64 = 0xC062_2803_B5E5_E455
  /// Entries per scope: the hash's five bits.
  static let scopeBits = 5

  /// The entries of the five scopes one after the other (`.none`'s all empty), built once.
  /// Held in a pointer, not an array, so a lookup has no bounds or uniqueness check; never
  /// written after it is built, so any thread may read it.
  nonisolated(unsafe) static let table: UnsafePointer<Entry> = {
    let scopes = 5
    let entries = UnsafeMutablePointer<Entry>.allocate(capacity: scopes << scopeBits)
    entries.initialize(repeating: Entry(), count: scopes << scopeBits)
    for field in EventField.allCases {
      guard let (scope, name) = scopedName(of: field) else { continue }
      name.withUTF8Buffer { bytes in
        let key = bytes.baseAddress!
        let words = Self.words(key, bytes.count)
        let index = Int(scope.rawValue) << scopeBits | hash(words.hashed, bytes.count)
        precondition(entries[index].length == 0, "field names collide in the hash: \(name)")
        entries[index] = Entry(
          first: words.first, last: words.last, length: Int32(bytes.count),
          slot: Int32(field.rawValue))
      }
    }
    return UnsafePointer(entries)
  }()

  /// The scope a field's key belongs to, and its name there (its path's last component).
  static func scopedName(of field: EventField) -> (FieldScope, StaticString)? {
    switch field {
    case .type: return (.top, "type")
    case .event: return (.top, "event")
    case .userId: return (.top, "userId")
    case .timestamp: return (.top, "timestamp")
    case .receivedAt: return (.top, "receivedAt")
    case .properties: return (.top, "properties")
    case .context: return (.top, "context")
    case .batch: return (.top, "batch")
    case .messageId: return (.properties, "messageId")
    case .chatId: return (.properties, "chatId")
    case .contentType: return (.properties, "contentType")
    case .hasMedia: return (.properties, "hasMedia")
    case .replyTo: return (.properties, "replyTo")
    case .templateId: return (.properties, "templateId")
    case .agentId: return (.properties, "agentId")
    case .isAutomated: return (.properties, "isAutomated")
    case .messageCount: return (.properties, "messageCount")
    case .durationMinutes: return (.properties, "durationMinutes")
    case .resolution: return (.properties, "resolution")
    case .source: return (.properties, "source")
    case .countryCode: return (.properties, "countryCode")
    case .errorCode: return (.properties, "errorCode")
    case .errorTitle: return (.properties, "errorTitle")
    case .previousAgentId: return (.properties, "previousAgentId")
    case .assignmentType: return (.properties, "assignmentType")
    case .campaignId: return (.properties, "campaignId")
    case .campaignName: return (.properties, "campaignName")
    case .recipientCount: return (.properties, "recipientCount")
    case .pricing: return (.properties, "pricing")
    case .pricingBillable: return (.pricing, "billable")
    case .pricingModel: return (.pricing, "model")
    case .pricingCategory: return (.pricing, "category")
    case .pricingType: return (.pricing, "type")
    case .channel: return (.context, "channel")
    case .contextCountryCode: return (.context, "countryCode")
    case .contextCallingCode: return (.context, "callingCode")
    case .bsuid: return (.context, "bsuid")
    case .username: return (.context, "username")
    }
  }

  /// The words a key of `n` bytes (4...15) is hashed and compared by.
  @inline(__always)
  static func words(_ key: UnsafePointer<UInt8>, _ n: Int) -> (
    hashed: UInt64, first: UInt64, last: UInt64
  ) {
    let raw = UnsafeRawPointer(key)
    let head = UInt64(raw.loadUnaligned(as: UInt32.self))
    let tail = UInt64(raw.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self))
    let hashed = tail &<< 32 | head
    guard n > 8 else { return (hashed, head, tail) }
    return (
      hashed, raw.loadUnaligned(as: UInt64.self),
      raw.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
    )
  }

  @inline(__always)
  static func hash(_ hashed: UInt64, _ n: Int) -> Int {
    // Parenthesised: Swift's shifts bind tighter than its multiplication.
    let product = (hashed ^ UInt64(truncatingIfNeeded: n)) &* multiplier
    return Int(truncatingIfNeeded: product &>> UInt64(64 - scopeBits))
  }

  @inline(__always)
  static func slot(_ key: UnsafePointer<UInt8>, _ n: Int, scope: FieldScope) -> Int {
    slot(key, n, in: entries(of: scope, in: table))
  }

  /// The entries of `scope` in `table`: what `slot(_:_:in:)` reads.
  @inline(__always)
  static func entries(of scope: FieldScope, in table: UnsafePointer<Entry>) -> UnsafePointer<Entry>
  {
    table + (Int(scope.rawValue) &<< scopeBits)
  }

  /// The slot of the key `key[0..<n]` in the scope whose entries are `entries`, or -1.
  /// Reads only inside the key.
  @inline(__always)
  static func slot(_ key: UnsafePointer<UInt8>, _ n: Int, in entries: UnsafePointer<Entry>) -> Int {
    guard UInt(bitPattern: n &- 4) < 12 else { return -1 }
    let w = words(key, n)
    let entry = entries[hash(w.hashed, n)]
    guard w.first == entry.first, w.last == entry.last, Int32(truncatingIfNeeded: n) == entry.length
    else { return -1 }
    return Int(entry.slot)
  }

  /// The scope of an object that is the value of the field in `slot` (slots are unique
  /// across scopes, so the slot alone says which object it is).
  @inline(__always)
  static func childScope(ofSlot slot: Int) -> FieldScope {
    if slot == EventField.properties.rawValue { return .properties }
    if slot == EventField.context.rawValue { return .context }
    if slot == EventField.pricing.rawValue { return .pricing }
    return .none
  }
}
