import Foundation
import Testing

/// Batches and foreign lines (SPEC §2, version 2) through the real binaries: every element
/// and every foreign line accounted for, in the summary, `--summary-json`, the rejects
/// records and wa-aggregate's snapshot.
@Suite("batches and foreign lines end to end")
struct BatchForeignEndToEndTests {
  static func event(_ id: String, user: String = "+254712345678") -> String {
    #"{"type":"track","event":"message.read","userId":"\#(user)","#
      + #""properties":{"messageId":"\#(id)"},"context":{"channel":"whatsapp"}}"#
  }

  static func json(_ path: String) throws -> [String: Any] {
    let data = FileManager.default.contents(atPath: path) ?? Data()
    return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
  }

  static func json(line: Substring) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
  }

  /// The issue's example: two events and a bad one in one batch line.
  @Test func aBatchOfTwoEventsAndABadOneGivesTwoLinesAndOneReject() throws {
    let a = Self.event("wamid.A")
    let b = Self.event("wamid.B", user: "US.13491208655302741918")
    let bad = Self.event("wamid.C", user: "user.9373")
    // Spaces around the elements: the output is each element's bytes, trimmed of them.
    let line = #"{"batch":[ "# + a + ", " + b + "," + bad + #" ],"sentAt":"2026-01-23T10:00:00Z"}"#
    let rejects = Subprocess.tempPath("rejects")
    let summary = Subprocess.tempPath("summary")
    defer { unlink(rejects); unlink(summary) }
    let r = Subprocess.run(
      "wa-validate", ["--rejects", rejects, "--summary-json", summary],
      stdin: .bytes(Array((line + "\n").utf8)))
    #expect(r.status == 1)
    #expect(r.stdoutText == a + "\n" + b + "\n")
    #expect(
      r.stderrText.contains("1 lines (1 batch of 3 items): 2 valid, 1 rejected, 0 blank"),
      "\(r.stderrText)")
    let s = try Self.json(summary)
    #expect(s["lines"] as? Int == 1 && s["batches"] as? Int == 1 && s["batchItems"] as? Int == 3)
    #expect(s["valid"] as? Int == 2 && s["rejected"] as? Int == 1 && s["foreign"] as? Int == 0)
    let records = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
    #expect(records.count == 1)
    let record = try Self.json(line: records[0])
    #expect(record["line"] as? Int == 1 && record["item"] as? Int == 2)
    #expect(record["input"] as? String == bad)
    let errors = record["errors"] as? [[String: Any]] ?? []
    #expect(errors.map { $0["path"] as? String } == ["batch[2].userId"])
    #expect(errors.map { $0["code"] as? String } == ["invalid_user_id"])
    // Without --rejects: one diagnostic naming the line and the element.
    let d = Subprocess.run("wa-validate", stdin: .bytes(Array((line + "\n").utf8)))
    #expect(d.stderrText.contains("wa-validate: <stdin>:1: batch[2].userId: invalid_user_id: "))
  }

  @Test func batchEdgeCasesAreCountedOneByOne() throws {
    let e = Self.event("wamid.A")
    let lines = [
      #"{"batch":{"a":1}}"#,  // not an array: one rejected line
      #"{"batch":[]}"#,  // an empty batch: no item
      #"{"batch":["# + e + #",{"batch":["# + e + #"]}]}"#,  // a batch in a batch element
      #"{"batch":[1,"x",null]}"#,  // elements that are not objects
      // A duplicate key inside one element: that element alone is rejected.
      #"{"batch":["# + e + #",{"type":"track","type":"track"},"# + e + "]}",
      e,
    ]
    let rejects = Subprocess.tempPath("rejects")
    let summary = Subprocess.tempPath("summary")
    defer { unlink(rejects); unlink(summary) }
    let r = Subprocess.run(
      "wa-validate", ["--rejects", rejects, "--summary-json", summary],
      stdin: .bytes(Array((lines.joined(separator: "\n") + "\n").utf8)))
    #expect(r.status == 1)
    #expect(r.stdoutText == String(repeating: e + "\n", count: 4))
    let s = try Self.json(summary)
    #expect(s["lines"] as? Int == 6 && s["batches"] as? Int == 4 && s["batchItems"] as? Int == 8)
    #expect(s["valid"] as? Int == 4 && s["rejected"] as? Int == 6)
    // lines − batches + batchItems = blank + rejected + foreign + events
    let n = s.compactMapValues { $0 as? Int }
    let items: Int = (n["lines"] ?? 0) - (n["batches"] ?? 0) + (n["batchItems"] ?? 0)
    let accounted: Int =
      (n["blank"] ?? 0) + (n["rejected"] ?? 0) + (n["foreign"] ?? 0) + (n["valid"] ?? 0)
    #expect(items == accounted)
    let records = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
      .map { try Self.json(line: $0) }
    let paths = records.map { record in
      (record["errors"] as? [[String: Any]] ?? []).map { "\($0["code"] ?? "") \($0["path"] ?? "")" }
    }
    #expect(
      paths == [
        ["wrong_type batch"], ["invalid_value batch[1].batch"], ["not_an_object batch[0]"],
        ["not_an_object batch[1]"], ["not_an_object batch[2]"], ["duplicate_key batch[1].type"],
      ], "\(paths)")
    #expect(records[0]["item"] == nil && records[1]["item"] as? Int == 1)
    #expect(records[5]["input"] as? String == #"{"type":"track","type":"track"}"#)
  }

  @Test func aBrokenBatchLineIsOneRejectedLine() {
    let e = Self.event("wamid.A")
    for line in [
      #"{"batch":["# + e + ",",  // cut short
      #"{"batch":["# + e + #"],"batch":[]}"#,  // the batch key twice
      #"{"batch":["# + e + #"]} trailing"#,
    ] {
      let r = Subprocess.run("wa-validate", stdin: .bytes(Array((line + "\n").utf8)))
      #expect(r.status == 1 && r.stdout.isEmpty, "\(line)")
      #expect(r.stderrText.contains("1 lines: 0 valid, 1 rejected"), "\(r.stderrText)")
    }
  }

  /// 100,000 elements in one line: within `--max-line-bytes` they are all checked, in the
  /// memory the line needs; over it, the line is one `line_too_long`, in bounded memory.
  @Test func aHundredThousandElementBatchInBoundedMemory() throws {
    let e = Self.event("wamid.A")
    let path = Subprocess.tempPath("batch.ndjson")
    defer { unlink(path) }
    let line = #"{"batch":["# + Array(repeating: e, count: 100_000).joined(separator: ",") + "]}\n"
    _ = FileManager.default.createFile(atPath: path, contents: Data(line.utf8))
    let bytes = line.utf8.count
    let summary = Subprocess.tempPath("summary")
    defer { unlink(summary) }
    let big = Subprocess.runMeasuringMemory(
      "wa-validate", ["--max-line-bytes", "32M", "--summary-json", summary],
      stdin: .file(path), stdout: .path("/dev/null"), timeout: 300)
    #expect(big.status == 0, "\(big.stderrText)")
    let s = try Self.json(summary)
    #expect(s["batchItems"] as? Int == 100_000 && s["valid"] as? Int == 100_000)
    // The line buffer (32 MiB + a chunk, touched only as far as the line goes) and little
    // else: no per-element list.
    #expect(
      big.maxRSSKilobytes < bytes / 1024 * 2 + 40_000 || Subprocess.binariesUseAddressSanitizer,
      "\(big.maxRSSKilobytes) KB for a \(bytes / 1024) KB line")
    let capped = Subprocess.runMeasuringMemory(
      "wa-validate", ["--quiet"], stdin: .file(path), stdout: .path("/dev/null"), timeout: 300)
    #expect(capped.status == 1)
    #expect(
      capped.stderrText.contains("1 rejected") && capped.stderrText.contains("line_too_long 1"))
    #expect(capped.maxRSSKilobytes < 40_000 || Subprocess.binariesUseAddressSanitizer)
  }

  static let collectorLog = [
    #"{"type":"identify","userId":"u1","traits":{"email":"a@example.com"}}"#,
    #"{"type":"page","name":"Home","properties":{"path":"/"}}"#,
    #"{"type":"track","event":"Order Completed","properties":{"total":5}}"#,
    #"{"type":"track","event":"message.read","userId":"+254712345678","#
      + #""properties":{"messageId":"m"},"context":{"channel":"web"}}"#,
    event("wamid.A"),
    #"{"batch":[{"type":"page","name":"x"},"# + event("wamid.B") + "]}",
  ]

  @Test func foreignLinesSkippedPassedOrRejected() throws {
    let input = Array((Self.collectorLog.joined(separator: "\n") + "\n").utf8)
    let summary = Subprocess.tempPath("summary")
    defer { unlink(summary) }
    let skip = Subprocess.run(
      "wa-validate", ["--foreign", "skip", "--summary-json", summary], stdin: .bytes(input))
    #expect(skip.status == 0, "\(skip.stderrText)")
    #expect(skip.stdoutText == Self.event("wamid.A") + "\n" + Self.event("wamid.B") + "\n")
    #expect(
      skip.stderrText.contains("2 valid, 0 rejected, 0 blank, 5 foreign"), "\(skip.stderrText)")
    let s = try Self.json(summary)
    #expect(s["foreign"] as? Int == 5 && s["lines"] as? Int == 6 && s["batchItems"] as? Int == 2)
    let pass = Subprocess.run("wa-validate", ["--foreign", "pass"], stdin: .bytes(input))
    #expect(pass.status == 0)
    let passed =
      Self.collectorLog.prefix(5) + [#"{"type":"page","name":"x"}"#, Self.event("wamid.B")]
    #expect(pass.stdoutText == passed.joined(separator: "\n") + "\n")
    let reject = Subprocess.run("wa-validate", stdin: .bytes(input))
    #expect(reject.status == 1)
    #expect(reject.stderrText.contains("2 valid, 5 rejected"), "\(reject.stderrText)")
    // A track event with our channel and an unknown name, or one of our names without a
    // channel, is ours and malformed: rejected whatever --foreign says.
    let ours = [
      #"{"type":"track","event":"message.opened","userId":"+254712345678","properties":{},"#
        + #""context":{"channel":"whatsapp"}}"#,
      #"{"type":"track","event":"message.read","userId":"+254712345678","#
        + #""properties":{"messageId":"m"},"context":{}}"#,
    ]
    let kept = Subprocess.run(
      "wa-validate", ["--foreign", "skip"],
      stdin: .bytes(Array((ours.joined(separator: "\n") + "\n").utf8)))
    #expect(kept.status == 1 && kept.stderrText.contains("0 valid, 2 rejected"))
    #expect(kept.stderrText.contains("unknown_event") && kept.stderrText.contains("missing_field"))
  }

  @Test func usageErrorsOfForeign() {
    for (tool, args) in [
      ("wa-validate", ["--foreign", "drop"]), ("wa-aggregate", ["--foreign", "pass"]),
      ("wa-enrich", ["--foreign"]),
    ] {
      let r = Subprocess.run(tool, args)
      #expect(r.status == 2, "\(tool) \(args): \(r.stderrText)")
    }
    let help = Subprocess.run("wa-convert", ["--foreign", "skip"])
    #expect(help.status == 2, "wa-convert reads webhook bodies, not track events")
  }

  @Test func enrichWritesEachBatchElementAndPassesForeignLines() {
    let input = Array((Self.collectorLog.joined(separator: "\n") + "\n").utf8)
    let r = Subprocess.run("wa-enrich", ["--foreign", "pass"], stdin: .bytes(input))
    #expect(r.status == 0, "\(r.stderrText)")
    let lines = r.stdoutText.split(separator: "\n").map(String.init)
    #expect(lines.count == 7)
    #expect(Array(lines.prefix(4)) == Array(Self.collectorLog.prefix(4)))
    #expect(lines[4].contains(#""countryCode":"KE","callingCode":"254""#))
    #expect(lines[5] == #"{"type":"page","name":"x"}"#)
    #expect(
      lines[6].contains(#""messageId":"wamid.B""#) && lines[6].contains(#""countryCode":"KE""#))
  }

  @Test func theSnapshotAccountsForBatchesAndForeignLines() throws {
    let input = Array((Self.collectorLog.joined(separator: "\n") + "\n\n").utf8)
    let r = Subprocess.run("wa-aggregate", ["--foreign", "skip"], stdin: .bytes(input))
    #expect(r.status == 0, "\(r.stderrText)")
    let snapshot = try Self.json(line: r.stdoutText.split(separator: "\n").last ?? "")
    #expect(snapshot["version"] as? Int == 2)
    let i = (snapshot["input"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
    #expect(i["lines"] == 7 && i["batches"] == 1 && i["batchItems"] == 2, "\(i)")
    #expect(i["foreign"] == 5 && i["events"] == 2 && i["blank"] == 1 && i["rejected"] == 0)
    let items: Int = (i["lines"] ?? 0) - (i["batches"] ?? 0) + (i["batchItems"] ?? 0)
    let accounted: Int =
      (i["blank"] ?? 0) + (i["rejected"] ?? 0) + (i["foreign"] ?? 0) + (i["events"] ?? 0)
    #expect(items == accounted)
    // And wa-report takes it.
    let report = Subprocess.run("wa-report", stdin: .bytes(r.stdout))
    #expect(report.status == 0, "\(report.stderrText)")
  }
}
