import Foundation
import Testing

/// wa-aggregate caps its labels (10,000 agents, 256 bytes each), but a snapshot writes a
/// control character of a label as `\u0001`, six bytes: 10,100 agents with ids of control
/// characters made a snapshot of 19 MB, and wa-report refused it by default (`longer than
/// --max-line-bytes`, 16 MiB), so `wa-aggregate | wa-report` showed no dashboard. With every
/// map full of such labels a snapshot reaches about 40 MB; wa-report now takes 64 MiB.
@Suite struct LargestSnapshotRegressionTests {
  @Test func aSnapshotOfTenThousandAgentsWithEscapedIdsIsRenderedByDefault() throws {
    var events = ""
    let control = String(repeating: "\\u0001", count: 250)
    for i in 0..<10_100 {
      let id = String(format: "%06d", i)
      let user = "+2547\(String(format: "%08d", i))"
      for (event, props, second) in [
        ("message.received", #""messageId":"in\#(id)","chatId":"c\#(id)""#, 0),
        (
          "message.sent",
          #""messageId":"out\#(id)","chatId":"c\#(id)","agentId":"\#(id)\#(control)""#, 5
        ),
      ] {
        events +=
          #"{"type":"track","event":"\#(event)","userId":"\#(user)","timestamp":"#
          + #""2026-11-02T10:00:0\#(second).000Z","properties":{\#(props)},"#
          + #""context":{"channel":"whatsapp"}}"# + "\n"
      }
    }
    let aggregate = try Tools.run(
      Tools.path("wa-aggregate"), ["--quiet"], input: Data(events.utf8))
    #expect(aggregate.status == 0, "\(aggregate.stderr)")
    let snapshot = aggregate.stdout
    #expect(snapshot.utf8.count > 16 << 20)
    let report = try Tools.run(Tools.path("wa-report"), [], input: Data(snapshot.utf8))
    #expect(report.status == 0, "\(report.stderr)")
    #expect(report.stdout.contains("WhatsApp Analytics"))
  }
}
