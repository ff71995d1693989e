/// Short titles of the Meta error codes a failed WhatsApp message most often carries, so that
/// wa-report can say what `131049` means. Source: Meta's Cloud API error-code reference,
/// developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes (as read 2026-12),
/// titles shortened in our own words. A code not listed is shown as the number alone.
enum MetaErrorCodes {
  static let titles: [String: String] = [
    "130429": "rate limit hit",
    "130472": "user's number is part of an experiment",
    "131000": "something went wrong",
    "131026": "message undeliverable",
    "131031": "business account locked",
    "131042": "business payment issue",
    "131047": "over 24 h since the user last wrote",
    "131048": "spam rate limit hit",
    "131049": "held back for ecosystem engagement",
    "131050": "user stopped marketing messages",
    "131051": "unsupported message type",
    "131052": "media download error",
    "131053": "media upload error",
    "131056": "too many messages to this user",
    "132000": "template parameter count mismatch",
    "132001": "template does not exist",
    "132015": "template paused",
    "133010": "phone number not registered",
  ]

  /// `131049 (not delivered, …)`, or the code alone.
  static func label(_ code: String) -> String {
    titles[code].map { "\(code) (\($0))" } ?? code
  }
}
