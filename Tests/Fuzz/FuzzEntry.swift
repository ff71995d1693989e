// libFuzzer entry point over the hot path: scanner (its fast path and stage 1 against its
// general path reading strings eight bytes at a time), the batch fast path against the
// general path's batches (and its walk on stage 1's structure masks against its walk string
// by string), validator, enrich splice, tape, and the webhook converter.
// Built by scripts/ci/fuzz (swiftc -sanitize=fuzzer,address) together with the WAKit sources;
// not a SwiftPM target, so `swift build` never sees it.
#if canImport(Glibc)
  import Glibc
#endif

private let validator = EventValidator()
private let tape = JSONTape()
private let sink = OutputBuffer(
  fd: FileDescriptor(rawValue: open("/dev/null", O_WRONLY)), capacity: 1 << 16)
private let converter = WebhookConverter(options: .init(includeReactions: true))
private let converted = OutputBuffer(fd: FileDescriptor(rawValue: -1), capacity: 1 << 22)
private let checker = EventValidator()
private let fast = JSONScanner()
private let general = JSONScanner()
private let batchValidator = EventValidator()
private let stringsWalk = BatchLine()

/// Checks invariants that must hold for any input line, crashing (so libFuzzer reports
/// it) when one does not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  let line = Line(bytes: bytes, number: 1, length: size)
  let valid = validator.validate(line)
  // The tape and the scanner must agree on validity.
  let parsed = tape.parse(bytes)
  if parsed != (validator.scanner.error == nil && !line.isTruncated) && !valid {
    if validator.errors.allSatisfy({ $0.code == .error(.lineTooLong) }) == false {
      precondition(parsed == (validator.scanner.error == nil), "tape and scanner disagree")
    }
  }
  // The scanner's fast path with stage 1 (the tools' way), and its general path with
  // stage 1, must read the line exactly as the general path reading strings eight bytes
  // at a time does.
  for (fastPath, stage1) in [(true, true), (false, true)] {
    if fast.scan(bytes, fastPath: fastPath, stage1: stage1) {
      precondition(general.scan(bytes, fastPath: false, stage1: false), "only \(fastPath) accepts")
      precondition(fast.rootKind == general.rootKind, "the paths disagree on the root")
      for field in EventField.allCases {
        precondition(fast[field] == general[field], "the paths disagree on \(field)")
      }
    } else {
      precondition(
        !general.scan(bytes, fastPath: false, stage1: false), "only the general path accepts")
      precondition(fast.error == general.error, "the paths report different errors")
    }
  }
  // The batch fast path (BatchLine): a line it takes is one `validate` hands over as a batch,
  // with the same array, split into the same elements (each then checked as a line of its
  // own by the same code either way).
  // The batch walk on stage 1's structure masks (lines without a backslash) finds what the
  // walk string by string finds.
  let batchLine = batchValidator.batchLine
  let recognised = batchLine.recognise(bytes)
  precondition(
    recognised == stringsWalk.recognise(bytes, structure: false), "the batch walks disagree")
  if recognised {
    precondition(
      batchLine.open == stringsWalk.open && batchLine.close == stringsWalk.close
        && batchLine.commaCount == stringsWalk.commaCount
        && batchLine.moreCommas == stringsWalk.moreCommas, "the batch walks find different arrays")
    for k in 0..<batchLine.commaCount {
      precondition(
        batchLine.commas[k] == stringsWalk.commas[k], "the batch walks disagree on commas")
    }
  }
  if batchValidator.recogniseBatch(line) {
    let batch = batchValidator.batchLine
    precondition(!valid && validator.errors.isEmpty, "the fast path took a line that is no batch")
    precondition(
      validator.batchArray?.open == batch.open && validator.batchArray?.close == batch.close,
      "the paths find different arrays")
    var fastElements = batch.elements(of: bytes)
    var generalElements = BatchLine.Elements(
      BatchElements(bytes, open: batch.open, close: batch.close))
    while true {
      let a = fastElements.next()
      precondition(a == generalElements.next(), "the paths split the batch differently")
      if a == nil { break }
    }
  } else if validator.batchArray != nil {
    // And it takes every batch that opens as `{"batch":[` (the general path's array is
    // balanced, so `recognise` finds it whenever the line opens so).
    precondition(
      !batchValidator.batchLine.recognise(bytes), "a batch the fast path could take went around it")
  }
  if parsed {
    // Walking every node must stay inside the document.
    for (i, node) in tape.nodes.enumerated() {
      precondition(node.start >= 0 && Int(node.end) <= size && Int(node.next) > i)
    }
  }
  if valid {
    precondition(validator.errors.isEmpty)
    // Enriching a valid event must give a valid event again, one line long.
    let buffer = OutputBuffer(fd: FileDescriptor(rawValue: -1), capacity: size + 128)
    var enrich = EnrichSink(out: buffer)
    _ = enrich.accept(line, validator)
    precondition(buffer.pendingCount > size)
  } else {
    // A batch line is no event, and has no problem of its own: its elements have them.
    precondition(
      !validator.errors.isEmpty || validator.batchArray != nil, "rejected without a reason")
  }
  // Converting a body: rejected with a reason, or every event written is a valid event.
  converted.discardPending()
  if converter.convert(line, to: converted) {
    let out = converted.pendingBytes
    var start = 0
    var number = 0
    for i in 0..<out.count where out[i] == 0x0A {
      number += 1
      let event = UnsafeRawBufferPointer(rebasing: out[start..<i])
      precondition(
        checker.validate(Line(bytes: event, number: number, length: event.count)),
        "wa-convert wrote an event wa-validate rejects")
      start = i + 1
    }
    precondition(start == out.count, "wa-convert output does not end with a newline")
  } else {
    precondition(!converter.problems.isEmpty, "body rejected without a reason")
  }
  _ = sink
  return 0
}
