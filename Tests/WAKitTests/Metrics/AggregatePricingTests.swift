import Foundation
import Testing

@testable import WAKit

/// `pricing` and `--rate-card` cost (SPEC §5 version 2).
@Suite("wa-aggregate: pricing and cost")
struct AggregatePricingTests {
  static let nigeria = "+2348031234567"

  static func pricing(_ category: String, billable: Bool, type: String = "regular") -> String {
    #","pricing":{"billable":\#(billable),"model":"PMP","category":"\#(category)","type":"\#(type)"}"#
  }

  static let card = """
    # test card
    country,category,price,currency
    KE,marketing,0.0107,USD
    *,marketing,0.0250,USD
    *,utility,0.0040,USD
    NG,utility,0.0067,USD
    """

  /// The issue's hand-computed case: 3 marketing messages to KE, 2 utility to NG, 1 billable
  /// with no rate, 1 free service message; a 4-row card where own-country rows beat `*`.
  @Test func costIsWhatTheRateCardSaysByHand() throws {
    let path = NSTemporaryDirectory() + "wa-rate-card-\(getpid()).csv"
    try Self.card.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    var lines: [String] = []
    for i in 1...3 {
      lines.append(Ev.sent("k\(i)", at: at(10, i), template: "promo", type: "template"))
      lines.append(
        Ev.status(
          "delivered", "k\(i)", at: at(10, i, 5), extra: Self.pricing("marketing", billable: true)))
    }
    // The read repeats the pricing: a message is priced once.
    lines.append(
      Ev.status("read", "k1", at: at(10, 9), extra: Self.pricing("marketing", billable: true)))
    for i in 1...2 {
      lines.append(
        Ev.sent(
          "n\(i)", user: Self.nigeria, at: at(11, i), template: "order_update", type: "template"))
      lines.append(
        Ev.status(
          "delivered", "n\(i)", user: Self.nigeria, at: at(11, i, 5),
          extra: Self.pricing("utility", billable: true)))
    }
    lines.append(Ev.sent("a1", at: at(12), template: "otp"))
    lines.append(
      Ev.status(
        "delivered", "a1", at: at(12, 0, 5), extra: Self.pricing("authentication", billable: true)))
    lines.append(Ev.sent("s1", user: Ev.usa, at: at(13)))
    lines.append(
      Ev.status(
        "delivered", "s1", user: Ev.usa, at: at(13, 0, 5),
        extra: Self.pricing("service", billable: false, type: "free_customer_service")))
    let run = try aggregate(lines, ["--rate-card", path])
    let s = run.final
    let p = try #require(s.pricing)
    #expect(p.billable == 6 && p.free == 1)
    #expect(p.byCategory.map(\.name) == ["authentication", "marketing", "service", "utility"])
    #expect(p.byCategory.map(\.billable) == [1, 3, 0, 2])
    #expect(p.byCategory.map(\.free) == [0, 0, 1, 0])
    let c = try #require(s.cost)
    // 3 × 0.0107 (KE's own row, not *) + 2 × 0.0067 (NG's own row) = 0.0455.
    #expect(c.currency == "USD")
    #expect(abs(c.total - 0.0455) < 1e-12)
    #expect(
      c.byCategory == [Snapshot.Entry("marketing", 0.0321), Snapshot.Entry("utility", 0.0134)])
    #expect(c.byCountry == [Snapshot.Entry("KE", 0.0321), Snapshot.Entry("NG", 0.0134)])
    #expect(
      c.byTemplate == [Snapshot.Entry("order_update", 0.0134), Snapshot.Entry("promo", 0.0321)])
    #expect(c.unpriced == 1)
    // In windows too: every window record has its cost, and their last records add up to the
    // total (a window's metrics once lacked the card's currency, so its cost was left out).
    let windowed = try aggregateWindows(lines, ["--rate-card", path, "--window", "1h"])
    var latest: [String: [String: Any]] = [:]
    for w in windowed.windows {
      if let start = (w["window"] as? [String: Any])?["start"] as? String { latest[start] = w }
    }
    #expect(latest.count >= 3)
    let windowTotal = latest.values.reduce(0.0) { $0 + ($1.double("cost", "total") ?? -1) }
    #expect(abs(windowTotal - 0.0455) < 1e-12, "windows' cost \(windowTotal)")
    // Without a card: pricing, no cost.
    let plain = try aggregate(lines).final
    #expect(plain.pricing?.billable == 6 && plain.cost == nil)
  }

  @Test(arguments: [
    ("country,category,price\nKE,marketing,1", ":1: missing column 'currency'"),
    ("country,category,price,currency\nKE,marketing,-0.5,USD", ":2: price '-0.5' is negative"),
    ("country,category,price,currency\n\nKE,marketing,abc,USD", ":3: price 'abc' is not a number"),
    (
      "country,category,price,currency\nKE,marketing,1,USD\nNG,utility,1,EUR",
      ":3: currency EUR differs"
    ),
    (
      "country,category,price,currency\nKE,marketing,1,USD\nKE,marketing,2,USD",
      ":3: a second row for KE/marketing (first at line 2)"
    ),
  ])
  func badRateCardsAreUsageErrorsNamingTheLine(_ text: String, _ expected: String) {
    #expect {
      _ = try RateCard.parse(Array(text.utf8), name: "card.csv")
    } throws: { error in
      guard let e = error as? UsageError else { return false }
      return e.message.hasPrefix("--rate-card card.csv") && e.message.contains(expected)
    }
  }

  @Test func pricesAreExactDecimals() {
    #expect(RateCard.micros("0.0107") == 10_700 && RateCard.micros("2") == 2_000_000)
    #expect(RateCard.micros("1e3") == nil && RateCard.micros("0.1234567") == nil)
    #expect(RateCard.decimal(45_500) == "0.0455" && RateCard.decimal(3_000_000) == "3")
  }
}
