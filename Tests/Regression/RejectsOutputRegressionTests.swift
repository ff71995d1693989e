import Foundation
import Testing

/// The `--rejects` file is an output like standard output, but only standard output may
/// close quietly (`| head` is not an error). A rejects pipe whose reader went away
/// (`--rejects >(head -n 5 > sample.ndjson)`) stopped the run as a closed standard output
/// does: status 1, no message, no summary line, and the valid lines past that point never
/// reached standard output. A rejects file that failed otherwise (a full disk) said only
/// `write failed`, as if standard output had.
@Suite struct RejectsOutputRegressionTests {
  static let tools = ["wa-validate", "wa-enrich", "wa-aggregate", "wa-convert"]

  /// Runs `tool --quiet --rejects REJECTS FILE` through bash (standard output to
  /// /dev/null, standard error captured); its status (nil: killed after 60 s) and stderr.
  static func run(_ tool: String, rejects: String, _ input: String) throws
    -> (status: Int32?, stderr: String)
  {
    let running = try Running(
      "/bin/bash",
      [
        "-c", "exec \"$0\" --quiet --rejects \(rejects) \"$1\" 2>&1 >/dev/null",
        Tools.path(tool), input,
      ])
    let status = running.exitStatus(within: 60)
    return (status, running.rest())
  }

  /// 100,000 rejected lines: 13 MB of rejects records, more than any pipe holds.
  static func badLines(_ tag: String) throws -> (folder: URL, path: String) {
    let folder = try Tools.scratchFolder("rejects-output-" + tag)
    let path = folder.appendingPathComponent("bad.ndjson").path
    try String(repeating: "bad\n", count: 100_000).write(
      toFile: path, atomically: false, encoding: .utf8)
    return (folder, path)
  }

  @Test func aRejectsPipeWhoseReaderWentAwayIsAFailedOutputNotAQuietStop() throws {
    let (folder, input) = try Self.badLines("closed")
    defer { try? FileManager.default.removeItem(at: folder) }
    for tool in Self.tools {
      let r = try Self.run(tool, rejects: ">(head -c 1 >/dev/null)", input)
      #expect(r.status == 3, "\(tool): \(r.status.map(String.init) ?? "killed") \(r.stderr)")
      #expect(
        r.stderr.contains("\(tool): --rejects /dev/fd/") && r.stderr.contains("Broken pipe"),
        "\(tool): \(r.stderr)")
      #expect(r.stderr.contains(" lines: "), "\(tool): no summary line in \(r.stderr)")
    }
  }

  /// `--rejects /dev/stdout | head`: the rejects pipe is standard output's, whose reader may
  /// go away quietly.
  @Test func aRejectsPipeThatIsStandardOutputClosesQuietly() throws {
    let (folder, input) = try Self.badLines("stdout")
    defer { try? FileManager.default.removeItem(at: folder) }
    for tool in Self.tools {
      let running = try Running(
        "/bin/bash",
        [
          "-c",
          "{ \"$0\" --quiet --rejects /dev/stdout \"$1\" 2>&3 | head -c 1 >/dev/null; "
            + "exit ${PIPESTATUS[0]}; } 3>&1",
          Tools.path(tool), input,
        ])
      let status = running.exitStatus(within: 60)
      let stderr = running.rest()
      #expect(status == 1, "\(tool): \(status.map(String.init) ?? "killed") \(stderr)")
      #expect(stderr.isEmpty, "\(tool): \(stderr)")
    }
  }

  @Test func aRejectsFileThatCannotBeWrittenIsNamed() throws {
    let (folder, input) = try Self.badLines("full")
    defer { try? FileManager.default.removeItem(at: folder) }
    for tool in Self.tools {
      let r = try Self.run(tool, rejects: "/dev/full", input)
      #expect(r.status == 3, "\(tool): \(r.stderr)")
      #expect(
        r.stderr.contains("\(tool): --rejects /dev/full: write failed: No space left on device"),
        "\(tool): \(r.stderr)")
    }
  }
}
