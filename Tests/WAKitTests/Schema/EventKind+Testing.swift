@testable import WAKit

// No tool asks this; the tests that check the kinds' order do.
extension EventKind {
  /// `message.*` events: keyed by `messageId`.
  var isMessage: Bool { rawValue <= EventKind.failed.rawValue }
}
