@testable import WAKit

/// What one `JSONScanner.scan` call said about a document.
struct ScanOutcome: CustomStringConvertible {
  var accepted: Bool
  var error: JSONError?
  var rootKind: JSONKind

  var kind: JSONError.Kind? { error?.kind }
  var description: String {
    accepted ? "accepted (\(rootKind))" : "rejected: \(error.map { "\($0)" } ?? "no error")"
  }
}

/// Scans `bytes` with `scanner` (a fresh one unless given).
func scan(_ bytes: [UInt8], with scanner: JSONScanner = JSONScanner()) -> ScanOutcome {
  let accepted = bytes.withUnsafeBytes { scanner.scan($0) }
  return ScanOutcome(accepted: accepted, error: scanner.error, rootKind: scanner.rootKind)
}

func scan(_ text: String, with scanner: JSONScanner = JSONScanner()) -> ScanOutcome {
  scan(Array(text.utf8), with: scanner)
}

/// Scans `text` and hands the scanner and the line's bytes to `body` (ranges in the field
/// table are offsets into those bytes).
func withScanned<T>(
  _ text: String, _ body: (JSONScanner, Bool, [UInt8]) throws -> T
) rethrows -> T {
  let scanner = JSONScanner()
  let bytes = Array(text.utf8)
  let ok = bytes.withUnsafeBytes { scanner.scan($0) }
  return try body(scanner, ok, bytes)
}

/// The bytes of a value as text: a string's content (still escaped), a number's literal,
/// a container from its opening bracket up to (not including) its closing one.
func text(of ref: ValueRef, in bytes: [UInt8]) -> String {
  String(decoding: bytes[Int(ref.start)..<Int(ref.end)], as: UTF8.self)
}

/// One to three random edits of `bytes` (delete, replace or insert a byte of `alphabet`).
func mutate(_ bytes: inout [UInt8], from alphabet: [UInt8], using rng: inout SeededGenerator) {
  for _ in 0..<Int.random(in: 1...3, using: &rng) {
    let at = Int.random(in: 0...bytes.count, using: &rng)
    let byte = alphabet.randomElement(using: &rng)!
    switch Int.random(in: 0..<3, using: &rng) {
    case 0 where at < bytes.count: bytes.remove(at: at)
    case 1 where at < bytes.count: bytes[at] = byte
    default: bytes.insert(byte, at: at)
    }
  }
}
