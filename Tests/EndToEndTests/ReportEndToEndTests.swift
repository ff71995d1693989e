import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// wa-report as a user runs it (issue #6): golden renderings of the committed snapshots,
/// bad lines, `--output`, exit statuses, and the terminal behaviour seen through a pty.
@Suite("wa-report end to end")
struct ReportEndToEndTests {
  static let snapshot = "Tests/Fixtures/report/snapshot.ndjson"
  static let empty = "Tests/Fixtures/report/empty.ndjson"
  static let hostile = "Tests/Fixtures/report/hostile.ndjson"
  static let version2 = "Tests/Fixtures/report/snapshot-v2.ndjson"

  /// Re-record with `WA_RECORD_GOLDEN=1 swift test --filter ReportEndToEnd`.
  @Test(
    arguments: [
      (snapshot, [], "snapshot.txt"), (snapshot, ["--ascii"], "snapshot-ascii.txt"),
      (snapshot, ["--format", "prometheus"], "snapshot.prom"), (empty, [], "empty.txt"),
      (empty, ["--format=prometheus"], "empty.prom"), (version2, [], "snapshot-v2.txt"),
      (version2, ["--format", "prometheus"], "snapshot-v2.prom"),
    ] as [(String, [String], String)])
  func rendersTheGoldenOutput(_ input: String, _ args: [String], _ golden: String) {
    let r = Subprocess.run("wa-report", args + [Fixtures.path(input)])
    #expect(r.status == 0 && r.stderrText.isEmpty, "\(r.stderrText)")
    #expect(
      Fixtures.matchesGolden(r.stdout, "Tests/Fixtures/report/" + golden),
      "differs from \(golden):\n\(r.stdoutText)")
  }

  @Test func aBadLineIsReportedAndTheNextSnapshotStillRendered() {
    let good = Fixtures.bytes(Self.snapshot)
    let input =
      good + Array("not a snapshot\n{\"kind\":\"wa.snapshot\",\"version\":3}\n \n".utf8)
      + Fixtures.bytes(Self.empty)
    let r = Subprocess.run("wa-report", stdin: .bytes(input))
    #expect(r.status == 1)
    let errors = r.stderrText.split(separator: "\n")
    #expect(errors.count == 2, "\(r.stderrText)")
    #expect(errors.first?.hasPrefix("wa-report: <stdin>:2: not a snapshot: invalid JSON") == true)
    #expect(
      errors.last
        == "wa-report: <stdin>:3: not a snapshot: snapshot version 3 (this wa-report reads 1 and 2)"
    )
    // Both snapshots rendered, in order, a blank line between them.
    let first = Subprocess.run("wa-report", [Fixtures.path(Self.snapshot)]).stdout
    let second = Subprocess.run("wa-report", [Fixtures.path(Self.empty)]).stdout
    #expect(r.stdout == first + [0x0A] + second)
  }

  /// Regression: with `wa-aggregate --no-snapshots` there is no snapshot line, and the text
  /// dashboard and the exposition used to print nothing at all.
  @Test func aStreamOfWindowRecordsOnlyIsRenderedOnceAtTheEnd() {
    let windows = Subprocess.run(
      "wa-aggregate",
      ["--quiet", "--window", "1d", "--no-snapshots", Fixtures.path("examples/webhook.log")])
    #expect(windows.status == 1)  // the sample has rejected lines
    #expect(windows.stdoutText.split(separator: "\n").count > 2, "\(windows.stdoutText)")
    let text = Subprocess.run("wa-report", stdin: .bytes(windows.stdout))
    #expect(text.status == 0 && text.stderrText.isEmpty, "\(text.stderrText)")
    #expect(text.stdoutText.components(separatedBy: "Trend ─").count == 2, "\(text.stdoutText)")
    #expect(text.stdoutText.contains("Latest complete window"))
    // Prometheus renders snapshots only (docs/windows.md): a window's numbers start again at
    // each window, and its `_total` counters dropped at each.
    let prom = Subprocess.run(
      "wa-report", ["--format", "prometheus"], stdin: .bytes(windows.stdout))
    #expect(prom.status == 0)
    #expect(prom.stdout.isEmpty, "\(prom.stdoutText)")
    #expect(prom.stderrText.contains("window records and no snapshot"), "\(prom.stderrText)")
    let both = Subprocess.run(
      "wa-aggregate", ["--quiet", "--window", "1d", Fixtures.path("examples/webhook.log")])
    let mixed = Subprocess.run("wa-report", ["--format", "prometheus"], stdin: .bytes(both.stdout))
    #expect(mixed.status == 0 && mixed.stderrText.isEmpty, "\(mixed.stderrText)")
    #expect(mixed.stdoutText.components(separatedBy: "# TYPE wa_snapshot_sequence").count == 2)
  }

  @Test func filesAreReadInOrderAndNamedInMessages() {
    let bad = Subprocess.tempPath("bad.ndjson")
    #expect(FileManager.default.createFile(atPath: bad, contents: Data("{}\n".utf8)))
    defer { unlink(bad) }
    let r = Subprocess.run(
      "wa-report",
      ["--format", "prometheus", Fixtures.path(Self.empty), bad, "/nonexistent/wa.ndjson", "-"],
      stdin: .bytes(Fixtures.bytes(Self.snapshot)))
    #expect(r.status == 3)  // an unreadable input outranks a bad line
    #expect(r.stderrText.contains("\(bad):1: not a snapshot: no \"kind\":\"wa.snapshot\""))
    #expect(r.stderrText.contains("cannot open /nonexistent/wa.ndjson: No such file"))
    #expect(r.stdoutText.components(separatedBy: "# TYPE wa_snapshot_sequence").count == 3)
    #expect(r.stdoutText.hasSuffix("wa_users_unique 2486\n"))
  }

  @Test func outputReplacesTheFileWithEachRendering() throws {
    let dir = Subprocess.tempPath("out")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = dir + "/wa.prom"
    let input = Fixtures.bytes(Self.snapshot) + Fixtures.bytes(Self.empty)
    let r = Subprocess.run(
      "wa-report", ["--format", "prometheus", "--output", file], stdin: .bytes(input))
    #expect(r.status == 0 && r.stdout.isEmpty && r.stderr.isEmpty)
    let expected = Subprocess.run(
      "wa-report", ["--format", "prometheus", Fixtures.path(Self.empty)])
    #expect(FileManager.default.contents(atPath: file).map(Array.init) == expected.stdout)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["wa.prom"])
  }

  @Test func outputThatCannotBeWrittenIsStatusThree() {
    let r = Subprocess.run(
      "wa-report", ["--output", "/nonexistent/wa.prom", Fixtures.path(Self.snapshot)])
    #expect(r.status == 3)
    #expect(
      r.stderrText.hasPrefix(
        "wa-report: cannot write /nonexistent/wa.prom: cannot create /nonexistent/.wa.prom.tmp-"))
    let full = Subprocess.run(
      "wa-report", [Fixtures.path(Self.snapshot)], stdout: .path("/dev/full"))
    #expect(full.status == 3)
    #expect(full.stderrText == "wa-report: write failed: No space left on device (ENOSPC)\n")
  }

  @Test func aClosedPipeEndsQuietly() {
    let many = String(repeating: "'\(Fixtures.path(Self.snapshot))' ", count: 60)
    let r = Subprocess.shell("wa-report \(many) | head -n 1; exit ${PIPESTATUS[0]}")
    #expect(r.status == 0 && r.stderrText.isEmpty, "\(r.stderrText)")
    #expect(
      r.stdoutText.hasPrefix("WhatsApp Analytics") && r.stdout.filter { $0 == 0x0A }.count == 1)
  }

  @Test(arguments: [
    (["--format", "xml"], "--format takes text, prometheus, html or csv, not 'xml'"),
    (["--watch", "--output", "x.prom"], "--watch redraws a terminal"),
    (["--output", "dir/"], "--output takes a file name, not a folder"),
    (["--max-line-bytes", "0"], "--max-line-bytes takes a size"),
    (["--colour"], "unknown option '--colour'"),
  ])
  func usageErrorsAreStatusTwo(_ args: [String], _ message: String) {
    let r = Subprocess.run("wa-report", args)
    #expect(r.status == 2)
    #expect(r.stderrText.hasPrefix("wa-report: \(message)"), "\(r.stderrText)")
    #expect(r.stderrText.hasSuffix("Try 'wa-report --help' for more information.\n"))
  }

  @Test func helpAndVersion() {
    let help = Subprocess.run("wa-report", ["--help"])
    #expect(help.status == 0 && help.stdoutText.hasPrefix("usage: wa-report [options] [FILE ...]"))
    for flag in ["--format FORMAT", "--output FILE", "--watch", "--ascii", "--max-line-bytes N"] {
      #expect(help.stdoutText.contains("  \(flag) "), "\(flag)")
    }
    #expect(Subprocess.run("wa-report", ["--version"]).stdoutText == "wa-report 1.0.0\n")
  }

  @Test func sigtermEndsCleanlyAfterTheLastRendering() throws {
    let p = Subprocess.start("wa-report", stdin: .pipe)
    p.write(String(decoding: Fixtures.bytes(Self.snapshot), as: UTF8.self))
    let out = try #require(p.stdoutFile)
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline,
      !(FileManager.default.contents(atPath: out).map {
        String(decoding: $0, as: UTF8.self).contains("as wa-aggregate accounted for it")
      } ?? false)
    {
      usleep(10_000)
    }
    p.send(SIGTERM)
    let r = p.wait(timeout: 10, closingStdin: false)
    p.closeStdin()
    #expect(r.status == 0 && r.signal == nil)
    #expect(r.stdoutText.hasPrefix("WhatsApp Analytics"))
  }
}
