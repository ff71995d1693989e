import Foundation
import Synchronization
import Testing

@testable import WAKit

#if canImport(Glibc)
  import Glibc
#endif

/// `OutputBuffer` and `FileDescriptor.writeAll` against a consumer slower than the producer:
/// a 4 KiB pipe drained in small chunks, so every large write waits for the reader; writes
/// interrupted by a signal (a short count once some bytes are in, `EINTR` before); a
/// non-blocking write end (a short count, then `EAGAIN` and `poll`). Whatever happens, the
/// reader must get every byte, in order, once.
@Suite("OutputBuffer and writeAll on a slow pipe", .serialized)  // one signal counter
struct OutputBufferTests {
  /// One call to an `OutputBuffer` writer.
  enum Piece {
    case byte(UInt8)
    case integer(Int)
    case text(String)
    case bytes([UInt8])
  }

  /// 8 MB of seeded pieces of every kind: single bytes, integers, strings, slices smaller and
  /// larger than the buffer; and the bytes they make. Made before writing, so that the writer
  /// spends its time in write(2), waiting for the reader.
  static func pieces(seed: UInt64) -> (pieces: [Piece], bytes: [UInt8]) {
    var rng = SeededGenerator(seed: seed)
    var pieces: [Piece] = []
    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 << 20 + 400_000)
    while bytes.count < 8 << 20 {
      switch rng.next() % 8 {
      case 0:
        let b = UInt8(truncatingIfNeeded: rng.next())
        pieces.append(.byte(b))
        bytes.append(b)
      case 1:
        let v = Int(bitPattern: UInt(truncatingIfNeeded: rng.next())) >> Int(rng.next() % 64)
        pieces.append(.integer(v))
        bytes += Array(String(v).utf8)
      case 2:
        let s = "line \(rng.next() % 1000) é ✓\n"
        pieces.append(.text(s))
        bytes += Array(s.utf8)
      default:
        // Up to 384 KiB: three times the buffer's 128 KiB, so some go straight to write(2).
        let limit: UInt64 = rng.next() % 4 == 0 ? 384 << 10 : 4096
        let piece = randomBytes(Int(rng.next() % limit), &rng)
        pieces.append(.bytes(piece))
        bytes += piece
      }
    }
    return (pieces, bytes)
  }

  static func write(_ pieces: [Piece], to buffer: OutputBuffer) {
    for piece in pieces {
      switch piece {
      case .byte(let b): buffer.write(byte: b)
      case .integer(let v): buffer.write(integer: v)
      case .text(let s): buffer.write(s)
      case .bytes(let b): b.withUnsafeBytes { buffer.write($0) }
      }
    }
    buffer.flush()
  }

  static func randomBytes(_ count: Int, _ rng: inout SeededGenerator) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { raw in
      var i = 0
      while i < count {
        withUnsafeBytes(of: rng.next()) { word in
          for b in word where i < count {
            raw[i] = b
            i += 1
          }
        }
      }
    }
    return bytes
  }

  /// The offset of the first byte where `a` and `b` differ, or nil when they are equal.
  static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int? {
    for i in 0..<min(a.count, b.count) where a[i] != b[i] { return i }
    return a.count == b.count ? nil : min(a.count, b.count)
  }

  /// A pipe of one page: a large write fills it at once and is partial.
  static func smallPipe() -> (read: Int32, write: Int32) {
    var fds: [Int32] = [-1, -1]
    precondition(pipe(&fds) == 0)
    let setPipeSize: Int32 = 1031  // F_SETPIPE_SZ
    _ = fcntl(fds[1], setPipeSize, 4096)
    return (fds[0], fds[1])
  }

  static func pipeSize(_ fd: Int32) -> Int32 { fcntl(fd, 1032) }  // F_GETPIPE_SZ

  /// Reads `fd` to end of file on its own thread, 1,000 bytes at a time, pausing now and
  /// then; optionally sends SIGUSR1 to a writer thread after every few reads while it writes.
  final class SlowReader: @unchecked Sendable {
    let fd: Int32
    private(set) var bytes: [UInt8] = []
    private(set) var signalsSent = 0
    private let finished = DispatchSemaphore(value: 0)
    /// The thread to interrupt and whether it is still writing (only then is it signalled,
    /// so no other thread of the test process ever receives SIGUSR1).
    let target = Atomic<UInt>(0)
    let writing = Atomic<Bool>(false)

    init(fd: Int32) { self.fd = fd }

    func start() {
      Thread.detachNewThread { self.run() }
    }

    private func run() {
      var chunk = [UInt8](repeating: 0, count: 1000)
      var reads = 0
      while true {
        let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        bytes += chunk[0..<n]
        reads += 1
        if reads % 32 == 0 { usleep(100) }
        if reads % 5 == 0, writing.load(ordering: .acquiring) {
          let thread = target.load(ordering: .acquiring)
          if thread != 0 {
            pthread_kill(pthread_t(thread), SIGUSR1)
            signalsSent += 1
          }
        }
      }
      Glibc.close(fd)
      finished.signal()
    }

    /// Waits until end of file; false after `seconds`.
    func wait(seconds: Int) -> Bool {
      finished.wait(timeout: .now() + .seconds(seconds)) == .success
    }
  }

  /// Runs `body` on a thread of its own, which stays alive until `reader` is done, so a
  /// signal meant for it cannot land on a thread that runs other tests.
  static func onWriterThread(
    _ reader: SlowReader, interrupt: Bool, _ body: @escaping @Sendable () -> Void
  ) -> Bool {
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      if interrupt {
        // A thread inherits its creator's signal mask, and the threads that run tests block
        // signals: unblock SIGUSR1 here, or it would stay pending and interrupt nothing.
        var usr1 = sigset_t()
        sigemptyset(&usr1)
        sigaddset(&usr1, SIGUSR1)
        pthread_sigmask(SIG_UNBLOCK, &usr1, nil)
        reader.target.store(UInt(pthread_self()), ordering: .releasing)
        reader.writing.store(true, ordering: .releasing)
      }
      body()
      reader.writing.store(false, ordering: .releasing)
      _ = reader.wait(seconds: 60)
      done.signal()
    }
    return done.wait(timeout: .now() + .seconds(60)) == .success
  }

  /// How many SIGUSR1 the handler below has run for.
  static let handledSignals = Atomic<Int>(0)

  /// A SIGUSR1 handler that only counts, installed without `SA_RESTART`: a blocked
  /// `write(2)` it interrupts returns the count written so far, or `EINTR` before any.
  static let interruptingHandler: Void = {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in
      OutputBufferTests.handledSignals.add(1, ordering: .relaxed)
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGUSR1, &action, nil)
  }()

  final class Box: @unchecked Sendable {
    var failure: IOError?
  }

  func run(nonBlocking: Bool, interrupt: Bool, seed: UInt64) throws {
    if interrupt { _ = Self.interruptingHandler }
    let (r, w) = Self.smallPipe()
    #expect(Self.pipeSize(w) == 4096, "the pipe could not be made small: writes may not be partial")
    if nonBlocking {
      _ = fcntl(w, F_SETFL, fcntl(w, F_GETFL) | O_NONBLOCK)
      #expect(fcntl(w, F_GETFL) & O_NONBLOCK != 0)
    }
    let (pieces, expected) = Self.pieces(seed: seed)
    let handledBefore = Self.handledSignals.load(ordering: .relaxed)
    let reader = SlowReader(fd: r)
    reader.start()
    let box = Box()
    let finished = Self.onWriterThread(reader, interrupt: interrupt) {
      let buffer = OutputBuffer(fd: FileDescriptor(rawValue: w))
      Self.write(pieces, to: buffer)
      box.failure = buffer.failure
      Glibc.close(w)
    }
    try #require(finished, "the writer or the reader did not finish within 60 s")
    #expect(box.failure == nil)
    #expect(reader.bytes.count == expected.count)
    let difference = Self.firstDifference(reader.bytes, expected)
    #expect(difference == nil, "the bytes read differ from the bytes written")
    if interrupt {
      let handled = Self.handledSignals.load(ordering: .relaxed) - handledBefore
      #expect(handled > 100, "\(handled) of \(reader.signalsSent) signals interrupted the writer")
    }
  }

  @Test func aSlowReaderOnAOnePagePipeGetsEveryByte() throws {
    try run(nonBlocking: false, interrupt: false, seed: 1)
  }

  @Test func writesInterruptedBySignalsArePartialAndLoseNothing() throws {
    try run(nonBlocking: false, interrupt: true, seed: 2)
  }

  @Test func aNonBlockingDescriptorWaitsInsteadOfFailing() throws {
    try run(nonBlocking: true, interrupt: false, seed: 3)
  }

  @Test func writeAllOfOneLargeBufferOnANonBlockingPipe() throws {
    _ = Self.interruptingHandler
    let (r, w) = Self.smallPipe()
    _ = fcntl(w, F_SETFL, fcntl(w, F_GETFL) | O_NONBLOCK)
    // A raw write(2) of more than the pipe holds is partial: the case writeAll must finish.
    var rng = SeededGenerator(seed: 4)
    let data = Self.randomBytes(8 << 20, &rng)
    let handledBefore = Self.handledSignals.load(ordering: .relaxed)
    let reader = SlowReader(fd: r)
    reader.start()
    let box = Box()
    let finished = Self.onWriterThread(reader, interrupt: true) {
      data.withUnsafeBytes { raw in
        do {
          try FileDescriptor(rawValue: w).writeAll(raw)
        } catch let error as IOError {
          box.failure = error
        } catch {}
      }
      Glibc.close(w)
    }
    try #require(finished, "the writer or the reader did not finish within 60 s")
    #expect(box.failure == nil)
    #expect(Self.handledSignals.load(ordering: .relaxed) > handledBefore)
    #expect(reader.bytes.count == data.count)
    let difference = Self.firstDifference(reader.bytes, data)
    #expect(difference == nil, "the bytes read differ from the bytes written")
  }
}
