@testable import WAKit

/// A JSON string literal for `text` (test values contain no characters needing escapes
/// unless the test writes them itself).
func q(_ text: String) -> String { "\"" + text + "\"" }

/// An event line built from raw JSON fragments, member by member, so a test can remove,
/// replace or add any member of the top level, `properties` or `context`.
struct EventLine: CustomStringConvertible {
  /// Placeholder value: render `properties` or `context` from their member lists.
  private static let built = "\u{0}built"

  var top: [(String, String)]
  var properties: [(String, String)]
  var context: [(String, String)]

  /// A valid event of `kind` that raises no warning: the required members, and the
  /// properties that keep it free of warnings (`agentId` for chat.resolved, `countryCode`
  /// agreeing with the userId for contact.created).
  init(_ kind: EventKind) {
    top = [
      ("type", q("track")), ("event", q(kind.name)), ("userId", q("+254712345678")),
      ("timestamp", q("2026-01-23T10:00:00.000Z")), ("properties", Self.built),
      ("context", Self.built),
    ]
    properties = PropertyTable.required(kind) + PropertyTable.quiet(kind)
    context = [("channel", q("whatsapp"))]
  }

  /// Sets a top-level member to a raw JSON value (`nil` removes it).
  func with(_ key: String, _ raw: String?) -> EventLine {
    var e = self
    Self.set(&e.top, key, raw)
    return e
  }

  /// Sets a member of `properties` (`nil` removes it).
  func withProperty(_ key: String, _ raw: String?) -> EventLine {
    var e = self
    Self.set(&e.properties, key, raw)
    return e
  }

  /// Sets a member of `context` (`nil` removes it).
  func withContext(_ key: String, _ raw: String?) -> EventLine {
    var e = self
    Self.set(&e.context, key, raw)
    return e
  }

  private static func set(_ members: inout [(String, String)], _ key: String, _ raw: String?) {
    if let i = members.firstIndex(where: { $0.0 == key }) {
      if let raw { members[i].1 = raw } else { members.remove(at: i) }
    } else if let raw {
      members.append((key, raw))
    }
  }

  private static func object(_ members: [(String, String)]) -> String {
    "{" + members.map { q($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
  }

  var json: String {
    Self.object(
      top.map { key, value in
        guard value == Self.built else { return (key, value) }
        return (key, Self.object(key == "properties" ? properties : context))
      })
  }

  var description: String { json }
}

/// The properties table of SPEC §2.
enum PropertyTable {
  /// The required properties of each event, with valid values.
  static func required(_ kind: EventKind) -> [(String, String)] {
    switch kind {
    case .received: return [("messageId", q("wamid.in1")), ("chatId", q("chat_1"))]
    case .sent, .delivered, .read, .failed: return [("messageId", q("wamid.out1"))]
    case .resolved:
      return [("chatId", q("chat_1")), ("messageCount", "8"), ("durationMinutes", "12.5")]
    case .contactCreated: return []
    case .assigned: return [("chatId", q("chat_1")), ("agentId", q("agent_7"))]
    case .campaignSent: return [("campaignId", q("spring_sale"))]
    }
  }

  /// Optional properties whose absence would raise a warning.
  static func quiet(_ kind: EventKind) -> [(String, String)] {
    switch kind {
    case .resolved: return [("agentId", q("agent_7"))]
    case .contactCreated: return [("countryCode", q("KE"))]
    default: return []
    }
  }

  /// Every optional property of each event, with a valid value.
  static func optional(_ kind: EventKind) -> [(String, String)] {
    switch kind {
    case .received:
      return [("contentType", q("image")), ("hasMedia", "true"), ("replyTo", q("wamid.out1"))]
    case .sent:
      return [
        ("chatId", q("chat_1")), ("contentType", q("template")), ("templateId", q("welcome_v2")),
        ("agentId", q("agent_7")), ("isAutomated", "false"), ("campaignId", q("spring_sale")),
        ("pricing", #"{"billable":true,"model":"PMP","category":"marketing","type":"regular"}"#),
      ]
    case .delivered, .read:
      return [
        (
          "pricing",
          #"{"billable":false,"model":"PMP","category":"service","type":"free_customer_service"}"#
        )
      ]
    case .failed: return [("errorCode", "131047"), ("errorTitle", q("Re-engagement message"))]
    case .resolved: return [("agentId", q("agent_7")), ("resolution", q("solved"))]
    case .contactCreated: return [("source", q("ctwa_ad")), ("countryCode", q("ke"))]
    case .assigned: return [("previousAgentId", "null"), ("assignmentType", q("bot_handoff"))]
    case .campaignSent:
      return [
        ("campaignName", q("Spring sale")), ("templateId", q("promo_v1")),
        ("recipientCount", "1200"),
      ]
    }
  }
}

/// What the validator said about one line.
struct Verdict: CustomStringConvertible {
  var valid: Bool
  var problems: [Problem]
  var warningProblems: [Problem]
  var event: EventView

  /// `code path` of each error, the way a user greps them.
  var errors: [String] { problems.map { "\($0.codeName) \($0.path)" } }
  var warnings: [String] { warningProblems.map { "\($0.codeName) \($0.path)" } }
  var description: String { "valid: \(valid), errors: \(errors), warnings: \(warnings)" }

  /// The one error, when there is exactly one.
  var only: String? { errors.count == 1 ? errors[0] : nil }
}

/// Validates one line given as bytes, with `validator` (a fresh one unless given).
func validate(
  bytes: [UInt8], strict: Bool = false, length: Int? = nil, with validator: EventValidator? = nil
) -> Verdict {
  let v = validator ?? EventValidator(strict: strict)
  let valid = bytes.withUnsafeBytes { raw in
    v.validate(Line(bytes: raw, number: 1, length: length ?? raw.count))
  }
  return Verdict(valid: valid, problems: v.errors, warningProblems: v.warnings, event: v.event)
}

func validate(_ text: String, strict: Bool = false, with validator: EventValidator? = nil)
  -> Verdict
{
  validate(bytes: Array(text.utf8), strict: strict, with: validator)
}

func validate(_ event: EventLine, strict: Bool = false) -> Verdict {
  validate(event.json, strict: strict)
}
