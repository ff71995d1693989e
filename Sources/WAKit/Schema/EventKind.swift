#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The event names of SPEC §2: the six of the seed document, `message.failed`, and the
/// collector's `chat.assigned` and `campaign.sent` (version 2).
enum EventKind: UInt8, CaseIterable, Sendable {
  case received, sent, delivered, read, failed, resolved, contactCreated
  case assigned, campaignSent

  var name: String { staticName.description }

  /// The name as a static string, for writers that emit it without building a String.
  var staticName: StaticString {
    switch self {
    case .received: return "message.received"
    case .sent: return "message.sent"
    case .delivered: return "message.delivered"
    case .read: return "message.read"
    case .failed: return "message.failed"
    case .resolved: return "chat.resolved"
    case .contactCreated: return "contact.created"
    case .assigned: return "chat.assigned"
    case .campaignSent: return "campaign.sent"
    }
  }

  /// The kind named by these (decoded) bytes, or nil.
  static func named(_ p: UnsafePointer<UInt8>, _ n: Int) -> EventKind? {
    @inline(__always) func eq(_ s: StaticString) -> Bool { memcmp(p, s.utf8Start, n) == 0 }
    switch n {
    case 12:
      if eq("message.sent") { return .sent }
      return eq("message.read") ? .read : nil
    case 13:
      if eq("chat.resolved") { return .resolved }
      if eq("chat.assigned") { return .assigned }
      return eq("campaign.sent") ? .campaignSent : nil
    case 14: return eq("message.failed") ? .failed : nil
    case 15: return eq("contact.created") ? .contactCreated : nil
    case 16: return eq("message.received") ? .received : nil
    case 17: return eq("message.delivered") ? .delivered : nil
    default: return nil
    }
  }
}

/// The `contentType` values that raise no warning (SPEC §2): Meta's message types, the ones
/// wa-convert writes among them.
///
/// One list for both tools: wa-validate reads `isKnown` (on bytes, per line), and wa-convert
/// writes a message's `type` as `contentType` only when `isKnown` says so (a test walks every
/// entry through `wa-validate --strict`).
enum ContentTypes {
  /// Every known type, in the order of Meta's reference.
  static let all: [StaticString] = [
    "text", "image", "video", "audio", "document", "sticker", "location", "contacts",
    "interactive", "button", "reaction", "template", "order", "unsupported", "request_welcome",
    "system", "ephemeral", "unknown",
  ]

  static func isKnown(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    return isKnown(base.assumingMemoryBound(to: UInt8.self), bytes.count)
  }

  static func isKnown(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    @inline(__always) func eq(_ s: StaticString) -> Bool { memcmp(p, s.utf8Start, n) == 0 }
    switch n {
    case 4: return eq("text")
    case 5: return eq("image") || eq("video") || eq("audio") || eq("order")
    case 6: return eq("button") || eq("system")
    case 7: return eq("sticker") || eq("unknown")
    case 8:
      return eq("document") || eq("location") || eq("contacts") || eq("reaction")
        || eq("template")
    case 9: return eq("ephemeral")
    case 11: return eq("interactive") || eq("unsupported")
    case 15: return eq("request_welcome")
    default: return false
    }
  }
}
