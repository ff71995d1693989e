import Foundation
import Testing

/// A tool started with a standard descriptor closed (`tool <&-`, `>&-`, as a daemon or a
/// careless script may start it). The signal self-pipe made at start-up took the free
/// numbers: with standard input closed the tool read its own self-pipe and waited forever;
/// with standard input and output closed its output went into the self-pipe, lost, with
/// status 0. The closed ones now get /dev/null opened the wrong way round, so that reading
/// or writing them fails with `EBADF`: status 3 and a message, like any unreadable input or
/// unwritable output.
@Suite struct StandardDescriptorRegressionTests {
  /// Runs `tool` through `sh` with `redirections` (standard error goes to the captured
  /// standard output first); its status (nil: killed after 10 s) and what it wrote.
  static func run(_ tool: String, _ redirections: String, _ arguments: [String] = []) throws
    -> (status: Int32?, output: String)
  {
    let running = try Running(
      "/bin/sh", ["-c", #"exec "$0" "$@" 2>&1 "# + redirections, Tools.path(tool)] + arguments)
    let status = running.exitStatus(within: 10)
    return (status, running.rest())
  }

  @Test func aToolWithStandardInputClosedReportsItInsteadOfWaitingForever() throws {
    for tool in ["wa-validate", "wa-enrich", "wa-convert", "wa-aggregate", "wa-report"] {
      let r = try Self.run(tool, "<&-")
      #expect(r.status == 3, "\(tool): \(r.status.map(String.init) ?? "killed after 10 s")")
      #expect(
        r.output.contains("<stdin>: read failed: Bad file descriptor"), "\(tool): \(r.output)")
    }
  }

  @Test func aToolWithStandardInputAndOutputClosedDoesNotLoseItsOutputSilently() throws {
    let folder = try Tools.scratchFolder("wa-closed-descriptors")
    defer { try? FileManager.default.removeItem(at: folder) }
    let event = Tools.validEventLine
    let events = folder.appendingPathComponent("events.ndjson")
    try Data(event.utf8).write(to: events)
    let bodies = Tools.root.appendingPathComponent("Tests/Fixtures/convert/reference.log")
    for (tool, input) in [("wa-validate", events), ("wa-enrich", events), ("wa-convert", bodies)] {
      let r = try Self.run(tool, "<&- >&-", [input.path])
      #expect(r.status == 3, "\(tool): \(r.status.map(String.init) ?? "killed after 10 s")")
      #expect(r.output.contains("write failed: Bad file descriptor"), "\(tool): \(r.output)")
    }
  }
}

/// The test harnesses wrote a tool's input into a pipe the tool had already closed, when it
/// stopped at its options (a usage error) before reading: that raised SIGPIPE in the test
/// process, which does not ignore it, and the whole test run died with signal 13, every
/// suite at once (a full `swift test`, never a suite alone: it depends on the tool exiting
/// before the write).
@Suite struct ClosedInputPipeRegressionTests {
  /// 8 MB, more than any pipe holds: the write outlives the tool, whatever the timing.
  static let largeInput = Data(String(repeating: Tools.validEventLine, count: 40_000).utf8)

  @Test func aToolThatStopsBeforeReadingLeavesTheTestsRunning() throws {
    for _ in 1...3 {
      let r = try Tools.run(Tools.path("wa-aggregate"), ["--threads", "9"], input: Self.largeInput)
      #expect(r.status == 2, "\(r.stderr)")
      #expect(r.stderr.contains("--threads takes 1, 2 or auto"))
    }
  }

  @Test func aLiveInputWrittenAfterTheToolEndedLeavesTheTestsRunning() throws {
    let tool = try Running(Tools.path("wa-aggregate"), ["--threads", "9"])
    #expect(tool.exitStatus(within: 20) == 2)
    tool.write(String(decoding: Self.largeInput, as: UTF8.self))
    tool.write(Tools.validEventLine)
  }
}
