import Foundation

@testable import WAKit

/// Event lines for the scenarios: each builder writes the fields its event needs.
enum Ev {
  static let kenya = "+254712345678"
  static let kenya2 = "+254722000002"
  static let usa = "+12025550123"
  /// A non-geographic number (+800, International Freephone): no region.
  static let freephone = "+80012345678"

  static func line(
    _ event: String, user: String, at time: String?, _ properties: String,
    context: String = "", top: String = ""
  ) -> String {
    var s = #"{"type":"track","event":"\#(event)","userId":"\#(user)""#
    if let time { s += #","timestamp":"\#(time)""# }
    s += top
    s += #","properties":{\#(properties)},"context":{"channel":"whatsapp"\#(context)}}"#
    return s
  }

  static func received(
    _ id: String, user: String = kenya, at time: String, type: String? = "text",
    replyTo: String? = nil, extra: String = "", context: String = ""
  ) -> String {
    var p = #""messageId":"\#(id)","chatId":"chat_\#(user)""#
    if let type { p += #","contentType":"\#(type)""# }
    if let replyTo { p += #","replyTo":"\#(replyTo)""# }
    return line("message.received", user: user, at: time, p + extra, context: context)
  }

  static func sent(
    _ id: String, user: String = kenya, at time: String, agent: String? = nil,
    automated: Bool? = nil, template: String? = nil, type: String? = "text", extra: String = ""
  ) -> String {
    var p = #""messageId":"\#(id)""#
    if let type { p += #","contentType":"\#(type)""# }
    if let agent { p += #","agentId":"\#(agent)""# }
    if let automated { p += #","isAutomated":\#(automated)"# }
    if let template { p += #","templateId":"\#(template)""# }
    return line("message.sent", user: user, at: time, p + extra)
  }

  /// `message.delivered`, `message.read` or `message.failed` (`kind` is the part after the dot).
  static func status(
    _ kind: String, _ id: String, user: String = kenya, at time: String? = nil,
    extra: String = "", top: String = ""
  ) -> String {
    line("message.\(kind)", user: user, at: time, #""messageId":"\#(id)""# + extra, top: top)
  }

  static func resolved(
    _ chat: String, user: String = kenya, at time: String?, messages: Int, minutes: Double,
    agent: String? = nil, resolution: String? = nil
  ) -> String {
    var p = #""chatId":"\#(chat)","messageCount":\#(messages),"durationMinutes":\#(minutes)"#
    if let agent { p += #","agentId":"\#(agent)""# }
    if let resolution { p += #","resolution":"\#(resolution)""# }
    return line("chat.resolved", user: user, at: time, p)
  }

  static func contact(
    user: String = kenya, at time: String?, source: String? = nil, country: String? = nil
  ) -> String {
    var p: [String] = []
    if let source { p.append(#""source":"\#(source)""#) }
    if let country { p.append(#""countryCode":"\#(country)""#) }
    return line("contact.created", user: user, at: time, p.joined(separator: ","))
  }
}

/// An RFC 3339 time in March 2026, UTC. March 2, 2026 is a Monday.
func at(day: Int = 2, _ hour: Int, _ minute: Int = 0, _ second: Int = 0) -> String {
  func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
  return "2026-03-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))Z"
}

/// What one run of the aggregator wrote.
struct AggregateRun {
  var lines: [String]
  var snapshots: [Snapshot]
  var status: Int32
  var summary: Summary
  /// The last snapshot (the final one).
  var final: Snapshot { snapshots.last ?? Snapshot() }
}

/// Runs `lines` (joined by newlines) through `FilterRunner` and `AggregateSink`, with the
/// command-line `flags`, exactly as wa-aggregate does, and decodes every snapshot written.
func aggregate(_ lines: [String], _ flags: [String] = []) throws -> AggregateRun {
  try aggregate(bytes: Array((lines.joined(separator: "\n") + "\n").utf8), flags)
}

func aggregate(bytes: [UInt8], _ flags: [String] = []) throws -> AggregateRun {
  let run = try aggregateWritten(bytes: bytes, flags)
  let written = run.text.split(separator: "\n").map(String.init)
  let decoder = SnapshotDecoder()
  var snapshots: [Snapshot] = []
  // Only snapshots: `--emit conversations` interleaves `wa.conversation` records.
  for line in written where line.hasPrefix(#"{"kind":"wa.snapshot""#) {
    var bytes = Array(line.utf8)
    snapshots.append(try bytes.withUnsafeMutableBytes { try decoder.decode(.init($0)) })
  }
  return AggregateRun(
    lines: written, snapshots: snapshots, status: run.result.status.rawValue,
    summary: run.result.summary)
}

/// Runs `bytes` through `FilterRunner` and `AggregateSink` with the command-line `flags`, as
/// wa-aggregate does, and returns everything written to standard output.
func aggregateWritten(bytes: [UInt8], _ flags: [String]) throws -> (
  text: String, result: (summary: Summary, status: ExitStatus)
) {
  let dir = NSTemporaryDirectory() + "wa-agg-\(getpid())-\(UUID().uuidString.prefix(8))"
  let input = dir + "-in.ndjson"
  let output = dir + "-out.ndjson"
  _ = FileManager.default.createFile(atPath: input, contents: Data(bytes))
  defer {
    unlink(input)
    unlink(output)
  }
  let args = try FlagParser.parse(flags + [input], flags: AggregateOptions.flags)
  var options = try AggregateOptions(args)
  options.filter.quiet = true
  let outFD = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
  let nullFD = open("/dev/null", O_WRONLY)
  defer { close(nullFD) }
  var sink = AggregateSink(
    out: OutputBuffer(fd: FileDescriptor(rawValue: outFD)),
    aggregator: Aggregator(options.aggregator),
    every: options.every, interval: options.interval, snapshots: options.snapshots)
  let result = FilterRunner<AggregateSink>(
    tool: "wa-aggregate", options: options.filter,
    stderr: OutputBuffer(fd: FileDescriptor(rawValue: nullFD))
  ).run(sink: &sink)
  close(outFD)
  return ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "", result)
}

/// Decodes one snapshot line.
func decodeSnapshot(_ line: String) throws -> Snapshot {
  var bytes = Array(line.utf8)
  return try bytes.withUnsafeMutableBytes { try SnapshotDecoder().decode(.init($0)) }
}

extension Snapshot {
  /// A map of counts as a dictionary, for comparisons.
  static func map(_ entries: [Entry]) -> [String: Double] {
    Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) })
  }

  func agent(_ id: String) -> Agent? { agents.first { $0.id == id } }
  func country(_ code: String) -> Country? { countries.first { $0.code == code } }
}

/// Whether two quantile values agree within the sketch's 1% relative error.
func near(_ a: Double?, _ b: Double, tolerance: Double = 0.01) -> Bool {
  guard let a else { return false }
  return abs(a - b) <= tolerance * max(abs(b), 1e-9)
}
