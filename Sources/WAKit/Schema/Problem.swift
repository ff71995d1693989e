// Schema: the rules of SPEC §2 over a scanned line — what makes an event valid, and the
// stable codes and JSON paths that report what does not.

/// A reason to reject a line. The names are stable: users grep for them (SPEC §2).
enum ProblemCode: UInt8, CaseIterable, Sendable {
  case invalidUTF8, invalidJSON, lineTooLong, tooDeep, duplicateKey, notAnObject
  case missingField, wrongType, invalidValue, unknownEvent, invalidE164, invalidUserId
  case invalidTimestamp, invalidCountryCode

  var name: String {
    switch self {
    case .invalidUTF8: return "invalid_utf8"
    case .invalidJSON: return "invalid_json"
    case .lineTooLong: return "line_too_long"
    case .tooDeep: return "too_deep"
    case .duplicateKey: return "duplicate_key"
    case .notAnObject: return "not_an_object"
    case .missingField: return "missing_field"
    case .wrongType: return "wrong_type"
    case .invalidValue: return "invalid_value"
    case .unknownEvent: return "unknown_event"
    case .invalidE164: return "invalid_e164"
    case .invalidTimestamp: return "invalid_timestamp"
    case .invalidCountryCode: return "invalid_country_code"
    case .invalidUserId: return "invalid_user_id"
    }
  }
}

/// Something worth counting that does not make a line invalid, unless `--strict` is given;
/// then it rejects the line with the code `warning:<name>`.
enum WarningCode: UInt8, CaseIterable, Sendable {
  /// `contentType` outside the list of SPEC §2.
  case unknownContentType
  /// `chat.resolved` without `agentId` (counted under "unassigned" by wa-aggregate).
  case missingAgentId
  /// `contact.created` without a `countryCode` (in `properties` or `context`).
  case missingCountryCode
  /// A `countryCode` that is not the region of the `userId` phone number.
  case countryMismatch

  var name: String {
    switch self {
    case .unknownContentType: return "unknown_content_type"
    case .missingAgentId: return "missing_agent_id"
    case .missingCountryCode: return "missing_country_code"
    case .countryMismatch: return "country_mismatch"
    }
  }
}

/// One finding about a line: what, where (a JSON path such as `properties.messageId`, or
/// `""` for the line as a whole) and a short explanation.
struct Problem: Equatable, Sendable {
  enum Code: Equatable, Hashable, Sendable {
    case error(ProblemCode)
    case warning(WarningCode)
  }

  var code: Code
  var path: String
  var message: String

  init(_ code: Code, path: String, message: String) {
    self.code = code
    self.path = path
    self.message = message
  }

  /// The code as reported: `missing_field`, or `warning:unknown_content_type`.
  var codeName: String {
    switch code {
    case .error(let c): return c.name
    case .warning(let w): return "warning:" + w.name
    }
  }
}
