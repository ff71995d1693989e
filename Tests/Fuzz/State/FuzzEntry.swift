// libFuzzer entry point over the state loader (`scripts/fuzz --state`): any bytes given to
// `wa-aggregate --state` or `--merge` must be refused with a reason or load into a state
// that keeps working — never a crash, a hang or an unbounded allocation.
// Each input is tried twice: as it is (the header and checksum checks), and with its length
// field and checksum recomputed, so that mutations reach the section decoders behind them.
// Built by scripts/fuzz together with the WAKit sources; not a SwiftPM target.

private let fingerprint = StateFingerprint(AggregateOptions())
private let validator = EventValidator()
private let event = Array(
  (#"{"type":"track","event":"message.sent","userId":"+254712345678","#
    + #""timestamp":"2026-03-02T10:00:00Z","properties":{"messageId":"m9","agentId":"a1"},"#
    + #""context":{"channel":"whatsapp"}}"#).utf8)
private let snapshots = OutputBuffer(fd: FileDescriptor(rawValue: -1), capacity: 1 << 22)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  exercise(bytes)
  if size >= StateFile.headerBytes + 8 {
    var sealed = bytes
    withUnsafeBytes(of: UInt64(size).littleEndian) { for i in 0..<8 { sealed[16 + i] = $0[i] } }
    let sum = sealed.withUnsafeBytes {
      Hash64.hash(UnsafeRawBufferPointer(rebasing: $0[0..<size - 8]), seed: StateFile.checksumSeed)
    }
    withUnsafeBytes(of: sum.littleEndian) { for i in 0..<8 { sealed[size - 8 + i] = $0[i] } }
    exercise(sealed)
  }
  // The text form: its decoder, and what it decodes to.
  if let decoded = try? StateText.decode(bytes) { exercise(decoded) }
  return 0
}

/// Loads `bytes`; when they load, the state must take an event, give a snapshot, merge with
/// itself and save again.
private func exercise(_ bytes: [UInt8]) {
  var a = Aggregator()
  do {
    _ = try StateFile.decode(bytes, fingerprint: fingerprint, into: &a)
  } catch {
    precondition(!error.message.isEmpty, "refused without a reason")
    return
  }
  var line = event
  line.withUnsafeMutableBytes { raw in
    let l = Line(bytes: UnsafeRawBufferPointer(raw), number: 1, length: raw.count)
    if validator.validate(l) { a.add(validator) }
  }
  snapshots.discardPending()
  SnapshotWriter.write(a.metrics, seq: 1, final: true, generatedAt: 0, to: snapshots)
  var b = Aggregator()
  let saved = StateFile.encode(a, seq: 1, fingerprint: fingerprint)
  do {
    _ = try StateFile.decode(saved, fingerprint: fingerprint, into: &b)
  } catch {
    preconditionFailure("a saved state does not load: \(error.message)")
  }
  b.merge(a)
}
