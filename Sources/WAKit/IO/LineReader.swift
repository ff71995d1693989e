#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// One input line: a view into the reader's buffer, valid only during the handler call.
struct Line {
  /// The line's bytes without its ending (`\n`, or `\r\n`). For a truncated line, its
  /// first `maxLineBytes` bytes.
  let bytes: UnsafeRawBufferPointer
  /// 1-based line number within the current input.
  let number: Int
  /// The full length of the line without its ending; larger than `bytes.count` when the
  /// line was longer than the limit and only its prefix was kept.
  let length: Int

  init(bytes: UnsafeRawBufferPointer, number: Int, length: Int) {
    self.bytes = bytes
    self.number = number
    self.length = length
  }

  var isTruncated: Bool { length > bytes.count }

  /// Empty, or only spaces and tabs (SPEC §1). A truncated line is never blank: it is
  /// rejected as too long whatever its first bytes are.
  var isBlank: Bool {
    if isTruncated { return false }
    for b in bytes where b != 0x20 && b != 0x09 { return false }
    return true
  }
}

/// What a line handler tells the reader after each call.
enum Flow: Equatable { case proceed, stop }

/// The consumer of a `LineReader`.
protocol LineHandler {
  /// One line (blank ones included; the handler decides what blank means).
  mutating func handle(_ line: Line) -> Flow
  /// The input has nothing more ready and the reader is about to block: flush output so a
  /// `tail -F` pipeline sees results at once. Returns how long the reader may wait (in
  /// milliseconds, `-1` for ever) before calling `timerFired`.
  mutating func inputIdle() -> Int32
  /// The wait that `inputIdle` asked for has passed with no input.
  mutating func timerFired() -> Flow
  /// A chunk of input has been processed (a place to look at the clock cheaply).
  mutating func chunkProcessed() -> Flow
}

extension LineHandler {
  mutating func inputIdle() -> Int32 { -1 }
  mutating func timerFired() -> Flow { .proceed }
  mutating func chunkProcessed() -> Flow { .proceed }
}

/// Splits a byte stream into lines with bounded memory.
///
/// One buffer of `maxLineBytes + chunkSize` bytes is allocated at start and reused: lines
/// are handed out as slices of it, a partial line is moved to the front before the next
/// `read(2)`, and a line longer than `maxLineBytes` is not grown but skipped to its newline,
/// keeping only its prefix (for the rejects record) and counting its length. So memory stays
/// flat whatever the input: a 20 MB line costs no more than a 1 MB one.
///
/// Rules (SPEC §1): a line ends at `\n`; one `\r` before it is removed; a UTF-8 byte-order
/// mark at the start of each input is skipped; a last line without `\n` is still a line
/// (a lone trailing `\r` at end of input is removed too, as if it ended the line).
final class LineReader {
  let maxLineBytes: Int
  private let chunkSize: Int
  private let capacity: Int
  private let buffer: UnsafeMutableRawPointer

  /// A reader whose buffer could be allocated, else nil: under a limit on the address space
  /// (`ulimit -v`) a large `--max-line-bytes` cannot be, and the tools say so (status 3)
  /// instead of aborting on the failed allocation.
  ///
  /// - Parameters:
  ///   - maxLineBytes: the longest line kept whole (bytes, without the line ending).
  ///   - chunkSize: bytes asked of each `read(2)`.
  init?(allocatingFor maxLineBytes: Int, chunkSize: Int = 1 << 18) {
    self.maxLineBytes = max(1, maxLineBytes)
    self.chunkSize = max(16, chunkSize)
    // Room for a whole kept line, its `\r`, one byte to prove it is too long, and a chunk.
    self.capacity = self.maxLineBytes + 2 + self.chunkSize
    var memory: UnsafeMutableRawPointer? = nil
    guard posix_memalign(&memory, 16, capacity) == 0, let memory else { return nil }
    self.buffer = memory
  }

  /// A reader; traps when its buffer cannot be allocated (tests, small limits).
  convenience init(maxLineBytes: Int, chunkSize: Int = 1 << 18) {
    self.init(allocatingFor: maxLineBytes, chunkSize: chunkSize)!
  }

  /// The message for a reader that could not be allocated.
  static func allocationFailure(_ maxLineBytes: Int) -> String {
    "cannot allocate the \(maxLineBytes)-byte line buffer of --max-line-bytes: "
      + "\(Errno.describe(ENOMEM)) (a smaller --max-line-bytes needs less)"
  }

  deinit { free(buffer) }

  /// How reading one input ended.
  enum Ending: Equatable {
    /// End of file.
    case endOfInput
    /// The handler asked to stop.
    case stoppedByHandler
    /// SIGINT or SIGTERM arrived.
    case interrupted
  }

  /// Reads `fd` to its end, handing every line to `handler`.
  func read<H: LineHandler>(_ fd: FileDescriptor, into handler: inout H) throws(IOError) -> Ending {
    var source = DescriptorSource(fd: fd)
    return try read(from: &source, into: &handler)
  }

  /// Reads `source` to its end, handing every line to `handler`.
  func read<S: ByteSource, H: LineHandler>(
    from source: inout S, into handler: inout H
  ) throws(IOError) -> Ending {
    var state = ScanState()
    while true {
      if state.overlong == nil {
        if deliverCompleteLines(&state, &handler) == .stop { return .stoppedByHandler }
        prepareRoomForRead(&state)
      }
      if handler.chunkProcessed() == .stop { return .stoppedByHandler }
      if Signals.stopRequested { return .interrupted }

      // Flush-on-idle: only when no more input is ready do we let the handler flush.
      var readiness = source.waitReadable(timeoutMilliseconds: 0)
      while readiness == .timedOut {
        let timeout = handler.inputIdle()
        readiness = source.waitReadable(timeoutMilliseconds: timeout)
        if readiness == .timedOut, handler.timerFired() == .stop { return .stoppedByHandler }
      }
      if readiness == .interrupted { return .interrupted }

      let readAt = state.overlong != nil ? maxLineBytes : state.end
      guard let n = try source.read(into: buffer + readAt, count: capacity - readAt)
      else { return .interrupted }
      if n == 0 {
        return finish(&state, &handler) == .stop ? .stoppedByHandler : .endOfInput
      }
      if state.overlong != nil {
        if skipOverlong(&state, readAt: readAt, count: n, &handler) == .stop {
          return .stoppedByHandler
        }
      } else {
        state.end += n
        if state.atStreamStart { skipByteOrderMark(&state, final: false) }
      }
    }
  }

  /// Reader position. `[start, end)` holds unconsumed bytes; `scanned` is how far the
  /// newline search has already looked, so a long partial line is not searched twice.
  private struct ScanState {
    var start = 0
    var end = 0
    var scanned = 0
    var lineNumber = 0
    var atStreamStart = true
    /// For a line being skipped: its length so far and its last byte (to drop a `\r`).
    var overlong: (length: Int, lastByte: UInt8)? = nil
  }

  /// Skips a UTF-8 byte-order mark at the start of the input. Decides as soon as the bytes
  /// seen differ from the mark, so a short first line is not held back waiting for 3 bytes.
  private func skipByteOrderMark(_ s: inout ScanState, final: Bool) {
    let mark = Self.byteOrderMark
    let count = min(s.end - s.start, 3)
    for i in 0..<count where buffer.load(fromByteOffset: s.start + i, as: UInt8.self) != mark[i] {
      s.atStreamStart = false
      return
    }
    if count < 3 && !final { return }
    s.atStreamStart = false
    if count == 3 {
      s.start += 3
      s.scanned = max(s.scanned, s.start)
    }
  }

  private func deliverCompleteLines<H: LineHandler>(_ s: inout ScanState, _ h: inout H) -> Flow {
    if s.atStreamStart { return .proceed }
    while s.scanned < s.end {
      guard let hit = memchr(buffer + s.scanned, 0x0A, s.end - s.scanned) else {
        s.scanned = s.end
        break
      }
      let newline = buffer.distance(to: hit)
      var length = newline - s.start
      if length > 0, buffer.load(fromByteOffset: newline - 1, as: UInt8.self) == 0x0D {
        length -= 1
      }
      s.lineNumber += 1
      let kept = min(length, maxLineBytes)
      let line = Line(
        bytes: UnsafeRawBufferPointer(start: buffer + s.start, count: kept),
        number: s.lineNumber, length: length)
      s.start = newline + 1
      s.scanned = s.start
      if h.handle(line) == .stop { return .stop }
    }
    return .proceed
  }

  /// Makes room for the next read: moves a partial line to the front, or starts skipping it
  /// when it is already longer than the limit.
  private func prepareRoomForRead(_ s: inout ScanState) {
    let pending = s.end - s.start
    if pending > maxLineBytes + 1 {
      // Too long whatever follows: keep its prefix at the front and skip the rest.
      let last = buffer.load(fromByteOffset: s.end - 1, as: UInt8.self)
      if s.start > 0 { memmove(buffer, buffer + s.start, maxLineBytes) }
      s.overlong = (length: pending, lastByte: last)
      s.start = 0
      s.end = maxLineBytes
      s.scanned = maxLineBytes
      return
    }
    if s.start > 0 && capacity - s.end < chunkSize {
      if pending > 0 { memmove(buffer, buffer + s.start, pending) }
      s.scanned -= s.start
      s.end = pending
      s.start = 0
    }
    if s.start == s.end {
      s.start = 0
      s.end = 0
      s.scanned = 0
    }
  }

  /// Consumes `count` bytes read at `readAt` while skipping an over-long line.
  private func skipOverlong<H: LineHandler>(
    _ s: inout ScanState, readAt: Int, count: Int, _ h: inout H
  ) -> Flow {
    guard var skip = s.overlong else { return .proceed }
    guard let hit = memchr(buffer + readAt, 0x0A, count) else {
      skip.length += count
      skip.lastByte = buffer.load(fromByteOffset: readAt + count - 1, as: UInt8.self)
      s.overlong = skip
      return .proceed
    }
    let newline = buffer.distance(to: hit)
    let before = newline - readAt
    var length = skip.length + before
    let previous =
      before > 0 ? buffer.load(fromByteOffset: newline - 1, as: UInt8.self) : skip.lastByte
    if previous == 0x0D { length -= 1 }
    s.overlong = nil
    s.lineNumber += 1
    let line = Line(
      bytes: UnsafeRawBufferPointer(start: buffer, count: maxLineBytes),
      number: s.lineNumber, length: length)
    // What follows the newline in this chunk is the start of the next line.
    s.start = newline + 1
    s.end = readAt + count
    s.scanned = s.start
    return h.handle(line)
  }

  /// End of input: the last line may have no newline.
  private func finish<H: LineHandler>(_ s: inout ScanState, _ h: inout H) -> Flow {
    if let skip = s.overlong {
      s.lineNumber += 1
      let length = skip.lastByte == 0x0D ? skip.length - 1 : skip.length
      s.overlong = nil
      return h.handle(
        Line(
          bytes: UnsafeRawBufferPointer(start: buffer, count: maxLineBytes),
          number: s.lineNumber, length: length))
    }
    if s.atStreamStart {
      skipByteOrderMark(&s, final: true)
      if deliverCompleteLines(&s, &h) == .stop { return .stop }
    }
    guard s.end > s.start else { return .proceed }
    var length = s.end - s.start
    if buffer.load(fromByteOffset: s.end - 1, as: UInt8.self) == 0x0D { length -= 1 }
    s.lineNumber += 1
    let line = Line(
      bytes: UnsafeRawBufferPointer(start: buffer + s.start, count: min(length, maxLineBytes)),
      number: s.lineNumber, length: length)
    s.start = s.end
    return h.handle(line)
  }
}

extension LineReader {
  /// UTF-8's byte-order mark, which an input may start with (SPEC §1) and which is skipped.
  static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

  /// A whole file read at once (a rate card, a holidays file) without its byte-order mark,
  /// skipped as the inputs skip it: a spreadsheet's "CSV UTF-8" starts with one.
  static func withoutByteOrderMark(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
    bytes.starts(with: byteOrderMark) ? bytes.dropFirst(byteOrderMark.count) : bytes[...]
  }
}
