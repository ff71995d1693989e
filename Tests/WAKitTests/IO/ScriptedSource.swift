@testable import WAKit

/// A byte source whose reads end exactly where the test says, and which can report idle
/// input or fail, so the reader's boundaries can be tested without timing.
struct ScriptedSource: ByteSource {
  var data: [UInt8]
  /// Sizes of successive reads; after they run out, reads return up to `defaultChunk`.
  var chunks: [Int]
  var defaultChunk = Int.max
  var position = 0
  /// Readiness answers to give before data, consumed one per `waitReadable` call.
  var readiness: [FileDescriptor.Readiness] = []
  /// Fail with this error once `failAt` bytes have been read.
  var failure: IOError? = nil
  var failAt = Int.max

  init(_ data: [UInt8], chunks: [Int] = []) {
    self.data = data
    self.chunks = chunks
  }

  mutating func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(IOError) -> Int? {
    if position >= failAt, let failure { throw failure }
    var n = chunks.isEmpty ? defaultChunk : chunks.removeFirst()
    n = min(n, count, data.count - position, failAt - position)
    guard n > 0 else { return 0 }
    data.withUnsafeBytes { raw in
      buffer.copyMemory(from: raw.baseAddress! + position, byteCount: n)
    }
    position += n
    return n
  }

  mutating func waitReadable(timeoutMilliseconds: Int32) -> FileDescriptor.Readiness {
    readiness.isEmpty ? .ready : readiness.removeFirst()
  }
}

/// Collects what the reader hands out.
struct CollectingHandler: LineHandler {
  struct Got: Equatable {
    var bytes: [UInt8]
    var number: Int
    var length: Int
  }

  var lines: [Got] = []
  var idleCalls = 0
  var stopAfter = Int.max

  mutating func handle(_ line: Line) -> Flow {
    lines.append(Got(bytes: Array(line.bytes), number: line.number, length: line.length))
    return lines.count >= stopAfter ? .stop : .proceed
  }

  mutating func inputIdle() -> Int32 {
    idleCalls += 1
    return -1
  }

  var texts: [String] { lines.map { String(decoding: $0.bytes, as: UTF8.self) } }
}

/// Reads `data` with the given read sizes and returns what came out.
func readLines(
  _ data: [UInt8], chunks: [Int] = [], defaultChunk: Int = .max, maxLineBytes: Int = 1 << 20,
  chunkSize: Int = 1 << 12
) throws -> CollectingHandler {
  let reader = LineReader(maxLineBytes: maxLineBytes, chunkSize: chunkSize)
  var source = ScriptedSource(data, chunks: chunks)
  source.defaultChunk = defaultChunk
  var handler = CollectingHandler()
  _ = try reader.read(from: &source, into: &handler)
  return handler
}

/// The SPEC §1 line rules written the obvious way, as the reference.
func referenceLines(_ data: [UInt8]) -> [[UInt8]] {
  var bytes = data[...]
  if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
  guard !bytes.isEmpty else { return [] }
  var pieces = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
  if bytes.last == 0x0A { pieces.removeLast() }
  return pieces.map { $0.last == 0x0D ? Array($0.dropLast()) : $0 }
}
