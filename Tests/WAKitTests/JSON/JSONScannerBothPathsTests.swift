import Foundation
import Testing

@testable import WAKit

/// The scanner's fast path for object lines (JSONScanner+Fast.swift) against its general
/// path: the same verdict, the same fields, the same root kind and the same error, on the
/// sample stream and on random mutations of events. The fast path gives up on what it does
/// not take, so these also check that it takes what events are made of.
@Suite("JSONScanner fast path against the general path")
struct JSONScannerBothPathsTests {
  struct Result: Equatable, CustomStringConvertible {
    var accepted: Bool
    var rootKind: JSONKind
    var fields: [ValueRef]
    var error: JSONError?

    var description: String {
      accepted ? "accepted \(rootKind) \(fields.filter(\.isPresent))" : "rejected \(error!)"
    }
  }

  /// One path's reading of `bytes`, and whether the fast path settled it.
  static func run(_ bytes: [UInt8], _ scanner: JSONScanner, fast: Bool) -> (Result, Bool) {
    let accepted = bytes.withUnsafeBytes { scanner.scan($0, fastPath: fast) }
    let fields = EventField.allCases.map { scanner[$0] }
    return (
      Result(
        accepted: accepted, rootKind: accepted ? scanner.rootKind : .absent, fields: fields,
        error: scanner.error),
      scanner.tookFastPath
    )
  }

  /// Both paths on `bytes`, expected to give the same result; returns whether the fast
  /// path settled it and whether the line was accepted.
  @discardableResult
  static func expectBothPathsAgree(
    _ bytes: [UInt8], _ scanner: JSONScanner
  ) -> (tookFast: Bool, accepted: Bool) {
    let (fast, tookFast) = run(bytes, scanner, fast: true)
    let (general, _) = run(bytes, scanner, fast: false)
    #expect(fast == general, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
    if tookFast { #expect(fast.accepted) }
    return (tookFast, general.accepted)
  }

  static let events = [
    #"{"type":"track","event":"message.received","userId":"+233247500734","timestamp":"2026-11-02T00:00:21.726Z","properties":{"messageId":"wamid.HBgM","contentType":"text","hasMedia":false,"chatId":"chat_1"},"context":{"channel":"whatsapp"}}"#,
    #"{"type":"track","event":"contact.created","userId":"+5541919949610","timestamp":"2026-11-01T21:00:54.995-03:00","properties":{"source":"import","countryCode":"BR","profileName":"Rafa \ud83c\udf3b"},"context":{"channel":"whatsapp","library":{"name":"collector","version":"2.1.0"}}}"#,
    #"{ "type" : "track" , "event" : "chat.resolved", "userId":"+447700900123", "properties" : { "chatId" : "c", "messageCount" : 12, "durationMinutes" : -3.5e1, "isAutomated" : true, "agentId" : null }, "context" : { } }"#,
    #"{"type":"track","event":"message.sent","userId":"+14155550100","receivedAt":"2026-11-02T00:00:51Z","properties":{"messageId":"m\"1","errorCode":131047,"x":{"y":{}},"type":"inner"},"context":{"countryCode":"US","integrations":{"a":true,"b":false}},"z":"ü"}"#,
  ]

  /// Bytes the mutations insert: JSON's punctuation, digits, letters of the literals,
  /// escapes, whitespace, and bytes of valid and invalid UTF-8.
  static let alphabet: [UInt8] =
    Array(#"{}[]",:0123456789-+.eE tfnrulsa\/bu"#.utf8)
    + [0x00, 0x09, 0x0A, 0x0D, 0x80, 0xC3, 0xA9, 0xFF, 0xED, 0xA0]

  @Test func theSampleStreamGivesTheSameFieldsOnBothPaths() throws {
    var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path)
    {
      let parent = dir.deletingLastPathComponent()
      try #require(parent.path != dir.path, "no Package.swift above \(#filePath)")
      dir = parent
    }
    let log = try Data(contentsOf: dir.appendingPathComponent("examples/webhook.log"))
    let scanner = JSONScanner()
    var lines = 0
    var fast = 0
    for line in log.split(separator: 0x0A) {
      lines += 1
      if Self.expectBothPathsAgree(Array(line), scanner).tookFast { fast += 1 }
    }
    #expect(lines > 3_000)
    // The events of the sample (all but its few invalid lines) take the fast path.
    #expect(fast * 100 >= lines * 95, "\(fast) of \(lines)")
  }

  @Test func randomMutationsOfEventsGiveTheSameResultOnBothPaths() {
    var rng = SeededGenerator(seed: 0xFA57)
    let scanner = JSONScanner()
    var fast = 0
    var accepted = 0
    for _ in 0..<60_000 {
      var bytes = Array(Self.events.randomElement(using: &rng)!.utf8)
      mutate(&bytes, from: Self.alphabet, using: &rng)
      let (tookFast, wasAccepted) = Self.expectBothPathsAgree(bytes, scanner)
      if tookFast { fast += 1 }
      if wasAccepted { accepted += 1 }
    }
    // Both paths were exercised on valid documents, and invalid ones were generated too.
    #expect(fast > 3_000, "fast path took \(fast)")
    #expect(accepted > fast && accepted < 50_000, "accepted \(accepted)")
  }

  @Test(
    "what the fast path leaves to the general path",
    arguments: [
      #"[{"type":"track"}]"#,  // not an object
      #"{"type":["track"]}"#,  // an array
      #"{"ty\u0070e":"track"}"#,  // an escaped key
      #"{"a":{"b":{"c":{"d":{}}}}}"#,  // deeper than fastDepth
      #"{"type":"track","type":"track"}"#,  // a repeated field key
      #"{"a":1,"a":2}"#,  // a repeated other key
      #"{"type":"tr\u0000ck"}"#.replacingOccurrences(of: "\\u0000", with: "\u{1}"),
      #"{"type":"track"} x"#,  // data after the value
      #"{"type":"track""#,  // unterminated
      #"{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16}"#,
    ])
  func linesLeftToTheGeneralPath(_ line: String) {
    let scanner = JSONScanner()
    #expect(!Self.expectBothPathsAgree(Array(line.utf8), scanner).tookFast, "\(line)")
  }

  @Test(
    "what the fast path takes",
    arguments: events + [
      #"{}"#,
      #" { } "#,
      #"{"properties":{},"context":{"library":{}}}"#,
      "{\t\"type\"\r:\n\"track\" }",
      #"{"é":1,"ü":{"é":2}}"#,  // non-ASCII keys, the same name in two objects
      #"{"a":-0,"b":1.5E+3,"c":true,"d":false,"e":null,"f":"\\\/"}"#,
    ])
  func linesTheFastPathTakes(_ line: String) {
    let scanner = JSONScanner()
    #expect(Self.expectBothPathsAgree(Array(line.utf8), scanner).tookFast, "\(line)")
  }
}
