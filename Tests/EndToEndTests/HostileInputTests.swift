import Foundation
import Testing

/// Inputs meant to break a parser: none may crash wa-validate, hang it, or make it use
/// unbounded memory, and every line must still be accounted for (issue #2).
@Suite("wa-validate on hostile input")
struct HostileInputTests {
  static let validLine = Array(
    #"{"type":"track","event":"contact.created","userId":"+254712345678","properties":{"countryCode":"KE"},"context":{"channel":"whatsapp"}}"#
      .utf8)

  /// Runs wa-validate on `input`; checks status, accounting and peak memory.
  func check(_ name: String, _ input: [UInt8], expectLines: Int? = nil, args: [String] = []) throws
  {
    let summary = Subprocess.tempPath("summary")
    defer { unlink(summary) }
    let rejects = Subprocess.tempPath("rejects")
    defer { unlink(rejects) }
    let r = Subprocess.runMeasuringMemory(
      "wa-validate", ["--summary-json", summary, "--rejects", rejects] + args, stdin: .bytes(input),
      stdout: .path("/dev/null"), timeout: 120)
    #expect(
      r.status == 0 || r.status == 1,
      "\(name): status \(String(describing: r.status)), signal \(String(describing: r.signal))")
    let s = try decodeSummary(summary)
    #expect(s.lines == s.valid + s.rejected + s.blank, "\(name): lines not accounted for")
    if let expectLines { #expect(s.lines == expectLines, "\(name): line count") }
    let records =
      (try? String(contentsOfFile: rejects, encoding: .utf8))?.split(separator: "\n").count ?? 0
    #expect(records == s.rejected, "\(name): one rejects record per rejected line")
    #expect(
      r.maxRSSKilobytes > 0
        && (r.maxRSSKilobytes < 64 * 1024 || Subprocess.binariesUseAddressSanitizer),
      "\(name): peak RSS \(r.maxRSSKilobytes) KB")
  }

  @Test func twentyMegabyteLineIsRejectedWithBoundedMemory() throws {
    var input = Self.validLine + [0x0A]
    input += [0x7B, 0x22, 0x78, 0x22, 0x3A, 0x22] + [UInt8](repeating: 0x61, count: 20 << 20)
    input += [0x22, 0x7D, 0x0A] + Self.validLine + [0x0A]
    try check("20 MB line", input, expectLines: 3)
  }

  @Test func hundredThousandDeepNestingIsTooDeep() throws {
    let deep = [UInt8](repeating: 0x5B, count: 100_000) + [UInt8](repeating: 0x5D, count: 100_000)
    let objects = Array(String(repeating: #"{"a":"#, count: 100_000).utf8)
    try check("deep nesting", deep + [0x0A] + objects + [0x0A], expectLines: 2)
  }

  @Test func invalidUTF8AndNULBytes() throws {
    var input: [UInt8] = []
    for bad: [UInt8] in [
      [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00], [0xE2, 0x82],
    ] {
      input += Array(#"{"type":"track","x":""#.utf8) + bad + [0x22, 0x7D, 0x0A]
      input += bad + [0x0A]
    }
    input += [0x00, 0x00, 0x0A] + Self.validLine + [0x00, 0x0A]
    try check("invalid UTF-8 and NUL", input, expectLines: 14)
  }

  @Test func oneMegabyteOfRandomBytes() throws {
    var x: UInt64 = 0x9E37_79B9_7F4A_7C15  // xorshift64: the same bytes on every run
    let input = (0..<(1 << 20)).map { _ -> UInt8 in
      x ^= x << 13
      x ^= x >> 7
      x ^= x << 17
      return UInt8(truncatingIfNeeded: x >> 32)
    }
    let newlines = input.filter { $0 == 0x0A }.count
    try check("random bytes", input, expectLines: newlines + (input.last == 0x0A ? 0 : 1))
  }

  @Test func emptyInputAndNoFinalNewline() throws {
    try check("empty", [], expectLines: 0)
    try check("no final newline", Self.validLine + [0x0A] + Self.validLine, expectLines: 2)
  }

  @Test func truncatedAndBitFlippedValidLinesNeverCrash() throws {
    // Every prefix of a valid line, and every single-byte flip of it.
    var input: [UInt8] = []
    for n in 0..<Self.validLine.count { input += Self.validLine.prefix(n) + [0x0A] }
    for i in 0..<Self.validLine.count {
      var flipped = Self.validLine
      flipped[i] ^= 0x20
      input += flipped + [0x0A]
    }
    try check("truncations and flips", input, expectLines: 2 * Self.validLine.count)
  }

  @Test func tinyLineLimitStillAccountsForEverything() throws {
    try check(
      "small limit", Self.validLine + [0x0A] + [0x0A] + Self.validLine, expectLines: 3,
      args: ["--max-line-bytes", "16"])
  }
}
