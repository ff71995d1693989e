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
