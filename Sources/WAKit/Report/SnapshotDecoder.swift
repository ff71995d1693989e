/// Why a line is not a snapshot wa-report can render: a short reason naming the JSON path.
struct SnapshotError: Error, Equatable, Sendable {
  let message: String
  init(_ message: String) { self.message = message }
}

/// Reads snapshot lines (SPEC §5, version 1) into `Snapshot` values.
///
/// Strict about the shape, lenient about extras: every field of version 1 must be present
/// with its type (a number, or `null` where the spec allows it), because rendering a missing
/// count as 0 would show a made-up number on a dashboard; members the spec does not name are
/// ignored, so a producer may add fields without breaking older reports. One decoder is
/// reused from line to line (its tape keeps its node array).
final class SnapshotDecoder {
  let tape = JSONTape()

  init() {}

  /// A node and the JSON path that leads to it, for error messages.
  struct Cursor {
    var node: Int
    var path: String
    func child(_ key: String) -> String { path.isEmpty ? key : path + "." + key }
  }

  /// Decodes one snapshot line; a window or conversation record is an error here. The bytes
  /// need only live for the duration of the call.
  func decode(_ line: UnsafeRawBufferPointer) throws(SnapshotError) -> Snapshot {
    switch try decodeRecord(line) {
    case .snapshot(let s): return s
    case .window: throw SnapshotError("a window record (wa.window), not a snapshot")
    case .conversation:
      throw SnapshotError("a conversation record (wa.conversation), not a snapshot")
    }
  }

  /// Decodes one line of wa-aggregate's output: a snapshot (version 1 or 2), a window record
  /// or a conversation record (version 2).
  ///
  /// A window record has the sections of a snapshot, but its `input` holds only `events` and
  /// `duplicates` (SPEC §5), so the other input counts, `final` and `eventTime` may be absent
  /// there. Version 2 sections are read when present and nil otherwise; when present they
  /// are held to their shape as strictly as version 1's.
  func decodeRecord(_ line: UnsafeRawBufferPointer) throws(SnapshotError) -> ReportRecord {
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
    let kind = tape.member(0, "kind").flatMap { tape.string($0) }
    let name: String
    switch kind {
    case "wa.snapshot": name = "snapshot"
    case "wa.window": name = "window record"
    case "wa.conversation": name = "conversation record"
    default:
      throw SnapshotError(
        "no \"kind\":\"wa.snapshot\" (nor \"wa.window\" or \"wa.conversation\")")
    }
    guard let versionNode = tape.member(0, "version"), let version = tape.double(versionNode)
    else { throw SnapshotError("version: missing or not a number") }
    let readable: ClosedRange<Double> = kind == "wa.snapshot" ? 1...2 : 2...2
    guard readable.contains(version) else {
      let reads = kind == "wa.snapshot" ? "1 and 2" : "2"
      throw SnapshotError(
        "\(name) version \(Self.integerText(version)) (this wa-report reads \(reads))")
    }
    switch kind {
    case "wa.window": return .window(try snapshot(root, version: version, window: true))
    case "wa.conversation": return .conversation(try conversation(root))
    default: return .snapshot(try snapshot(root, version: version, window: false))
    }
  }

  private func snapshot(_ root: Cursor, version: Double, window: Bool) throws(SnapshotError)
    -> Snapshot
  {
    var s = Snapshot()
    s.version = version
    s.seq = try count(root, "seq")
    s.generatedAt = try string(root, "generatedAt")
    if window {
      s.window = try self.window(try object(root, "window"))
      s.isFinal = try optionalBool(root, "final") ?? false
      if let eventTime = try optionalObject(root, "eventTime") {
        s.firstEventTime = try optionalString(eventTime, "first")
        s.lastEventTime = try optionalString(eventTime, "last")
      }
    } else {
      s.isFinal = try bool(root, "final")
      let eventTime = try object(root, "eventTime")
      s.firstEventTime = try optionalString(eventTime, "first")
      s.lastEventTime = try optionalString(eventTime, "last")
    }
    s.input = try input(try object(root, "input"), window: window)
    s.messages = try messages(try object(root, "messages"))
    s.funnel = try funnel(try object(root, "funnel"))
    s.rates = try rates(try object(root, "rates"))
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
    let users = try object(root, "users")
    s.uniqueUsers = try count(users, "unique")
    try version2(root, users, &s)
    return s
  }

  // MARK: Sections

  private func input(_ c: Cursor, window: Bool) throws(SnapshotError) -> Snapshot.Input {
    var i = Snapshot.Input()
    i.events = try count(c, "events")
    i.duplicates = try count(c, "duplicates")
    if window {
      // A window counts only the events attributed to it (SPEC §5).
      i.lines = try optionalCount(c, "lines") ?? 0
      i.blank = try optionalCount(c, "blank") ?? 0
      i.rejected = try optionalCount(c, "rejected") ?? 0
      i.late = try optionalCount(c, "late") ?? 0
      i.evicted = try optionalCount(c, "evicted") ?? 0
    } else {
      i.lines = try count(c, "lines")
      i.blank = try count(c, "blank")
      i.rejected = try count(c, "rejected")
      i.late = try count(c, "late")
      i.evicted = try count(c, "evicted")
    }
    i.foreign = try optionalCount(c, "foreign")
    i.batches = try optionalCount(c, "batches")
    i.batchItems = try optionalCount(c, "batchItems")
    i.outOfRange = try optionalCount(c, "outOfRange")
    return i
  }

  func rates(_ c: Cursor) throws(SnapshotError) -> Snapshot.Rates {
    Snapshot.Rates(
      delivery: try number(c, "delivery"), read: try number(c, "read"),
      reply: try number(c, "reply"))
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

  func latency(_ c: Cursor) throws(SnapshotError) -> Snapshot.Latency {
    var l = Snapshot.Latency()
    l.count = try count(c, "count")
    l.mean = try number(c, "meanSeconds")
    l.p50 = try number(c, "p50Seconds")
    l.p90 = try number(c, "p90Seconds")
    l.p99 = try number(c, "p99Seconds")
    l.max = try number(c, "maxSeconds")
    if tape.member(c.node, "buckets") != nil { l.buckets = try entries(c, "buckets") }
    if let business = try optionalObject(c, "business") { l.business = try latency(business) }
    return l
  }

  func optionalLatency(_ c: Cursor, _ key: StaticString) throws(SnapshotError)
    -> Snapshot.Latency?
  {
    guard let item = try optionalObject(c, key) else { return nil }
    return try latency(item)
  }

  func distribution(_ c: Cursor) throws(SnapshotError) -> Snapshot.Distribution {
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
      country.billable = try optionalCount(item, "billable")
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
      if let sla = try optionalObject(item, "sla") { agent.sla = try self.sla(sla) }
      agent.assignmentResponseTime = try optionalLatency(item, "assignmentResponseTime")
      result.append(agent)
    }
    return result
  }

  private func conversations(_ c: Cursor) throws(SnapshotError) -> Snapshot.Conversations {
    var conv = Snapshot.Conversations(
      resolved: try count(c, "resolved"), byResolution: try entries(c, "byResolution"),
      messageCount: try distribution(try object(c, "messageCount")),
      durationMinutes: try distribution(try object(c, "durationMinutes")))
    if let observed = try optionalObject(c, "observed") {
      // SPEC §5 names the two `observedMessageCount` and `observedDurationMinutes`; inside
      // `observed` a producer may also drop the prefix.
      if let d = try optionalObject(observed, "observedMessageCount") {
        conv.observedMessageCount = try distribution(d)
      } else if let d = try optionalObject(observed, "messageCount") {
        conv.observedMessageCount = try distribution(d)
      }
      if let d = try optionalObject(observed, "observedDurationMinutes") {
        conv.observedDurationMinutes = try distribution(d)
      } else if let d = try optionalObject(observed, "durationMinutes") {
        conv.observedDurationMinutes = try distribution(d)
      }
    }
    conv.disagree = try optionalCount(c, "disagree")
    return conv
  }

  // MARK: Values

  func value(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> Int {
    guard let node = tape.member(c.node, key) else {
      throw SnapshotError("\(c.child(key.description)): missing")
    }
    return node
  }

  func object(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> Cursor {
    try objectValue(Cursor(node: try value(c, key), path: c.child(key.description)))
  }

  func objectValue(_ c: Cursor) throws(SnapshotError) -> Cursor {
    guard tape.nodes[c.node].kind == .object else { throw mismatch(c, "an object") }
    return c
  }

  func count(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> Double {
    let node = try value(c, key)
    guard let v = tape.double(node), v >= 0, v.isFinite else {
      throw mismatch(Cursor(node: node, path: c.child(key.description)), "a number ≥ 0")
    }
    return v
  }

  /// A number, or nil for `null`.
  func number(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> Double? {
    let node = try value(c, key)
    if tape.nodes[node].kind == .null { return nil }
    guard let v = tape.double(node), v.isFinite else {
      throw mismatch(Cursor(node: node, path: c.child(key.description)), "a number or null")
    }
    return v
  }

  /// A count that version 2 added: nil when absent or `null`, an error when of another type.
  func optionalCount(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> Double? {
    guard let node = tape.member(c.node, key), tape.nodes[node].kind != .null else { return nil }
    return try count(c, key)
  }

  /// A number that may be absent or `null`.
  func optionalNumber(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> Double? {
    guard tape.member(c.node, key) != nil else { return nil }
    return try number(c, key)
  }

  /// A section that version 2 added: nil when absent or `null`.
  func optionalObject(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> Cursor? {
    guard let node = tape.member(c.node, key), tape.nodes[node].kind != .null else { return nil }
    return try object(c, key)
  }

  func optionalBool(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> Bool? {
    guard let node = tape.member(c.node, key), tape.nodes[node].kind != .null else { return nil }
    return try bool(c, key)
  }

  /// A string that may be absent or `null`.
  func maybeString(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> String? {
    guard tape.member(c.node, key) != nil else { return nil }
    return try optionalString(c, key)
  }

  private func bool(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> Bool {
    let node = try value(c, key)
    guard let v = tape.bool(node) else {
      throw mismatch(Cursor(node: node, path: c.child(key.description)), "true or false")
    }
    return v
  }

  func string(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> String {
    let node = try value(c, key)
    guard let v = tape.string(node) else {
      throw mismatch(Cursor(node: node, path: c.child(key.description)), "a string")
    }
    return v
  }

  func optionalString(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> String? {
    let node = try value(c, key)
    if tape.nodes[node].kind == .null { return nil }
    guard let v = tape.string(node) else {
      throw mismatch(Cursor(node: node, path: c.child(key.description)), "a string or null")
    }
    return v
  }

  /// A map of counts (`failedByCode`, `bySource`, …), in document order.
  func entries(_ c: Cursor, _ key: StaticString) throws(SnapshotError) -> [Snapshot.Entry] {
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
