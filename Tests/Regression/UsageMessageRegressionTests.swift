import Foundation
import Testing

/// Usage errors that named a value the tool refuses.
@Suite struct UsageMessageRegressionTests {
  /// `wa-aggregate --foreign SKIP` said "--foreign takes reject, skip or pass" (the filters'
  /// message), and `--foreign pass`, as told, was then refused: wa-aggregate writes no lines.
  @Test func anUnknownForeignModeNamesOnlyTheModesTheToolTakes() throws {
    let aggregate = try Tools.run(Tools.path("wa-aggregate"), ["--foreign", "SKIP", "/dev/null"])
    #expect(aggregate.status == 2)
    #expect(aggregate.stderr.hasPrefix("wa-aggregate: --foreign takes reject or skip\n"))
    let validate = try Tools.run(Tools.path("wa-validate"), ["--foreign", "SKIP", "/dev/null"])
    #expect(validate.status == 2)
    #expect(validate.stderr.hasPrefix("wa-validate: --foreign takes reject, skip or pass\n"))
  }
}
