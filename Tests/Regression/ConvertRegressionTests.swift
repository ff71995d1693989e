import Foundation
import Testing

/// Bugs fixed in wa-convert, each replayed through the built tool from its input file.
@Suite struct ConvertRegressionTests {
  /// `JSONNumber.int64` returned nil for Int64.min (its magnitude was accumulated as a
  /// positive number, one more than Int64.max), so a body whose error code is
  /// -9223372036854775808 was rejected as `wrong_type` (de53651).
  @Test func anErrorCodeOfInt64MinIsConverted() throws {
    let r = try Tools.run(
      Tools.path("wa-convert"), [], input: try Tools.input("error-code-int64-min.webhook.log"))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains(#""event":"message.failed""#))
    #expect(r.stdout.contains(#""errorCode":-9223372036854775808,"#), "\(r.stdout)")
  }
}
