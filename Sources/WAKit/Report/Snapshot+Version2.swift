/// The sections version 2 of the snapshot adds (SPEC §5), and the window and conversation
/// records wa-aggregate writes beside snapshots.
extension Snapshot {
  /// `window` of a `wa.window` record: one calendar window of event time, `[start, end)`.
  struct Window: Equatable, Sendable {
    var size = ""
    var tz = ""
    var start = ""
    var end = ""
    var complete = false
    var revision = 0.0
  }

  /// `waiting`: clocks running at the snapshot, and those past `--reply-window`.
  struct Waiting: Equatable, Sendable {
    var now = 0.0
    var overWindow = 0.0
  }

  /// One service-level target's counts (`sla.firstResponse`, `sla.resolution`).
  struct Target: Equatable, Sendable {
    var target: Double? = nil
    var met = 0.0
    var missed = 0.0
    var pending = 0.0
    var rate: Double? = nil
  }

  /// `sla`, in total and per agent; a member is nil when its target was not set.
  struct SLA: Equatable, Sendable {
    var firstResponse: Target? = nil
    var resolution: Target? = nil
  }

  /// `handling`: who answered the resolved conversations, and how often they were assigned.
  struct Handling: Equatable, Sendable {
    var botOnly = 0.0
    var handedOff = 0.0
    var agentOnly = 0.0
    var noReply = 0.0
    var assignments = 0.0
    var reassigned = 0.0
  }

  /// A template's or a campaign's messages through the funnel (`templates.X`, `campaigns.X`).
  struct Template: Equatable, Sendable {
    var id: String
    var sent = 0.0
    var delivered = 0.0
    var read = 0.0
    var replied = 0.0
    var failed = 0.0
    var clicked: Double? = nil
    var failedByCode: [Entry] = []
    var rates = Rates()
    init(id: String) { self.id = id }
  }

  /// `campaigns.X`: a template's funnel plus what the `campaign.sent` events said.
  struct Campaign: Equatable, Sendable {
    var funnel: Template
    var name: String? = nil
    var templateId: String? = nil
    var audience: Double? = nil
    var id: String { funnel.id }
    init(id: String) { funnel = Template(id: id) }
  }

  /// `pricing`: messages with a `pricing` object, billable or free, by category.
  struct Pricing: Equatable, Sendable {
    struct Category: Equatable, Sendable {
      var name: String
      var billable = 0.0
      var free = 0.0
    }
    var billable = 0.0
    var free = 0.0
    var byCategory: [Category] = []
  }

  /// `cost`: billable messages priced with `--rate-card`, in its one currency.
  struct Cost: Equatable, Sendable {
    var currency = ""
    var total = 0.0
    var byCategory: [Entry] = []
    var byCountry: [Entry] = []
    var byTemplate: [Entry] = []
    var unpriced = 0.0
    /// Of `unpriced`, those of each template (nil: a snapshot from before it was written,
    /// which cannot tell whose the unpriced messages were).
    var unpricedByTemplate: [Entry]? = nil
  }

  /// `users.byIdentity`: distinct users first seen by phone number or by BSUID.
  struct Identity: Equatable, Sendable {
    var phone = 0.0
    var bsuid = 0.0
  }
}

/// One `wa.conversation` record (`--emit conversations`): a resolved chat, for drill-down.
/// Every member may be null in the record; text members are kept as written.
struct ConversationRecord: Equatable, Sendable {
  var chatId: String? = nil
  var resolvedAt: String? = nil
  var agentId: String? = nil
  var resolution: String? = nil
  var firstInboundAt: String? = nil
  var firstResponseSeconds: Double? = nil
  var firstResponseBusinessSeconds: Double? = nil
  var messageCount: Double? = nil
  var observedMessageCount: Double? = nil
  var durationMinutes: Double? = nil
  var observedDurationMinutes: Double? = nil
  var handling: String? = nil
  var slaFirstResponse: String? = nil
  var slaResolution: String? = nil
}

/// A line of wa-aggregate's output that wa-report reads.
enum ReportRecord: Equatable, Sendable {
  case snapshot(Snapshot)
  case window(Snapshot)
  case conversation(ConversationRecord)
}
