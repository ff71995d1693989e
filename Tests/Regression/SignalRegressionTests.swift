import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Signal bugs, replayed on the built tools left running on an idle input.
@Suite(.serialized) struct SignalRegressionTests {
  /// A child inherits its parent's blocked signals: started by a parent that blocked SIGINT
  /// and SIGTERM (some test runners and supervisors do), the tools never saw SIGTERM and ran
  /// on. They now unblock both at start-up (11bb154). Replayed with python3 blocking the two
  /// signals and then exec'ing wa-aggregate in the same process.
  @Test func aToolStartedWithSignalsBlockedStillEndsOnSIGTERM() throws {
    let block =
      "import os, signal, sys; "
      + "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}); "
      + "os.execv(sys.argv[1], sys.argv[1:])"
    let tool = try Running(
      "/usr/bin/env", ["python3", "-c", block, Tools.path("wa-aggregate"), "--interval", "50ms"])
    let first = tool.readLine(within: 10)
    try #require(first?.contains(#""kind":"wa.snapshot""#) == true, "no snapshot: \(first ?? "")")
    kill(tool.process.processIdentifier, SIGTERM)
    let status = tool.exitStatus(within: 5)
    #expect(
      status == 0,
      "SIGTERM with signals blocked by the parent: \(status.map(String.init) ?? "no exit")")
    #expect(tool.rest().contains(#""final":true"#))
  }

  /// A signal that landed between two system calls (not during a blocking one) was slept
  /// through until the next input or timer; wa-aggregate had a check of its own to hide it.
  /// The reader now checks the flag before every wait and polls a self-pipe the handler
  /// writes to (cbe99c6). Replayed as that commit checked it: SIGTERM at random moments
  /// under `--interval 20ms`, each run ending at once with status 0 and a final snapshot.
  @Test func aSignalAtAnyMomentEndsTheRunAtOnce() throws {
    var random = SystemRandomNumberGenerator()
    for run in 0..<10 {
      let tool = try Running(Tools.path("wa-aggregate"), ["--interval", "20ms"])
      try #require(tool.readLine(within: 10) != nil, "run \(run): no first snapshot")
      usleep(UInt32.random(in: 0..<60_000, using: &random))
      kill(tool.process.processIdentifier, SIGTERM)
      let status = tool.exitStatus(within: 2)
      #expect(status == 0, "run \(run): \(status.map(String.init) ?? "still running after 2 s")")
      #expect(tool.rest().contains(#""final":true"#), "run \(run): no final snapshot")
    }
  }

  /// A FIFO named as an input (or as `--rejects`) blocks `open` until a writer (a reader)
  /// comes; `open` was retried after `EINTR` like a call that cannot block, so SIGTERM and
  /// SIGINT (Ctrl-C) were swallowed and the tool waited on, until SIGKILL. The wait now ends
  /// on either signal: the run stops as at any other moment, status 0 for SIGTERM, SIGINT
  /// re-raised.
  @Test func aSignalEndsTheWaitToOpenAFIFO() throws {
    let folder = try Tools.scratchFolder("wa-fifo")
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("events").path
    try #require(mkfifo(fifo, 0o600) == 0)
    let runs: [(String, [String], Int32)] = [
      ("wa-validate", [fifo], SIGTERM), ("wa-validate", [fifo], SIGINT),
      ("wa-convert", [fifo], SIGTERM), ("wa-enrich", [fifo], SIGINT),
      ("wa-aggregate", [fifo], SIGTERM), ("wa-validate", ["--rejects", fifo, "-"], SIGTERM),
    ]
    for (tool, arguments, signal) in runs {
      let running = try Running(Tools.path(tool), arguments)
      usleep(300_000)  // let it reach the open
      kill(running.process.processIdentifier, signal)
      let status = running.exitStatus(within: 5)
      #expect(
        status == (signal == SIGINT ? 128 + SIGINT : 0),
        "\(tool) \(arguments) after signal \(signal): \(status.map(String.init) ?? "still waiting after 5 s")"
      )
    }
  }
}

/// SIGHUP (the terminal of a `tail -F | wa-aggregate --state …` closing, an ssh session
/// dropping) killed the tools by its default action: no state saved, no final snapshot, so a
/// resumed run counted everything since the last save again. It now stops a tool as SIGINT
/// does (outputs finished, then re-raised), unless the parent ignores it (`nohup`).
@Suite(.serialized) struct HangUpRegressionTests {
  @Test func aHangUpSavesTheStateAndWritesTheFinalSnapshot() throws {
    let folder = try Tools.scratchFolder("wa-hangup")
    defer { try? FileManager.default.removeItem(at: folder) }
    let state = folder.appendingPathComponent("run.state").path
    // Through python3 setting SIGHUP's default action: a test runner started under `nohup`
    // would pass its ignored SIGHUP on, and the tool rightly keeps that.
    let restore =
      "import os, signal, sys; signal.signal(signal.SIGHUP, signal.SIG_DFL); "
      + "os.execv(sys.argv[1], sys.argv[1:])"
    let tool = try Running(
      "/usr/bin/env",
      [
        "python3", "-c", restore, Tools.path("wa-aggregate"), "--state", state, "--every", "1",
        "--interval", "1h",
      ])
    // A snapshot per event: each one read back proves the tool runs and has counted it. The
    // first saves the state; the second, within a second of that, does not (saves come at
    // most once a second), so only the save at the end can hold both messages.
    for id in ["m1", "m2"] {
      tool.write(Tools.validEventLine.replacingOccurrences(of: #""m1""#, with: "\"\(id)\""))
      try #require(tool.readLine(within: 10) != nil, "no snapshot after \(id)")
    }
    kill(tool.process.processIdentifier, SIGHUP)
    let status = tool.exitStatus(within: 5)
    #expect(
      status == 128 + SIGHUP,
      "after SIGHUP: \(status.map(String.init) ?? "still running after 5 s")")
    let rest = tool.rest()
    #expect(rest.contains(#""final":true"#), "no final snapshot: \(rest)")
    let resumed = try Tools.run(Tools.path("wa-aggregate"), ["--state", state])
    #expect(
      resumed.stdout.contains(#""received":2"#),
      "the state saved does not hold both messages: \(resumed.stdout) \(resumed.stderr)")
  }

  @Test func aHangUpIgnoredByTheParentStaysIgnored() throws {
    let ignore =
      "import os, signal, sys; signal.signal(signal.SIGHUP, signal.SIG_IGN); "
      + "os.execv(sys.argv[1], sys.argv[1:])"
    let tool = try Running(
      "/usr/bin/env", ["python3", "-c", ignore, Tools.path("wa-aggregate"), "--interval", "50ms"])
    try #require(tool.readLine(within: 10) != nil, "no first snapshot")
    kill(tool.process.processIdentifier, SIGHUP)
    #expect(tool.exitStatus(within: 0.5, kill: false) == nil, "nohup'ed run ended on SIGHUP")
    kill(tool.process.processIdentifier, SIGTERM)
    let status = tool.exitStatus(within: 5)
    #expect(status == 0, "after SIGTERM: \(status.map(String.init) ?? "still running after 5 s")")
  }
}

/// A reader that stops reading (a stalled pipe) left a stop signal waiting for ever: the
/// first SIGTERM or SIGINT finishes the line being written, and `writeAll` retried after
/// `EINTR` to keep that promise, which nothing could keep; only SIGKILL ended the tool. A
/// second stop signal now ends it at once, killed by that signal.
@Suite(.serialized) struct StalledReaderSignalRegressionTests {
  @Test func aSecondSignalEndsAToolWhoseReaderHasStopped() throws {
    let folder = try Tools.scratchFolder("wa-stalled")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("events.ndjson").path
    let event = Tools.validEventLine
    // 20,000 lines (3.6 MB): more than a pipe holds, even grown to 1 MiB, so the write blocks.
    try Data(String(repeating: event, count: 20_000).utf8).write(to: URL(fileURLWithPath: path))
    for (tool, signal) in [("wa-validate", SIGTERM), ("wa-enrich", SIGINT)] {
      // Standard output is a pipe this test never reads.
      let running = try Running(Tools.path(tool), ["--quiet", path])
      usleep(1_500_000)  // let it fill the pipe and block, even on a loaded machine
      kill(running.process.processIdentifier, signal)
      // The first signal waits for the line in hand: the tool is still there.
      #expect(running.exitStatus(within: 0.5, kill: false) == nil, "\(tool) ended at once")
      kill(running.process.processIdentifier, signal)
      let status = running.exitStatus(within: 5)
      #expect(
        status == 128 + signal,
        "\(tool) after a second signal \(signal): \(status.map(String.init) ?? "still running after 5 s")"
      )
    }
  }
}
