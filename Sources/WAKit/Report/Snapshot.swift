// Report: what wa-report does with the snapshots wa-aggregate writes (SPEC §5 and §6) —
// decode them from a JSONTape, render them as a terminal dashboard or as Prometheus text,
// and replace an output file atomically.

/// One wa-aggregate snapshot (SPEC §5, shape version 1), decoded for rendering.
///
/// Counts are `Double`: the distinct-user numbers are estimates that a producer may write
/// with a fraction, and keeping them exact lets the Prometheus output repeat them verbatim.
/// A JSON `null` (a rate with nothing sent, a quantile with no sample) stays `nil`, so the
/// renderers can show "no data" rather than a misleading zero.
public struct Snapshot: Equatable, Sendable {
  /// A named count from one of the snapshot's maps (`failedByCode`, `byResolution`, …).
  public struct Entry: Equatable, Sendable {
    public var key: String
    public var value: Double
    public init(_ key: String, _ value: Double) {
      self.key = key
      self.value = value
    }
  }

  /// `input`: how the aggregator's input lines were accounted for.
  public struct Input: Equatable, Sendable {
    public var lines = 0.0
    public var events = 0.0
    public var blank = 0.0
    public var rejected = 0.0
    public var duplicates = 0.0
    public var late = 0.0
    public var evicted = 0.0
    /// Version 2: lines of another kind (SPEC §2) and events outside `--since`/`--until`.
    var foreign: Double? = nil
    var outOfRange: Double? = nil
    /// Version 2: batch lines and the elements they held (SPEC §2 "Batches").
    var batches: Double? = nil
    var batchItems: Double? = nil
  }

  public struct Messages: Equatable, Sendable {
    public var received = 0.0
    public var sent = 0.0
    public var sentByAgent = 0.0
    public var sentAutomated = 0.0
    public var sentTemplate = 0.0
    public var delivered = 0.0
    public var read = 0.0
    public var failed = 0.0
    public var failedByCode: [Entry] = []
    public var receivedByContentType: [Entry] = []
    public var sentByContentType: [Entry] = []
  }

  /// Sent messages by the highest stage they reached (each count includes the later ones).
  public struct Funnel: Equatable, Sendable {
    public var sent = 0.0
    public var delivered = 0.0
    public var read = 0.0
    public var replied = 0.0
    public var failed = 0.0
  }

  public struct Rates: Equatable, Sendable {
    public var delivery: Double? = nil
    public var read: Double? = nil
    public var reply: Double? = nil
  }

  /// A response-time distribution, in seconds (`responseTime`, `agentResponseTime`).
  public struct Latency: Equatable, Sendable {
    public var count = 0.0
    public var mean: Double? = nil
    public var p50: Double? = nil
    public var p90: Double? = nil
    public var p99: Double? = nil
    public var max: Double? = nil
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
  public struct Distribution: Equatable, Sendable {
    public var mean: Double? = nil
    public var p50: Double? = nil
    public var p90: Double? = nil
    public var max: Double? = nil
  }

  /// Received and sent messages side by side (`volumeByHour`: 24 values; `heatmap`: 7 rows
  /// of 24, Monday first).
  public struct Series<Values: Equatable & Sendable>: Equatable, Sendable {
    public var received: Values
    public var sent: Values
  }

  public struct Country: Equatable, Sendable {
    public var code: String
    public var received = 0.0
    public var sent = 0.0
    public var contacts = 0.0
    public var users = 0.0
    /// Version 2 (`pricing`): billable messages to this country.
    var billable: Double? = nil
    public init(code: String) { self.code = code }
  }

  public struct Agent: Equatable, Sendable {
    public var id: String
    public var messagesSent = 0.0
    public var chatsResolved = 0.0
    public var avgDurationMinutes: Double? = nil
    public var avgMessageCount: Double? = nil
    public var responseTime = Latency()
    /// Version 2: the agent's share of the SLA counts and its time from assignment.
    var sla: SLA? = nil
    var assignmentResponseTime: Latency? = nil
    public init(id: String) { self.id = id }
  }

  public struct Conversations: Equatable, Sendable {
    public var resolved = 0.0
    public var byResolution: [Entry] = []
    public var messageCount = Distribution()
    public var durationMinutes = Distribution()
    /// Version 2 (`conversations.observed`): the numbers the aggregator saw itself.
    var observedMessageCount: Distribution? = nil
    var observedDurationMinutes: Distribution? = nil
    var disagree: Double? = nil
  }

  public struct Contacts: Equatable, Sendable {
    public var created = 0.0
    public var bySource: [Entry] = []
  }

  public var seq = 0.0
  public var isFinal = false
  public var generatedAt = ""
  /// `eventTime.first` and `.last`, as written (nil before the first event).
  public var firstEventTime: String? = nil
  public var lastEventTime: String? = nil
  public var input = Input()
  public var messages = Messages()
  public var funnel = Funnel()
  public var rates = Rates()
  public var responseTime = Latency()
  public var agentResponseTime = Latency()
  public var volumeByHour = Series(
    received: [Double](repeating: 0, count: 24), sent: [Double](repeating: 0, count: 24))
  public var heatmap = Series(
    received: [[Double]](repeating: [Double](repeating: 0, count: 24), count: 7),
    sent: [[Double]](repeating: [Double](repeating: 0, count: 24), count: 7))
  /// In the order of the document; renderers sort as they need.
  public var countries: [Country] = []
  public var agents: [Agent] = []
  public var conversations = Conversations()
  public var contacts = Contacts()
  public var uniqueUsers = 0.0

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

  public init() {}
}
