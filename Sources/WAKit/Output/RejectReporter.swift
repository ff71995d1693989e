/// Accounts for rejected lines: one NDJSON record each in the rejects file (`--rejects`),
/// or else one human-readable diagnostic each on stderr (unless `--quiet`).
///
/// Record shape (SPEC §3):
/// `{"line":17,"source":"webhook.log","tool":"wa-validate","version":"1.0.0",
///   "errors":[{"code":"missing_field","path":"properties.messageId","message":"…"}],
///   "input":"<the line as a JSON string>"}` — `inputBase64` instead of `input` when the line
/// is not UTF-8; for a line over the limit, its first bytes with `"truncated":true,"bytes":N`.
/// An element of a batch line gets `"item":3` (counted from 0) after `line`, paths such as
/// `batch[3].userId`, and the element's own bytes as its input.
final class RejectReporter {
  let tool: String
  let version: String
  let rejects: OutputBuffer?
  let diagnostics: OutputBuffer
  let quiet: Bool
  /// How much of a rejected line a diagnostic shows.
  static let shownInputBytes = 160

  init(
    tool: String, version: String, rejects: OutputBuffer?, diagnostics: OutputBuffer,
    quiet: Bool
  ) {
    self.tool = tool
    self.version = version
    self.rejects = rejects
    self.diagnostics = diagnostics
    self.quiet = quiet
  }

  func report(_ line: Line, source: String, problems: [Problem]) {
    report(line, source: source, problems: problems, item: nil)
  }

  /// `item`: the element's index when `line` is an element of a batch line.
  func report(_ line: Line, source: String, problems: [Problem], item: Int?) {
    if let rejects {
      writeRecord(line, source: source, problems: problems, item: item, to: rejects)
    } else if !quiet {
      writeDiagnostic(line, source: source, problems: problems, item: item)
    }
  }

  /// A problem's path, under `batch[i]` for an element of a batch.
  static func path(_ p: Problem, item: Int?) -> String {
    guard let item else { return p.path }
    return "batch[\(item)]" + (p.path.isEmpty || p.path.hasPrefix("[") ? "" : ".") + p.path
  }

  private func writeRecord(
    _ line: Line, source: String, problems: [Problem], item: Int?, to out: OutputBuffer
  ) {
    out.write("{\"line\":")
    out.write(integer: line.number)
    if let item {
      out.write(",\"item\":")
      out.write(integer: item)
    }
    out.write(",\"source\":")
    JSONString.appendQuoted(source, to: out)
    out.write(",\"tool\":\"\(tool)\",\"version\":\"\(version)\",\"errors\":[")
    for (i, p) in problems.enumerated() {
      if i > 0 { out.write(byte: 0x2C) }
      out.write("{\"code\":")
      JSONString.appendQuoted(p.codeName, to: out)
      out.write(",\"path\":")
      JSONString.appendQuoted(Self.path(p, item: item), to: out)
      out.write(",\"message\":")
      JSONString.appendQuoted(p.message, to: out)
      out.write(byte: 0x7D)
    }
    out.write(byte: 0x5D)
    if UTF8Check.isValid(line.bytes) {
      out.write(",\"input\":\"")
      JSONString.appendEscaped(line.bytes, to: out)
      out.write(byte: 0x22)
    } else {
      out.write(",\"inputBase64\":\"")
      Base64.append(line.bytes, to: out)
      out.write(byte: 0x22)
    }
    if line.isTruncated {
      out.write(",\"truncated\":true,\"bytes\":")
      out.write(integer: line.length)
    }
    out.write("}\n")
  }

  /// `wa-validate: webhook.log:17: properties.messageId: missing_field: required for
  /// message.read; timestamp: invalid_timestamp: … | input: {"type":…`
  private func writeDiagnostic(_ line: Line, source: String, problems: [Problem], item: Int?) {
    var text = "\(tool): \(TerminalEscape.escape(source)):\(line.number): "
    for (i, p) in problems.enumerated() {
      if i > 0 { text += "; " }
      let path = Self.path(p, item: item)
      if !path.isEmpty { text += TerminalEscape.escape(path) + ": " }
      text += p.codeName + ": " + TerminalEscape.escape(p.message)
    }
    text += " | input: " + TerminalEscape.escape(line.bytes, limit: Self.shownInputBytes) + "\n"
    diagnostics.write(text)
  }
}
