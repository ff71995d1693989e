// Report: what wa-report does with the snapshots wa-aggregate writes (SPEC §5 and §6) —
// decode them from a JSONTape, render them as a terminal dashboard or as Prometheus text,
// and replace an output file atomically.

/// One wa-aggregate snapshot (SPEC §5, shape version 1), decoded for rendering.
///
/// Counts are `Double`: the distinct-user numbers are estimates that a producer may write
/// with a fraction, and keeping them exact lets the Prometheus output repeat them verbatim.
/// A JSON `null` (a rate with nothing sent, a quantile with no sample) stays `nil`, so the
/// renderers can show "no data" rather than a misleading zero.
struct Snapshot: Equatable, Sendable {
  /// A named count from one of the snapshot's maps (`failedByCode`, `byResolution`, …).
  struct Entry: Equatable, Sendable {
    var key: String
    var value: Double
    init(_ key: String, _ value: Double) {
      self.key = key
      self.value = value
    }
  }

  /// A map's entries by key, for looking one up (a key written twice, which no wa-aggregate
  /// does, counts once with both values).
  static func byKey(_ entries: [Entry]) -> [String: Double] {
    Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: +)
  }

  /// `input`: how the aggregator's input lines were accounted for.
  struct Input: Equatable, Sendable {
    var lines = 0.0
    var events = 0.0
    var blank = 0.0
    var rejected = 0.0
    var duplicates = 0.0
    var late = 0.0
    var evicted = 0.0
    /// Version 2: lines of another kind (SPEC §2) and events outside `--since`/`--until`.
    var foreign: Double? = nil
    var outOfRange: Double? = nil
    /// Version 2: batch lines and the elements they held (SPEC §2 "Batches").
    var batches: Double? = nil
    var batchItems: Double? = nil
  }

  struct Messages: Equatable, Sendable {
    var received = 0.0
    var sent = 0.0
    var sentByAgent = 0.0
    var sentAutomated = 0.0
    var sentTemplate = 0.0
    var delivered = 0.0
    var read = 0.0
    var failed = 0.0
    var failedByCode: [Entry] = []
    var receivedByContentType: [Entry] = []
    var sentByContentType: [Entry] = []
  }

  /// Sent messages by the highest stage they reached (each count includes the later ones).
  struct Funnel: Equatable, Sendable {
    var sent = 0.0
    var delivered = 0.0
    var read = 0.0
    var replied = 0.0
    var failed = 0.0
  }

  struct Rates: Equatable, Sendable {
    var delivery: Double? = nil
    var read: Double? = nil
    var reply: Double? = nil
  }

  /// A response-time distribution, in seconds (`responseTime`, `agentResponseTime`).
  struct Latency: Equatable, Sendable {
    var count = 0.0
    var mean: Double? = nil
    var p50: Double? = nil
    var p90: Double? = nil
    var p99: Double? = nil
    var max: Double? = nil
    /// Version 2: `buckets` in the spec's order (`≤60s` … `>86400s`); empty when absent.
    var buckets: [Entry] = []
    /// Version 2, with `--business-hours`: the same clock counted over open time only. An
    /// array of at most one so that the struct may hold a value of its own type.
    private var businessStorage: [Latency] = []
    var business: Latency? {
      get { businessStorage.first }
      set { businessStorage = newValue.map { [$0] } ?? [] }
    }
  }

  /// `conversations.messageCount` and `.durationMinutes`.
  struct Distribution: Equatable, Sendable {
    var mean: Double? = nil
    var p50: Double? = nil
    var p90: Double? = nil
    var max: Double? = nil
  }

  /// Received and sent messages side by side (`volumeByHour`: 24 values; `heatmap`: 7 rows
  /// of 24, Monday first).
  struct Series<Values: Equatable & Sendable>: Equatable, Sendable {
    var received: Values
    var sent: Values
  }

  struct Country: Equatable, Sendable {
    var code: String
    var received = 0.0
    var sent = 0.0
    var contacts = 0.0
    var users = 0.0
    /// Version 2 (`pricing`): billable messages to this country.
    var billable: Double? = nil
    init(code: String) { self.code = code }
  }

  struct Agent: Equatable, Sendable {
    var id: String
    var messagesSent = 0.0
    var chatsResolved = 0.0
    var avgDurationMinutes: Double? = nil
    var avgMessageCount: Double? = nil
    var responseTime = Latency()
    /// Version 2: the agent's share of the SLA counts and its time from assignment.
    var sla: SLA? = nil
    var assignmentResponseTime: Latency? = nil
    init(id: String) { self.id = id }
  }

  struct Conversations: Equatable, Sendable {
    var resolved = 0.0
    var byResolution: [Entry] = []
    var messageCount = Distribution()
    var durationMinutes = Distribution()
    /// Version 2 (`conversations.observed`): the numbers the aggregator saw itself.
    var observedMessageCount: Distribution? = nil
    var observedDurationMinutes: Distribution? = nil
    var disagree: Double? = nil
  }

  struct Contacts: Equatable, Sendable {
    var created = 0.0
    var bySource: [Entry] = []
  }

  var seq = 0.0
  var isFinal = false
  var generatedAt = ""
  /// `eventTime.first` and `.last`, as written (nil before the first event).
  var firstEventTime: String? = nil
  var lastEventTime: String? = nil
  var input = Input()
  var messages = Messages()
  var funnel = Funnel()
  var rates = Rates()
  var responseTime = Latency()
  var agentResponseTime = Latency()
  var volumeByHour = Series(
    received: [Double](repeating: 0, count: 24), sent: [Double](repeating: 0, count: 24))
  var heatmap = Series(
    received: [[Double]](repeating: [Double](repeating: 0, count: 24), count: 7),
    sent: [[Double]](repeating: [Double](repeating: 0, count: 24), count: 7))
  /// In the order of the document; renderers sort as they need.
  var countries: [Country] = []
  var agents: [Agent] = []
  var conversations = Conversations()
  var contacts = Contacts()
  var uniqueUsers = 0.0

  // Version 2 (SPEC §5, "Version 2 of the snapshot"): nil where the record does not have the
  // section, so that a version 1 snapshot renders as before and a section shows only when
  // its producer wrote it.
  var version = 1.0
  /// Set for a `wa.window` record.
  var window: Window? = nil
  var firstResponseTime: Latency? = nil
  var agentFirstResponseTime: Latency? = nil
  var assignmentResponseTime: Latency? = nil
  var waiting: Waiting? = nil
  var sla: SLA? = nil
  var handling: Handling? = nil
  var templates: [Template]? = nil
  var campaigns: [Campaign]? = nil
  var pricing: Pricing? = nil
  var cost: Cost? = nil
  var byIdentity: Identity? = nil

  init() {}
}
