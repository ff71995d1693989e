import Testing

@testable import WAKit

/// Warnings (SPEC §2): counted, never rejecting, unless `--strict` turns each into a
/// rejection with the code `warning:<name>`.
@Suite("EventValidator warnings and --strict")
struct EventWarningTests {
  /// (what, event, expected warning).
  static let cases: [(String, EventLine, String)] = [
    (
      "unknown contentType", EventLine(.received).withProperty("contentType", q("gif")),
      "warning:unknown_content_type properties.contentType"
    ),
    (
      "chat.resolved without agentId", EventLine(.resolved).withProperty("agentId", nil),
      "warning:missing_agent_id properties.agentId"
    ),
    (
      "chat.resolved with a null agentId", EventLine(.resolved).withProperty("agentId", "null"),
      "warning:missing_agent_id properties.agentId"
    ),
    (
      "contact.created without countryCode",
      EventLine(.contactCreated).withProperty("countryCode", nil),
      "warning:missing_country_code properties.countryCode"
    ),
    (
      "contact.created with a null countryCode",
      EventLine(.contactCreated).withProperty("countryCode", "null").withContext(
        "countryCode", "null"),
      "warning:missing_country_code properties.countryCode"
    ),
    (
      "properties.countryCode not the region of userId",
      EventLine(.sent).withProperty("countryCode", q("US")),
      "warning:country_mismatch properties.countryCode"
    ),
    (
      "context.countryCode not the region of userId",
      EventLine(.read).withContext("countryCode", q("tz")),
      "warning:country_mismatch context.countryCode"
    ),
    (
      "countryCode of a US number",
      EventLine(.read).with("userId", q("+14155550123"))
        .withProperty("countryCode", q("KE")),
      "warning:country_mismatch properties.countryCode"
    ),
  ]

  @Test("a warning does not reject", arguments: cases)
  func warningDoesNotReject(_ what: String, _ event: EventLine, _ warning: String) {
    let verdict = validate(event)
    #expect(verdict.valid, "\(what): \(verdict)")
    #expect(verdict.errors.isEmpty)
    #expect(verdict.warnings == [warning], "\(what)")
    #expect(verdict.warningProblems.allSatisfy { !$0.message.isEmpty })
  }

  @Test("--strict turns a warning into a rejection", arguments: cases)
  func strictRejects(_ what: String, _ event: EventLine, _ warning: String) throws {
    let verdict = validate(event, strict: true)
    #expect(!verdict.valid, "\(what)")
    #expect(verdict.errors == [warning], "\(what): \(verdict)")
    let problem = try #require(verdict.problems.first)
    #expect(problem.codeName.hasPrefix("warning:"))
    if case .warning = problem.code {} else { Issue.record("\(what): not a warning code") }
  }

  @Test("--strict accepts lines without warnings", arguments: EventKind.allCases)
  func strictAcceptsCleanLines(_ kind: EventKind) {
    let verdict = validate(EventLine(kind), strict: true)
    #expect(verdict.valid, "\(verdict)")
  }

  @Test func contactCreatedWithAContextCountryCodeHasNoWarning() {
    let verdict = validate(
      EventLine(.contactCreated).withProperty("countryCode", nil).withContext(
        "countryCode", q("KE")))
    #expect(verdict.valid && verdict.warnings.isEmpty, "\(verdict)")
  }

  @Test func matchingCountryCodesInEitherCaseRaiseNoWarning() {
    let verdict = validate(
      EventLine(.sent).withProperty("countryCode", q("ke")).withContext("countryCode", q("Ke")))
    #expect(verdict.valid && verdict.warnings.isEmpty)
  }

  @Test func severalWarningsAreAllListed() {
    let event = EventLine(.sent).with("userId", q("+14155550123"))
      .withProperty("contentType", q("gif")).withProperty("countryCode", q("KE"))
      .withContext("countryCode", q("CA"))
    let verdict = validate(event)
    #expect(verdict.valid)
    #expect(
      Set(verdict.warnings) == [
        "warning:unknown_content_type properties.contentType",
        "warning:country_mismatch properties.countryCode",
        "warning:country_mismatch context.countryCode",
      ])
    let strict = validate(event, strict: true)
    #expect(!strict.valid)
    #expect(Set(strict.errors) == Set(verdict.warnings))
    let resolved = validate(
      EventLine(.resolved).withProperty("agentId", nil).withProperty("countryCode", q("US")),
      strict: true)
    #expect(
      Set(resolved.errors) == [
        "warning:missing_agent_id properties.agentId",
        "warning:country_mismatch properties.countryCode",
      ])
  }

  @Test func underStrictErrorsAndWarningsAreBothListed() {
    let verdict = validate(
      EventLine(.received).withProperty("contentType", q("gif")).withProperty("chatId", nil),
      strict: true)
    #expect(
      Set(verdict.errors) == [
        "missing_field properties.chatId", "warning:unknown_content_type properties.contentType",
      ])
  }
}
