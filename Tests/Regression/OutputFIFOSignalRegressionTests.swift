import Foundation
import Testing

/// A FIFO named as `--rejects` or `--summary-json` with no reader yet: a signal ends the
/// wait to open it (an earlier fix), but the tool then said `cannot open FIFO: Interrupted
/// system call (EINTR)`, an output failure, and no summary line, while a FIFO input stopped
/// the same way ends as any stopped run does. Now the outputs end like the input.
@Suite struct OutputFIFOSignalRegressionTests {
  @Test(arguments: ["--rejects", "--summary-json"])
  func aSignalDuringTheOpenOfAnOutputFIFOIsAStop(_ flag: String) throws {
    let folder = try Tools.scratchFolder("wa-output-fifo" + flag)
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("out").path
    try #require(mkfifo(fifo, 0o600) == 0)
    let running = try Running(
      "/bin/sh", ["-c", #"exec "$0" "$1" "$2" - 2>&1"#, Tools.path("wa-validate"), flag, fifo])
    usleep(300_000)  // let it reach the open
    kill(running.process.processIdentifier, SIGTERM)
    let status = running.exitStatus(within: 10)
    let output = running.rest()
    #expect(status == 0, "\(status.map(String.init) ?? "still waiting") \(output)")
    #expect(!output.contains("cannot open"), "\(output)")
    #expect(output.contains("wa-validate: 0 lines: "), "\(output)")
  }
}
