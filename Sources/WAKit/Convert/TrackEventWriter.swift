/// Writes planned events as compact track events (SPEC §2), one per line, keys in the order
/// `type, event, userId, timestamp, properties, context`:
///
/// `{"type":"track","event":"message.received","userId":"+16505551234",
///   "timestamp":"2025-06-08T20:59:43Z","properties":{"messageId":"wamid…",
///   "chatId":"wa:106540352242922:16505551234","contentType":"text","hasMedia":false},
///   "context":{"channel":"whatsapp","source":"wa-convert"}}`
///
/// The JSON is written by hand into the output buffer: fixed parts as static bytes, strings
/// from the input decoded and re-escaped (so the output is canonical whatever escapes the
/// input used), no String built per event.
final class TrackEventWriter {
  /// The UTC day whose `YYYY-MM-DDT` is in `datePrefix`.
  private var cachedDay = Int64.min
  private var datePrefix = [UInt8](repeating: 0, count: 11)
  /// False when `RFC3339.format` does not give the expected `YYYY-MM-DDTHH:MM:SSZ` shape;
  /// then every timestamp is formatted by it in full.
  private var prefixUsable = false

  func write(_ e: PlannedEvent, from tape: JSONTape, to out: OutputBuffer) {
    put(#"{"type":"track","event":""#, out)
    put(Self.name(e.kind), out)
    put(#"","userId":""#, out)
    user(e, tape, out)
    put(#"","timestamp":""#, out)
    writeTimestamp(e.seconds, to: out)
    put(#"","properties":{"messageId":""#, out)
    string(e.id, tape, out)
    put(#"""#, out)
    if e.kind == .received || e.kind == .sent {
      put(#","chatId":"wa:"#, out)
      if e.scope >= 0 {
        string(e.scope, tape, out)
      } else {
        put("onprem", out)
      }
      out.write(byte: 0x3A)  // :
      if e.userIsPhone {
        tape.withDecoded(e.user) { out.write(WebhookConverter.digits($0)) }
      } else {
        string(e.user, tape, out)
      }
      put(#"""#, out)
    }
    if e.contentType >= 0 {
      put(#","contentType":""#, out)
      if let name = e.contentTypeName { put(name, out) } else { string(e.contentType, tape, out) }
      // `hasMedia` is a property of `message.received` only (SPEC §2).
      if e.kind == .received {
        put(e.hasMedia ? #"","hasMedia":true"# : #"","hasMedia":false"#, out)
      } else {
        out.write(byte: 0x22)  // "
      }
    }
    if e.replyTo >= 0 {
      put(#","replyTo":""#, out)
      string(e.replyTo, tape, out)
      put(#"""#, out)
    }
    if let code = e.errorCode {
      put(#","errorCode":"#, out)
      out.write(integer: Int(code))
    }
    if e.errorTitle >= 0 {
      put(#","errorTitle":""#, out)
      string(e.errorTitle, tape, out)
      put(#"""#, out)
    }
    if e.pricing >= 0 { pricing(e.pricing, tape, out) }
    put(#"},"context":{"channel":"whatsapp","source":"wa-convert""#, out)
    if e.bsuid >= 0 {
      put(#","bsuid":""#, out)
      string(e.bsuid, tape, out)
      put(#"""#, out)
    }
    if e.username >= 0 {
      put(#","username":""#, out)
      string(e.username, tape, out)
      put(#"""#, out)
    }
    put("}}\n", out)
  }

  /// `userId`: `+` and the digits of a phone number, or the BSUID as it is.
  @inline(__always)
  private func user(_ e: PlannedEvent, _ tape: JSONTape, _ out: OutputBuffer) {
    if e.userIsPhone {
      out.write(byte: 0x2B)  // +
      tape.withDecoded(e.user) { out.write(WebhookConverter.digits($0)) }
    } else {
      string(e.user, tape, out)
    }
  }

  /// `,"pricing":{…}` from Meta's status `pricing`: `billable`, `model` (Meta's
  /// `pricing_model`), `category`, `type`; a member of another JSON type is left out rather
  /// than passed on to fail validation.
  private func pricing(_ node: Int, _ tape: JSONTape, _ out: OutputBuffer) {
    put(#","pricing":{"#, out)
    var first = true
    func key(_ name: StaticString) {
      if !first { out.write(byte: 0x2C) }
      first = false
      put(name, out)
    }
    if let billable = tape.value(node, "billable"), tape.nodes[billable].kind == .bool {
      key(#""billable":"#)
      let isTrue = tape.nodes[billable].flags & ValueRef.isTrue != 0
      put(isTrue ? "true" : "false", out)
    }
    func member(_ source: StaticString, _ name: StaticString) {
      guard let value = tape.value(node, source), tape.nodes[value].kind == .string else {
        return
      }
      key(name)
      string(value, tape, out)
      out.write(byte: 0x22)
    }
    member("pricing_model", #""model":""#)
    member("category", #""category":""#)
    member("type", #""type":""#)
    out.write(byte: 0x7D)  // }
  }

  static func name(_ kind: EventKind) -> StaticString { kind.staticName }

  @inline(__always)
  private func put(_ s: StaticString, _ out: OutputBuffer) {
    out.write(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
  }

  @inline(__always)
  private func string(_ node: Int, _ tape: JSONTape, _ out: OutputBuffer) {
    tape.withDecoded(node) { JSONString.appendEscaped($0, to: out) }
  }

  /// `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339, UTC, whole seconds: Meta's timestamps have no
  /// fraction). The calendar is `RFC3339.format`'s, asked once per UTC day; the time of day
  /// is written here, since a log holds many events per day.
  func writeTimestamp(_ seconds: Int64, to out: OutputBuffer) {
    let day = seconds / 86_400  // seconds ≥ 0: checked by the converter
    if day != cachedDay { cacheDate(of: day) }
    guard prefixUsable else {
      out.write(RFC3339.format(Timestamp(seconds: seconds), fractionDigits: 0))
      return
    }
    datePrefix.withUnsafeBytes { out.write($0) }
    let s = Int(seconds - day * 86_400)
    twoDigits(s / 3600, then: 0x3A, out)  // HH:
    twoDigits(s / 60 % 60, then: 0x3A, out)  // MM:
    twoDigits(s % 60, then: 0x5A, out)  // SSZ
  }

  @inline(__always)
  private func twoDigits(_ value: Int, then separator: UInt8, _ out: OutputBuffer) {
    out.write(byte: UInt8(truncatingIfNeeded: 0x30 + value / 10))
    out.write(byte: UInt8(truncatingIfNeeded: 0x30 + value % 10))
    out.write(byte: separator)
  }

  private func cacheDate(of day: Int64) {
    cachedDay = day
    let text = Array(RFC3339.format(Timestamp(seconds: day * 86_400), fractionDigits: 0).utf8)
    prefixUsable =
      text.count == 20 && text[10] == 0x54 && text[19] == 0x5A
      && text[11..<19].elementsEqual("00:00:00".utf8)
    if prefixUsable { datePrefix.replaceSubrange(0..<11, with: text[0..<11]) }
  }
}
