/// The sink of wa-enrich: each valid event with `context.countryCode` and
/// `context.callingCode` spliced in before the closing brace of `context` (SPEC §4).
///
/// Every other byte of the line is kept as it was, so the output is the input plus the two
/// members; nothing is re-serialised. A field the event already has is left alone (adding it
/// again would make a duplicate key): an existing `context.countryCode` wins, even when it
/// differs from the phone number's region (wa-validate warns about that). For a number with
/// a non-geographic calling code (+800, +882 …) there is no region: only `callingCode` is
/// added.
struct EnrichSink: EventSink {
  let out: OutputBuffer

  init(out: OutputBuffer) { self.out = out }

  mutating func accept(_ line: Line, _ validator: EventValidator) -> Flow {
    let context = validator.scanner[.context]
    let bytes = line.bytes
    let close = Int(context.end)
    out.write(UnsafeRawBufferPointer(rebasing: bytes[..<close]))
    var first = context.has(ValueRef.isEmpty)
    if let region = validator.event.region, !validator.scanner[.contextCountryCode].isPresent {
      out.write(first ? "\"countryCode\":\"" : ",\"countryCode\":\"")
      out.write(byte: UInt8(region.rawValue >> 8))
      out.write(byte: UInt8(region.rawValue & 0xFF))
      out.write(byte: 0x22)
      first = false
    }
    if !validator.scanner[.contextCallingCode].isPresent {
      out.write(first ? "\"callingCode\":\"" : ",\"callingCode\":\"")
      out.write(integer: Int(validator.event.callingCode))
      out.write(byte: 0x22)
    }
    out.write(UnsafeRawBufferPointer(rebasing: bytes[close...]))
    out.write(byte: 0x0A)
    return out.failure == nil ? .proceed : .stop
  }

  mutating func flush() { out.flush() }
  var outputFailure: IOError? { out.failure }
}
