import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Bugs of the tools behind `tail -F`: a live input that pauses, for hours, and is never
/// closed. Each test feeds a running tool through a pipe it keeps open, and waits with a
/// generous timeout for what must come before the input ends.
@Suite(.serialized) struct LiveStreamRegressionTests {
  /// The window records of the sample (`wa-aggregate --window 1d --no-snapshots`).
  static func windowRecords() throws -> String {
    let r = try Tools.run(
      Tools.path("wa-aggregate"),
      ["--quiet", "--window", "1d", "--no-snapshots"],
      input: Data(contentsOf: Tools.root.appendingPathComponent("examples/webhook.log")))
    try #require(r.stdout.split(separator: "\n").count > 2, "\(r.stderr)")
    try #require(!r.stdout.contains(#""kind":"wa.snapshot""#))
    return r.stdout
  }

  /// docs/guide.md: a stream of window records only is rendered "once at the end of input
  /// (and, with `--output` or `--watch`, whenever a live input pauses)". Off a terminal
  /// `--watch` draws no frames, and the pause was ignored there: `tail -F windows.ndjson |
  /// wa-report --watch` through a pipe (ssh without a terminal, `| tee`) showed nothing
  /// until the input ended, that is never.
  @Test func watchOffATerminalRendersAStreamOfWindowsWhenTheInputPauses() throws {
    let records = try Self.windowRecords()
    let report = try Running(Tools.path("wa-report"), ["--watch"])
    report.write(records)
    let first = report.readLine(within: 20)
    #expect(
      first?.contains("WhatsApp Analytics") == true,
      "nothing rendered while the input pauses: \(first ?? "no line in 20 s")")
    report.closeStdin()
    #expect(report.exitStatus(within: 20) == 0)
  }

  /// docs/state.md: `--state FILE` is saved "at every snapshot (`--every`, `--interval`) but
  /// at most once a second". A snapshot within that second skipped its save for good: with
  /// `--every N` (no `--interval`) an input that then went quiet left FILE behind the
  /// snapshots already written for as long as the quiet lasted, hours behind `tail -F`, and a
  /// `kill -9` then lost more than the last second. The skipped save is now made once its
  /// second has passed. Here two events come at once (the second snapshot's save is skipped),
  /// then nothing: within seconds the file must hold both.
  @Test(arguments: ["1", "2"])
  func aSaveSkippedWithinASecondIsMadeWhenTheInputGoesQuiet(_ threads: String) throws {
    let folder = try Tools.scratchFolder("wa-live-state-\(threads)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let state = folder.appendingPathComponent("agg.state").path
    let copy = folder.appendingPathComponent("copy.state").path
    let tool = try Running(
      Tools.path("wa-aggregate"), ["--every", "1", "--threads", threads, "--state", state])
    let second = Tools.validEventLine.replacingOccurrences(of: #""m1""#, with: #""m2""#)
    tool.write(Tools.validEventLine + second)
    for n in 1...2 {
      let line = tool.readLine(within: 20)
      try #require(
        line?.contains(#""kind":"wa.snapshot""#) == true, "snapshot \(n): \(line ?? "none")")
    }
    // The saved state, as a later run loads it (a copy: the file is locked by the run).
    func eventsSaved() throws -> String {
      guard FileManager.default.fileExists(atPath: state) else { return "no file" }
      try? FileManager.default.removeItem(atPath: copy)
      try FileManager.default.copyItem(atPath: state, toPath: copy)
      let r = try Tools.run(Tools.path("wa-aggregate"), ["--quiet", "--state", copy])
      return r.stdout.components(separatedBy: #""input":{"lines":"#).last?.prefix(20).description
        ?? r.stderr
    }
    let deadline = Date().addingTimeInterval(15)
    var saved = try eventsSaved()
    while !saved.hasPrefix(#"2,"events":2"#) && Date() < deadline {
      usleep(100_000)
      saved = try eventsSaved()
    }
    #expect(saved.hasPrefix(#"2,"events":2"#), "the state file still holds: lines \(saved)")
    tool.closeStdin()
    #expect(tool.exitStatus(within: 20) == 0)
  }

  /// docs/contract.md §8: a closed downstream pipe ends the tool at once. With two threads the
  /// folding thread finds the pipe closed when it writes, but the reading thread, idle on a
  /// live input, only looked at that at its next line or `--interval` tick: `tail -F … |
  /// wa-aggregate --every 1 | head -n 1` ended at the first line after the one whose snapshot
  /// failed, and with `--interval 1h` up to an hour later; one thread ended at once. Here the
  /// reader goes away after the first snapshot, a second event comes, then nothing.
  ///
  /// The reader is `head -n 1` in a shell pipeline, as in use: the pipe between the two is
  /// the shell's alone. A pipe of the test process, closed to stand for the reader, could be
  /// held open by a child another test started meanwhile, and the tool then saw no EPIPE.
  @Test(arguments: ["1", "2"])
  func aClosedPipeEndsARunWhoseInputIsIdleAtOnce(_ threads: String) throws {
    let aggregate = Tools.path("wa-aggregate")
    let pipeline = try Running(
      "/bin/bash",
      [
        "-c",
        // `timeout`: a tool that does not end is ended (124) rather than left behind.
        "timeout 20 '\(aggregate)' --every 1 --interval 1h --threads \(threads) | head -n 1; "
          + "echo \"status ${PIPESTATUS[0]}\"",
      ])
    pipeline.write(Tools.validEventLine)
    let first = pipeline.readLine(within: 20)
    try #require(first?.contains(#""kind":"wa.snapshot""#) == true, "\(first ?? "no snapshot")")
    pipeline.write(Tools.validEventLine.replacingOccurrences(of: #""m1""#, with: #""m2""#))
    // bash ends when wa-aggregate does, and says with which status.
    #expect(pipeline.exitStatus(within: 40) == 0)
    let rest = pipeline.rest()
    #expect(
      rest == "status 0\n",
      "\(rest == "status 124\n" ? "still running 20 s after its reader went away" : rest)")
  }
}
