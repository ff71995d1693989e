/// Why a line is not a snapshot wa-report can render: a short reason naming the JSON path.
public struct SnapshotError: Error, Equatable, Sendable {
  public let message: String
  public init(_ message: String) { self.message = message }
}

/// Reads snapshot lines (SPEC §5, version 1) into `Snapshot` values.
///
/// Strict about the shape, lenient about extras: every field of version 1 must be present
/// with its type (a number, or `null` where the spec allows it), because rendering a missing
/// count as 0 would show a made-up number on a dashboard; members the spec does not name are
/// ignored, so a producer may add fields without breaking older reports. One decoder is
/// reused from line to line (its tape keeps its node array).
public final class SnapshotDecoder {
  private let tape = JSONTape()

  public init() {}

  /// A node and the JSON path that leads to it, for error messages.
  private struct Cursor {
    var node: Int
    var path: String
    func child(_ key: String) -> String { path.isEmpty ? key : path + "." + key }
  }

  /// Decodes one line. The bytes need only live for the duration of the call.
  public func decode(_ line: UnsafeRawBufferPointer) throws(SnapshotError) -> Snapshot {
    guard tape.parse(line) else {
      guard let e = tape.error else { throw SnapshotError("invalid JSON") }
      let what: String
      switch e.kind {
      case .invalidJSON: what = "invalid JSON"
      case .invalidUTF8: what = "invalid UTF-8"
      case .tooDeep: what = "nested too deep"
      case .duplicateKey: what = "duplicate key"
      }
      throw SnapshotError(what + (e.path.isEmpty ? "" : " in \(e.path)") + ": " + e.message)
    }
    guard tape.nodes[0].kind == .object else {
      throw SnapshotError("\(tape.nodes[0].kind.article), not a JSON object")
    }
    let root = Cursor(node: 0, path: "")
    guard let kindNode = tape.member(0, "kind"), tape.string(kindNode) == "wa.snapshot" else {
      throw SnapshotError("no \"kind\":\"wa.snapshot\"")
    }
    guard let versionNode = tape.member(0, "version"), let version = tape.double(versionNode)
    else { throw SnapshotError("version: missing or not a number") }
    guard version == 1 || version == 2 else {
      throw SnapshotError(
        "snapshot version \(Self.integerText(version)) (this wa-report reads 1 and 2)")
    }
    var s = Snapshot()
    s.seq = try count(root, "seq")
    s.isFinal = try bool(root, "final")
    s.generatedAt = try string(root, "generatedAt")
    let eventTime = try object(root, "eventTime")
    s.firstEventTime = try optionalString(eventTime, "first")
    s.lastEventTime = try optionalString(eventTime, "last")
    s.input = try input(try object(root, "input"))
    s.messages = try messages(try object(root, "messages"))
    s.funnel = try funnel(try object(root, "funnel"))
    let rates = try object(root, "rates")
    s.rates = Snapshot.Rates(
      delivery: try number(rates, "delivery"), read: try number(rates, "read"),
      reply: try number(rates, "reply"))
    s.responseTime = try latency(try object(root, "responseTime"))
    s.agentResponseTime = try latency(try object(root, "agentResponseTime"))
    let volume = try object(root, "volumeByHour")
    s.volumeByHour = Snapshot.Series(
      received: try row(volume, "received"), sent: try row(volume, "sent"))
    let heatmap = try object(root, "heatmap")
    s.heatmap = Snapshot.Series(
      received: try grid(heatmap, "received"), sent: try grid(heatmap, "sent"))
    s.countries = try countries(try object(root, "countries"))
    s.agents = try agents(try object(root, "agents"))
    s.conversations = try conversations(try object(root, "conversations"))
    let contacts = try object(root, "contacts")
    s.contacts = Snapshot.Contacts(
      created: try count(contacts, "created"), bySource: try entries(contacts, "bySource"))
    s.uniqueUsers = try count(try object(root, "users"), "unique")
    if version == 2 { s.desk = try desk(root) }
    return s
  }

  // MARK: Sections

  private func input(_ c: Cursor) throws(SnapshotError) -> Snapshot.Input {
    Snapshot.Input(
      lines: try count(c, "lines"), events: try count(c, "events"), blank: try count(c, "blank"),
      rejected: try count(c, "rejected"), duplicates: try count(c, "duplicates"),
      late: try count(c, "late"), evicted: try count(c, "evicted"))
  }

  private func messages(_ c: Cursor) throws(SnapshotError) -> Snapshot.Messages {
    Snapshot.Messages(
      received: try count(c, "received"), sent: try count(c, "sent"),
      sentByAgent: try count(c, "sentByAgent"), sentAutomated: try count(c, "sentAutomated"),
      sentTemplate: try count(c, "sentTemplate"), delivered: try count(c, "delivered"),
      read: try count(c, "read"), failed: try count(c, "failed"),
      failedByCode: try entries(c, "failedByCode"),
      receivedByContentType: try entries(c, "receivedByContentType"),
      sentByContentType: try entries(c, "sentByContentType"))
  }

  private func funnel(_ c: Cursor) throws(SnapshotError) -> Snapshot.Funnel {
    Snapshot.Funnel(
      sent: try count(c, "sent"), delivered: try count(c, "delivered"),
      read: try count(c, "read"), replied: try count(c, "replied"),
      failed: try count(c, "failed"))
  }

  private func latency(_ c: Cursor) throws(SnapshotError) -> Snapshot.Latency {
    Snapshot.Latency(
      count: try count(c, "count"), mean: try number(c, "meanSeconds"),
      p50: try number(c, "p50Seconds"), p90: try number(c, "p90Seconds"),
      p99: try number(c, "p99Seconds"), max: try number(c, "maxSeconds"))
  }

  private func distribution(_ c: Cursor) throws(SnapshotError) -> Snapshot.Distribution {
    Snapshot.Distribution(
      mean: try number(c, "mean"), p50: try number(c, "p50"), p90: try number(c, "p90"),
      max: try number(c, "max"))
  }

  private func countries(_ c: Cursor) throws(SnapshotError) -> [Snapshot.Country] {
    var result: [Snapshot.Country] = []
    for (key, value) in tape.members(c.node) {
      let code = tape.string(key) ?? ""
      let item = try objectValue(Cursor(node: value, path: c.child(code)))
      var country = Snapshot.Country(code: code)
      country.received = try count(item, "received")
      country.sent = try count(item, "sent")
      country.contacts = try count(item, "contacts")
      country.users = try count(item, "users")
      result.append(country)
    }
    return result
  }

  private func agents(_ c: Cursor) throws(SnapshotError) -> [Snapshot.Agent] {
    var result: [Snapshot.Agent] = []
    for (key, value) in tape.members(c.node) {
      let id = tape.string(key) ?? ""
      let item = try objectValue(Cursor(node: value, path: c.child(id)))
      var agent = Snapshot.Agent(id: id)
      agent.messagesSent = try count(item, "messagesSent")
      agent.chatsResolved = try count(item, "chatsResolved")
      agent.avgDurationMinutes = try number(item, "avgDurationMinutes")
      agent.avgMessageCount = try number(item, "avgMessageCount")
      agent.responseTime = try latency(try object(item, "responseTime"))
      if tape.member(item.node, "assignmentResponseTime") != nil {
        var d = Snapshot.AgentDesk()
        d.business = try optionalLatency(try object(item, "responseTime"), "business")
        d.assignment = try latency(try object(item, "assignmentResponseTime"))
        d.sla = try slas(item)
        agent.desk = d
      }
      result.append(agent)
    }
    return result
  }

  private func conversations(_ c: Cursor) throws(SnapshotError) -> Snapshot.Conversations {
    Snapshot.Conversations(
      resolved: try count(c, "resolved"), byResolution: try entries(c, "byResolution"),
      messageCount: try distribution(try object(c, "messageCount")),
      durationMinutes: try distribution(try object(c, "durationMinutes")))
  }

  // MARK: Service desk (version 2)

  /// The service-desk sections, or nil when the snapshot has none (`firstResponseTime`).
  private func desk(_ root: Cursor) throws(SnapshotError) -> Snapshot.Desk? {
    guard tape.member(root.node, "firstResponseTime") != nil else { return nil }
    var d = Snapshot.Desk()
    for key: StaticString in [
      "responseTime", "agentResponseTime", "firstResponseTime", "agentFirstResponseTime",
      "assignmentResponseTime",
    ] {
      let c = try object(root, key)
      d.clocks.append(
        Snapshot.Clock(
          name: key.description, latency: try latency(c), buckets: try entries(c, "buckets"),
          business: try optionalLatency(c, "business")))
    }
    let waiting = try object(root, "waiting")
    d.waitingNow = try count(waiting, "now")
    d.waitingOverWindow = try count(waiting, "overWindow")
    d.sla = try slas(root)
    let handling = try object(root, "handling")
    for key: StaticString in [
      "botOnly", "handedOff", "agentOnly", "noReply", "assignments", "reassigned",
    ] {
      d.handling.append(Snapshot.Entry(key.description, try count(handling, key)))
    }
    let conversations = try object(root, "conversations")
    d.started = try count(conversations, "started")
    d.disagree = try count(conversations, "disagree")
    let observed = try object(conversations, "observed")
    d.observedDuration = try distribution(try object(observed, "durationMinutes"))
    d.observedMessages = try distribution(try object(observed, "messageCount"))
    return d
  }

  private func optionalLatency(_ c: Cursor, _ key: StaticString) throws(SnapshotError)
    -> Snapshot.Latency?
  {
    guard tape.member(c.node, key) != nil else { return nil }
    return try latency(try object(c, key))
  }

  /// `sla` of a snapshot or an agent: absent without targets.
  private func slas(_ c: Cursor) throws(SnapshotError) -> [Snapshot.SLA] {
    guard tape.member(c.node, "sla") != nil else { return [] }
    let sla = try object(c, "sla")
    var result: [Snapshot.SLA] = []
    for key: StaticString in ["firstResponse", "resolution"] {
      guard tape.member(sla.node, key) != nil else { continue }
      let x = try object(sla, key)
      result.append(
        Snapshot.SLA(
          name: key.description, target: try count(x, "target"), met: try count(x, "met"),
          missed: try count(x, "missed"), pending: try count(x, "pending"),
          rate: try number(x, "rate")))
    }
    return result
  }

  // MARK: Values

  private func value(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> Int {
    guard let node = tape.member(c.node, key) else {
      throw SnapshotError("\(c.child(key.description)): missing")
    }
    return node
  }

  private func object(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> Cursor {
    try objectValue(Cursor(node: try value(c, key), path: c.child(key.description)))
  }

  private func objectValue(_ c: Cursor) throws(SnapshotError) -> Cursor {
    guard tape.nodes[c.node].kind == .object else { throw mismatch(c, "an object") }
    return c
  }

  private func count(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> Double {
    let node = try value(c, key)
    guard let v = tape.double(node), v >= 0, v.isFinite else {
      throw mismatch(Cursor(node: node, path: c.child(key.description)), "a number ≥ 0")
    }
    return v
  }

  /// A number, or nil for `null`.
  private func number(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> Double? {
    let node = try value(c, key)
    if tape.nodes[node].kind == .null { return nil }
    guard let v = tape.double(node), v.isFinite else {
      throw mismatch(Cursor(node: node, path: c.child(key.description)), "a number or null")
    }
    return v
  }

  private func bool(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> Bool {
    let node = try value(c, key)
    guard let v = tape.bool(node) else {
      throw mismatch(Cursor(node: node, path: c.child(key.description)), "true or false")
    }
    return v
  }

  private func string(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> String {
    let node = try value(c, key)
    guard let v = tape.string(node) else {
      throw mismatch(Cursor(node: node, path: c.child(key.description)), "a string")
    }
    return v
  }

  private func optionalString(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> String? {
    let node = try value(c, key)
    if tape.nodes[node].kind == .null { return nil }
    guard let v = tape.string(node) else {
      throw mismatch(Cursor(node: node, path: c.child(key.description)), "a string or null")
    }
    return v
  }

  /// A map of counts (`failedByCode`, `bySource`, …), in document order.
  private func entries(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> [Snapshot.Entry] {
    let map = try object(c, key)
    var result: [Snapshot.Entry] = []
    for (k, v) in tape.members(map.node) {
      let name = tape.string(k) ?? ""
      guard let n = tape.double(v), n >= 0, n.isFinite else {
        throw mismatch(Cursor(node: v, path: map.child(name)), "a number ≥ 0")
      }
      result.append(Snapshot.Entry(name, n))
    }
    return result
  }

  /// An array of 24 counts (one per hour of the day).
  private func row(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> [Double] {
    try rowValue(Cursor(node: try value(c, key), path: c.child(key.description)))
  }

  private func rowValue(_ c: Cursor) throws(SnapshotError) -> [Double] {
    let items = tape.elements(c.node)
    guard tape.nodes[c.node].kind == .array, items.count == 24 else {
      throw mismatch(c, "an array of 24 numbers")
    }
    var result: [Double] = []
    result.reserveCapacity(24)
    for (i, node) in items.enumerated() {
      guard let v = tape.double(node), v >= 0, v.isFinite else {
        throw mismatch(Cursor(node: node, path: "\(c.path)[\(i)]"), "a number ≥ 0")
      }
      result.append(v)
    }
    return result
  }

  /// 7 rows (Monday first) of 24 counts.
  private func grid(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> [[Double]] {
    let node = try value(c, key)
    let path = c.child(key.description)
    let rows = tape.elements(node)
    guard tape.nodes[node].kind == .array, rows.count == 7 else {
      throw mismatch(Cursor(node: node, path: path), "an array of 7 arrays")
    }
    var result: [[Double]] = []
    for (i, row) in rows.enumerated() {
      result.append(try rowValue(Cursor(node: row, path: "\(path)[\(i)]")))
    }
    return result
  }

  private func mismatch(_ c: Cursor, _ expected: String) -> SnapshotError {
    SnapshotError("\(c.path): expected \(expected), found \(Self.describe(tape, c.node))")
  }

  /// A JSON value as an error message shows it: short, and safe for a terminal.
  private static func describe(_ tape: JSONTape, _ node: Int) -> String {
    switch tape.nodes[node].kind {
    case .object, .array: return tape.nodes[node].kind.article
    case .string: return "\"" + TerminalEscape.escape(tape.raw(node), limit: 40) + "\""
    default: return TerminalEscape.escape(tape.raw(node), limit: 40)
    }
  }

  private static func integerText(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
  }
}
