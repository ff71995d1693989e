import Testing

@testable import WAKit

/// Per-template and per-campaign funnels (SPEC §5 version 2).
@Suite("wa-aggregate: templates and campaigns")
struct AggregateTemplateTests {
  @Test func eachTemplateHasItsOwnFunnelClicksAndFailureCodes() throws {
    let run = try aggregate([
      Ev.sent("m1", at: at(10), template: "promo", type: "template"),
      Ev.sent("m2", user: Ev.kenya2, at: at(10, 1), template: "promo", type: "template"),
      Ev.sent("m3", user: Ev.usa, at: at(10, 2), template: "otp", type: "template"),
      Ev.sent("m4", at: at(10, 3)),  // no template
      Ev.status("delivered", "m1", at: at(10, 4)),
      Ev.status("read", "m1", at: at(10, 5)),
      Ev.received("in1", at: at(10, 6), type: "button", replyTo: "m1"),  // a click
      Ev.status("failed", "m2", at: at(10, 7), extra: #","errorCode":131026"#),
      // Held: the failure arrives before its message.sent, so its code is not known.
      Ev.status("failed", "m5", user: Ev.usa, at: at(10, 8), extra: #","errorCode":131047"#),
      Ev.sent("m5", user: Ev.usa, at: at(10, 9), template: "otp", type: "template"),
      Ev.received("in2", user: Ev.usa, at: at(10, 10), type: "text", replyTo: "m3"),
    ])
    let s = run.final
    let templates = try #require(s.templates)
    #expect(templates.map(\.id) == ["otp", "promo"])
    let otp = templates[0]
    let promo = templates[1]
    #expect(promo.sent == 2 && promo.delivered == 1 && promo.read == 1 && promo.replied == 1)
    #expect(promo.clicked == 1 && promo.failed == 1)
    #expect(promo.failedByCode == [Snapshot.Entry("131026", 1)])
    #expect(promo.rates.read == 0.5)
    // A text reply naming m3 is a reply, not a click; m5 was answered by the same inbound.
    #expect(otp.sent == 2 && otp.replied == 2 && otp.clicked == 0 && otp.failed == 1)
    #expect(otp.failedByCode == [Snapshot.Entry("unspecified", 1)])
    // The templates add up to the template messages of the overall funnel.
    #expect(otp.sent + promo.sent == s.messages.sentTemplate)
    #expect(s.funnel.sent == 5)
  }

  @Test func campaignsTakeTheirAudienceFromCampaignSentAndTheFunnelFromTheirMessages() throws {
    let campaign = Ev.line(
      "campaign.sent", user: "system", at: at(9),
      #""campaignId":"c1","campaignName":"Spring sale","templateId":"promo","recipientCount":250"#)
    let run = try aggregate([
      campaign,
      campaign,  // a duplicate: counted once
      Ev.sent("m1", at: at(10), template: "promo", extra: #","campaignId":"c1""#),
      Ev.sent("m2", user: Ev.kenya2, at: at(10), template: "promo", extra: #","campaignId":"c1""#),
      Ev.status("read", "m2", user: Ev.kenya2, at: at(10, 5)),
    ])
    let campaigns = try #require(run.final.campaigns)
    #expect(campaigns.count == 1)
    let c = campaigns[0]
    #expect(c.id == "c1" && c.name == "Spring sale" && c.templateId == "promo")
    #expect(c.audience == 250)
    #expect(c.funnel.sent == 2 && c.funnel.read == 1 && c.funnel.delivered == 1)
    #expect(run.final.input.duplicates == 1)
  }

  @Test func aStreamWithoutTemplatesWritesNoTemplateSection() throws {
    let run = try aggregate([Ev.sent("m1", at: at(10))])
    #expect(run.final.templates == nil && run.final.campaigns == nil)
  }
}
