import Testing

@testable import WAKit

@Suite("wa-convert: summary")
struct ConvertSummaryTests {
  @Test func textAndJSONAccountForEveryLineAndItem() throws {
    var s = ConvertSummary()
    s.lines.lines = 5
    s.lines.blank = 1
    var tally = ItemTally()
    tally.events[Int(EventKind.received.rawValue)] = 2
    tally.events[Int(EventKind.failed.rawValue)] = 1
    tally.skipped[Int(SkipReason.reaction.rawValue)] = 3
    s.add(tally)
    s.add(ItemTally())
    s.lines.countRejected([Problem(.error(.invalidJSON), path: "", message: "x")])
    s.lines.countRejected([
      Problem(.error(.invalidE164), path: "a", message: "x"),
      Problem(.error(.invalidTimestamp), path: "b", message: "x"),
    ])
    #expect(s.bodies + s.lines.rejected + s.lines.blank == s.lines.lines)
    #expect(
      s.text(tool: "wa-convert")
        == "wa-convert: 5 lines: 2 bodies, 2 rejected, 1 blank; 6 items: 3 events "
        + "(message.received 2, message.failed 1), 3 skipped (reaction 3); rejected: "
        + "invalid_json 1, invalid_e164 1, invalid_timestamp 1")
    #expect(
      s.json(tool: "wa-convert", version: "1.0.0")
        == #"{"tool":"wa-convert","version":"1.0.0","lines":5,"bodies":2,"rejected":2,"#
        + #""blank":1,"items":6,"events":3,"skipped":3,"#
        + #""eventsByType":{"message.received":2,"message.failed":1},"#
        + #""skippedByReason":{"reaction":3},"#
        + #""rejectedByCode":{"invalid_json":1,"invalid_e164":1,"invalid_timestamp":1},"#
        + #""unreadableInputs":0}"#)
  }

  @Test func skipReasonNamesAreStableAndDistinct() throws {
    let names = SkipReason.allCases.map(\.name)
    #expect(
      names == [
        "reaction", "reaction_removed", "system", "group", "no_user_id", "status_sent", "edit",
        "revoke", "request_welcome", "status_played", "status_unknown", "value_error",
        "other_field", "user_action", "other_item", "status_payment",
      ])
    #expect(Set(names).count == names.count)
  }
}
