import Foundation

@testable import WAKit

/// What one body became: the lines written, the same parsed, the problems and the tally.
struct Converted {
  var accepted: Bool
  var lines: [String]
  var events: [[String: Any]]
  var problems: [Problem]
  var tally: ItemTally

  /// `properties` of event `i`.
  func properties(_ i: Int) -> [String: Any] { events[i]["properties"] as? [String: Any] ?? [:] }

  /// `code path` of each problem, the way a user greps them.
  var problemList: [String] { problems.map { "\($0.codeName) \($0.path)" } }
}

/// Converts one body with a fresh converter.
func convert(_ body: String, _ options: WebhookConverter.Options = .init()) -> Converted {
  convert(body, with: WebhookConverter(options: options))
}

/// Converts one body with `converter`, capturing its output through a pipe.
func convert(_ body: String, with converter: WebhookConverter) -> Converted {
  var fds: [Int32] = [-1, -1]
  guard pipe(&fds) == 0 else {
    return Converted(accepted: false, lines: [], events: [], problems: [], tally: ItemTally())
  }
  let out = OutputBuffer(fd: FileDescriptor(rawValue: fds[1]))
  let bytes = Array(body.utf8)
  let accepted = bytes.withUnsafeBytes { raw in
    converter.convert(Line(bytes: raw, number: 1, length: raw.count), to: out)
  }
  out.flush()
  close(fds[1])
  let data = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile()
  let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
  let events = lines.map { line in
    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
  }
  return Converted(
    accepted: accepted, lines: lines, events: events, problems: converter.problems,
    tally: converter.tally)
}

/// Meta's Cloud API envelope around one `value` (one entry, one change).
func cloudBody(
  messages: [String]? = nil, statuses: [String]? = nil, errors: [String]? = nil,
  field: String = "messages"
) -> String {
  var value =
    #"{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","#
    + #""phone_number_id":"106540352242922"}"#
  if let messages {
    value += #","contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}]"#
    value += #","messages":["# + messages.joined(separator: ",") + "]"
  }
  if let statuses { value += #","statuses":["# + statuses.joined(separator: ",") + "]" }
  if let errors { value += #","errors":["# + errors.joined(separator: ",") + "]" }
  value += "}"
  return #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":"#
    + #"[{"value":\#(value),"field":"\#(field)"}]}]}"#
}

/// An inbound message item of `type` with the given extra members.
func message(
  _ type: String, id: String = "wamid.M1", from: String = "16505551234",
  timestamp: String = "\"1749416383\"", _ extra: String = ""
) -> String {
  #"{"from":"\#(from)","id":"\#(id)","timestamp":\#(timestamp),"type":"\#(type)""#
    + (extra.isEmpty ? "" : "," + extra) + "}"
}

/// A status item.
func status(
  _ value: String, id: String = "wamid.S1", recipient: String = "16505551234",
  timestamp: String = "\"1750030073\"", _ extra: String = ""
) -> String {
  #"{"id":"\#(id)","status":"\#(value)","timestamp":\#(timestamp),"recipient_id":"\#(recipient)""#
    + (extra.isEmpty ? "" : "," + extra) + "}"
}
