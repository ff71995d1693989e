import Foundation
import Testing

/// Bugs fixed in wa-aggregate, each replayed through the built tool from its input file.
@Suite struct AggregateRegressionTests {
  /// One event from a device with a wrong clock (2090) moved the stream's clock: every entry
  /// was evicted at once, the read status and the reply that followed met no state, later
  /// events were `late`, and the re-sent message was counted again (2dee62f).
  @Test func oneEventWithAWrongClockDoesNotWipeTheState() throws {
    let r = try Tools.run(
      Tools.path("wa-aggregate"), [], input: try Tools.input("wrong-clock.ndjson"))
    #expect(r.status == 0, "\(r.stderr)")
    let last = try #require(r.stdout.split(separator: "\n").last)
    let snapshot = try #require(
      try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    let input = try #require(snapshot["input"] as? [String: Int])
    let funnel = try #require(snapshot["funnel"] as? [String: Int])
    #expect(input["events"] == 5)
    #expect(input["evicted"] == 0, "the 2090 event evicted the state")
    #expect(input["late"] == 0, "events after the 2090 one were made late")
    #expect(input["duplicates"] == 1, "the re-sent message was counted again")
    #expect(funnel == ["sent": 2, "delivered": 1, "read": 1, "replied": 1, "failed": 0])
  }
}
