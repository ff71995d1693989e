import Foundation
import Testing

@testable import WAKit

/// The scanner and Foundation's `JSONSerialization` agree on random mutations of valid
/// documents, except where they are known to differ on purpose:
/// - a repeated key: SPEC §1 rejects it, Foundation keeps one of the values;
/// - a trailing comma (`[1,]`, `{"a":1,}`): swift-corelibs-foundation accepts it, RFC 8259
///   does not;
/// - a number beyond the range of Double (`1E+492`): valid grammar, which the scanner
///   accepts (the schema judges values it needs), Foundation rejects.
@Suite("JSONScanner against Foundation")
struct JSONScannerDifferentialTests {
  static let seeds = [
    #"{"a":[1,-2.5e3,true,false,null,"x\u00e9\n"],"b":{"c":{}},"d":"😀"}"#,
    #"[0,{"k":"v"},[[]],"\ud83d\ude00",1E+2]"#,
    #"{"type":"track","properties":{"messageId":"m","n":-0.0},"context":{"channel":"w"}}"#,
  ]

  /// Bytes the mutations insert: JSON's punctuation, digits, letters of the literals and
  /// escapes, whitespace, a NUL, and bytes of valid and invalid UTF-8.
  static let alphabet: [UInt8] =
    Array(#"{}[]",:0123456789-+.eE tfnrulsa\/bu"#.utf8)
    + [0x00, 0x09, 0x0A, 0x0D, 0x80, 0xC3, 0xA9, 0xFF, 0xED, 0xA0, 0xF4, 0x90]

  static func knownDifference(_ bytes: [UInt8], _ outcome: ScanOutcome) -> Bool {
    if outcome.kind == .duplicateKey { return true }
    let text = String(
      decoding: bytes.filter { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }, as: UTF8.self)
    if text.contains(",}") || text.contains(",]") { return true }
    return outcome.accepted
      && text.range(of: #"[eE][+-]?[0-9]{3,}"#, options: .regularExpression) != nil
  }

  @Test func randomMutationsAgree() throws {
    var rng = SeededGenerator(seed: 0xD1FF)
    let scanner = JSONScanner()
    var accepted = 0
    var differences: [String] = []
    for _ in 0..<30_000 {
      var bytes = Array(Self.seeds.randomElement(using: &rng)!.utf8)
      mutate(&bytes, from: Self.alphabet, using: &rng)
      let outcome = scan(bytes, with: scanner)
      if outcome.accepted { accepted += 1 }
      let foundation =
        (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]))
        != nil
      if outcome.accepted != foundation && !Self.knownDifference(bytes, outcome) {
        differences.append("\(String(decoding: bytes, as: UTF8.self).debugDescription): \(outcome)")
      }
    }
    #expect(differences.isEmpty, "\(differences.prefix(10))")
    // Both answers were exercised.
    #expect(accepted > 1_000 && accepted < 29_000)
  }
}
