#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The event names of SPEC §2: the six of the seed document and `message.failed`.
public enum EventKind: UInt8, CaseIterable, Sendable {
  case received, sent, delivered, read, failed, resolved, contactCreated

  public var name: String { staticName.description }

  /// The name as a static string, for writers that emit it without building a String.
  public var staticName: StaticString {
    switch self {
    case .received: return "message.received"
    case .sent: return "message.sent"
    case .delivered: return "message.delivered"
    case .read: return "message.read"
    case .failed: return "message.failed"
    case .resolved: return "chat.resolved"
    case .contactCreated: return "contact.created"
    }
  }

  /// `message.*` events: keyed by `messageId`.
  public var isMessage: Bool { self != .resolved && self != .contactCreated }

  /// The kind named by these (decoded) bytes, or nil.
  static func named(_ p: UnsafePointer<UInt8>, _ n: Int) -> EventKind? {
    @inline(__always) func eq(_ s: StaticString) -> Bool { memcmp(p, s.utf8Start, n) == 0 }
    switch n {
    case 12:
      if eq("message.sent") { return .sent }
      return eq("message.read") ? .read : nil
    case 13: return eq("chat.resolved") ? .resolved : nil
    case 14: return eq("message.failed") ? .failed : nil
    case 15: return eq("contact.created") ? .contactCreated : nil
    case 16: return eq("message.received") ? .received : nil
    case 17: return eq("message.delivered") ? .delivered : nil
    default: return nil
    }
  }
}

/// The `contentType` values that raise no warning (SPEC §2).
enum ContentTypes {
  static func isKnown(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    @inline(__always) func eq(_ s: StaticString) -> Bool { memcmp(p, s.utf8Start, n) == 0 }
    switch n {
    case 4: return eq("text")
    case 5: return eq("image") || eq("video") || eq("audio")
    case 6: return eq("button")
    case 7: return eq("sticker")
    case 8:
      return eq("document") || eq("location") || eq("contacts") || eq("reaction")
        || eq("template")
    case 11: return eq("interactive")
    default: return false
    }
  }
}
