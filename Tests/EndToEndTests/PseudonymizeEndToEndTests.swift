import Foundation
import Testing

/// `wa-enrich --pseudonymize KEYFILE` (SPEC §4, version 2): key-file checks, the pseudonyms,
/// and a pseudonymised stream that aggregates to the same numbers as the original.
@Suite("wa-enrich --pseudonymize end to end")
struct PseudonymizeEndToEndTests {
  /// A 32-byte key; pseudonyms under it were computed with Python's `hmac` and `hashlib`
  /// (an implementation independent of ours).
  static let key = "0123456789abcdef0123456789abcdef"

  /// Writes `contents` to a fresh file with `mode`; returns its path.
  static func keyFile(_ contents: String, mode: mode_t = 0o600) -> String {
    let path = Subprocess.tempPath("key")
    _ = FileManager.default.createFile(atPath: path, contents: Data(contents.utf8))
    chmod(path, mode)
    return path
  }

  static func event(_ userId: String, context: String = #""channel":"whatsapp""#) -> String {
    #"{"type":"track","event":"message.read","userId":"\#(userId)","properties":{"messageId":"m1"},"context":{\#(context)}}"#
  }

  @Test func pseudonymIsTheRegionAndTheFirst128BitsOfTheHMAC() throws {
    let path = Self.keyFile(Self.key)
    defer { unlink(path) }
    let input = [Self.event("+6281269074186"), Self.event("+80012345678")].joined(separator: "\n")
    let r = Subprocess.run(
      "wa-enrich", ["--pseudonymize", path], stdin: .bytes(Array(input.utf8)))
    #expect(r.status == 0, "\(r.stderrText)")
    let lines = r.stdoutText.split(separator: "\n").map(String.init)
    try #require(lines.count == 2)
    #expect(
      lines[0]
        == #"{"type":"track","event":"message.read","userId":"ID.c1373a02e7e3c14eb4958be94411d721","properties":{"messageId":"m1"},"context":{"channel":"whatsapp","countryCode":"ID","callingCode":"62"}}"#
    )
    // A number without a region (+800, international freephone) gets ZZ.
    let second = try object(lines[1])
    #expect((second["userId"] as? String)?.hasPrefix("ZZ.") == true)
    #expect((second["userId"] as? String)?.count == 35)
    #expect(!r.stdoutText.contains("6281269074186") && !r.stdoutText.contains("80012345678"))
  }

  @Test func theKeyIsTheFilesBytesAsTheyAre() throws {
    // A trailing newline is part of the key: another key, another pseudonym.
    let plain = Self.keyFile(Self.key)
    let newline = Self.keyFile(Self.key + "\n")
    defer {
      unlink(plain)
      unlink(newline)
    }
    let input = Array(Self.event("+6281269074186").utf8)
    let a = Subprocess.run("wa-enrich", ["--pseudonymize", plain], stdin: .bytes(input))
    let b = Subprocess.run("wa-enrich", ["--pseudonymize", newline], stdin: .bytes(input))
    #expect(a.status == 0 && b.status == 0)
    #expect(a.stdoutText.contains("ID.c1373a02e7e3c14eb4958be94411d721"))
    #expect(!b.stdoutText.contains("ID.c1373a02e7e3c14eb4958be94411d721"))
    #expect(b.stdoutText.contains(#""userId":"ID."#))
  }

  @Test func badKeyFilesAreUsageErrors() throws {
    let short = Self.keyFile(String(Self.key.dropLast()))  // 31 bytes
    let readable = Self.keyFile(Self.key, mode: 0o644)
    let groupOnly = Self.keyFile(Self.key, mode: 0o640)
    let directory = Subprocess.tempPath("keydir")
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
    defer {
      for p in [short, readable, groupOnly] { unlink(p) }
      rmdir(directory)
    }
    let cases: [(String, String)] = [
      (Subprocess.tempPath("missing"), "No such file or directory"),
      (short, "holds 31 bytes; a key needs at least 32"),
      (readable, "accessible to group or others (mode 644)"),
      (groupOnly, "accessible to group or others (mode 640)"),
      (directory, "is a directory"),
      ("", "an empty file name"),
    ]
    for (path, message) in cases {
      let r = Subprocess.run(
        "wa-enrich", ["--pseudonymize", path],
        stdin: .bytes(Array(Self.event("+254712345678").utf8)))
      #expect(r.status == 2, "\(path)")
      #expect(r.stdout.isEmpty, "\(path)")
      #expect(r.stderrText.contains(message), "\(path): \(r.stderrText)")
      #expect(r.stderrText.hasPrefix("wa-enrich: --pseudonymize: "), "\(r.stderrText)")
    }
  }

  @Test func everyOtherByteIsKeptAsItWas() throws {
    // The enriched line and the pseudonymised one differ only in userId's value, whatever
    // the order of the members and the spacing.
    let path = Self.keyFile(Self.key)
    defer { unlink(path) }
    let input = [
      #"{"context":{"channel":"whatsapp"} , "userId" : "+254712345678","type":"track","event":"message.read","properties":{"messageId":"m1"}}"#,
      #"{"type":"track","event":"message.read","userId":"+2547\u00312345678","properties":{"messageId":"m2"},"context":{"channel":"whatsapp","countryCode":"KE"}}"#,
    ].joined(separator: "\n")
    let plain = Subprocess.run("wa-enrich", [], stdin: .bytes(Array(input.utf8)))
    let pseudo = Subprocess.run(
      "wa-enrich", ["--pseudonymize", path], stdin: .bytes(Array(input.utf8)))
    #expect(plain.status == 0 && pseudo.status == 0)
    let before = plain.stdoutText.split(separator: "\n").map(String.init)
    let after = pseudo.stdoutText.split(separator: "\n").map(String.init)
    try #require(before.count == 2 && after.count == 2)
    let ids = try after.map { try #require(object($0)["userId"] as? String) }
    // The escaped number is the same number: the same pseudonym.
    #expect(ids[0] == ids[1] && ids[0].hasPrefix("KE.") && ids[0].count == 35)
    #expect(before[0].replacingOccurrences(of: "+254712345678", with: ids[0]) == after[0])
    #expect(before[1].replacingOccurrences(of: #"+2547\u00312345678"#, with: ids[0]) == after[1])
  }

  @Test func bsuidsKeepTheirPrefixAndUsernamesGo() throws {
    let path = Self.keyFile(Self.key)
    defer { unlink(path) }
    let input = [
      Self.event(
        "US.ENT.11815799212886844830", context: #""username":"@ana","channel":"whatsapp""#),
      Self.event(
        "+254712345678", context: #""channel":"whatsapp","bsuid":"KE.998877","username":"@bob""#),
      Self.event("ZZ.abc", context: #""channel":"whatsapp""#),
      #"{"type":"track","event":"campaign.sent","userId":"system","properties":{"campaignId":"c1"},"context":{"channel":"whatsapp"}}"#,
    ].joined(separator: "\n")
    let r = Subprocess.run(
      "wa-enrich", ["--pseudonymize", path], stdin: .bytes(Array(input.utf8)))
    #expect(r.status == 0, "\(r.stderrText)")
    let lines = try r.stdoutText.split(separator: "\n").map { try object($0) }
    try #require(lines.count == 4)
    let contexts = lines.map { $0["context"] as? [String: Any] ?? [:] }
    let ids = lines.map { $0["userId"] as? String ?? "" }
    // The BSUID's own prefix (ENT. dropped: a pseudonym is CC. and 32 hex digits).
    #expect(ids[0].hasPrefix("US.") && ids[0].count == 35)
    #expect(contexts[0]["countryCode"] as? String == "US" && contexts[0]["callingCode"] == nil)
    #expect(contexts[0]["username"] == nil && contexts[1]["username"] == nil)
    #expect(ids[1].hasPrefix("KE.") && contexts[1]["callingCode"] as? String == "254")
    let bsuid = try #require(contexts[1]["bsuid"] as? String)
    #expect(bsuid.hasPrefix("KE.") && bsuid.count == 35 && bsuid != ids[1])
    // ZZ (unknown) is kept as the prefix but is no country code to add.
    #expect(ids[2].hasPrefix("ZZ.") && contexts[2]["countryCode"] == nil)
    // campaign.sent names no user: left alone, nothing added.
    #expect(ids[3] == "system" && contexts[3].count == 1)
    for secret in ["11815799212886844830", "254712345678", "998877", "@ana", "@bob", "ZZ.abc"] {
      #expect(!r.stdoutText.contains(secret), "\(secret)")
    }
    // Still valid events, strictly.
    let check = Subprocess.run("wa-validate", ["--strict"], stdin: .bytes(r.stdout))
    #expect(check.status == 0, "\(check.stderrText)")
  }
}
