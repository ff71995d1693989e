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

/// Maps a key's bytes to its field slot, by length first so most keys cost one compare.
enum FieldNames {
  @inline(__always)
  static func slot(_ key: UnsafePointer<UInt8>, _ n: Int, scope: FieldScope) -> Int {
    switch scope {
    case .none: return -1
    case .top: return top(key, n)
    case .properties: return properties(key, n)
    case .pricing: return pricing(key, n)
    case .context: return context(key, n)
    }
  }

  /// Whether the key (already known to have the name's length) is `name`: two overlapping
  /// word loads from each side instead of a `memcmp` call. Names are 4 to 16 bytes long.
  @inline(__always)
  private static func eq(_ key: UnsafePointer<UInt8>, _ name: StaticString) -> Bool {
    let n = name.utf8CodeUnitCount
    let k = UnsafeRawPointer(key)
    let m = UnsafeRawPointer(name.utf8Start)
    if n >= 8 {
      return k.loadUnaligned(as: UInt64.self) == m.loadUnaligned(as: UInt64.self)
        && k.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
          == m.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    }
    if n >= 4 {
      return k.loadUnaligned(as: UInt32.self) == m.loadUnaligned(as: UInt32.self)
        && k.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
          == m.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
    }
    return memcmp(key, name.utf8Start, n) == 0
  }

  @inline(__always)
  private static func top(_ k: UnsafePointer<UInt8>, _ n: Int) -> Int {
    switch n {
    case 4: return eq(k, "type") ? EventField.type.rawValue : -1
    case 5:
      if eq(k, "event") { return EventField.event.rawValue }
      return eq(k, "batch") ? EventField.batch.rawValue : -1
    case 6: return eq(k, "userId") ? EventField.userId.rawValue : -1
    case 7: return eq(k, "context") ? EventField.context.rawValue : -1
    case 9: return eq(k, "timestamp") ? EventField.timestamp.rawValue : -1
    case 10:
      if eq(k, "properties") { return EventField.properties.rawValue }
      return eq(k, "receivedAt") ? EventField.receivedAt.rawValue : -1
    default: return -1
    }
  }

  @inline(__always)
  private static func properties(_ k: UnsafePointer<UInt8>, _ n: Int) -> Int {
    switch n {
    case 6:
      if eq(k, "chatId") { return EventField.chatId.rawValue }
      return eq(k, "source") ? EventField.source.rawValue : -1
    case 7:
      if eq(k, "agentId") { return EventField.agentId.rawValue }
      if eq(k, "replyTo") { return EventField.replyTo.rawValue }
      return eq(k, "pricing") ? EventField.pricing.rawValue : -1
    case 8: return eq(k, "hasMedia") ? EventField.hasMedia.rawValue : -1
    case 9:
      if eq(k, "messageId") { return EventField.messageId.rawValue }
      return eq(k, "errorCode") ? EventField.errorCode.rawValue : -1
    case 10:
      if eq(k, "templateId") { return EventField.templateId.rawValue }
      if eq(k, "resolution") { return EventField.resolution.rawValue }
      if eq(k, "errorTitle") { return EventField.errorTitle.rawValue }
      return eq(k, "campaignId") ? EventField.campaignId.rawValue : -1
    case 11:
      if eq(k, "contentType") { return EventField.contentType.rawValue }
      if eq(k, "isAutomated") { return EventField.isAutomated.rawValue }
      return eq(k, "countryCode") ? EventField.countryCode.rawValue : -1
    case 12:
      if eq(k, "messageCount") { return EventField.messageCount.rawValue }
      return eq(k, "campaignName") ? EventField.campaignName.rawValue : -1
    case 14:
      if eq(k, "assignmentType") { return EventField.assignmentType.rawValue }
      return eq(k, "recipientCount") ? EventField.recipientCount.rawValue : -1
    case 15:
      if eq(k, "durationMinutes") { return EventField.durationMinutes.rawValue }
      return eq(k, "previousAgentId") ? EventField.previousAgentId.rawValue : -1
    default: return -1
    }
  }

  @inline(__always)
  private static func pricing(_ k: UnsafePointer<UInt8>, _ n: Int) -> Int {
    switch n {
    case 4: return eq(k, "type") ? EventField.pricingType.rawValue : -1
    case 5: return eq(k, "model") ? EventField.pricingModel.rawValue : -1
    case 8:
      if eq(k, "billable") { return EventField.pricingBillable.rawValue }
      return eq(k, "category") ? EventField.pricingCategory.rawValue : -1
    default: return -1
    }
  }

  @inline(__always)
  private static func context(_ k: UnsafePointer<UInt8>, _ n: Int) -> Int {
    switch n {
    case 5: return eq(k, "bsuid") ? EventField.bsuid.rawValue : -1
    case 7: return eq(k, "channel") ? EventField.channel.rawValue : -1
    case 8: return eq(k, "username") ? EventField.username.rawValue : -1
    case 11:
      if eq(k, "countryCode") { return EventField.contextCountryCode.rawValue }
      return eq(k, "callingCode") ? EventField.contextCallingCode.rawValue : -1
    default: return -1
    }
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
