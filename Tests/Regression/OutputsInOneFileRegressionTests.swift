import Foundation
import Testing

/// Two outputs named as one file spoiled each other without a word (status 1, as for any
/// rejected line): `--summary-json F --rejects F` wrote the summary at the end over the first
/// rejects records, leaving a line cut in the middle; `--summary-json F > F` over the first
/// lines of the output; wa-aggregate's `--state F` with `--rejects F` or `--summary-json F`
/// renamed each save over the file, and the records or the summary went to the file it
/// replaced. Such runs are now usage errors, before anything is opened.
@Suite struct OutputsInOneFileRegressionTests {
  static func scratch(_ tag: String) throws -> (folder: URL, input: String) {
    let folder = try Tools.scratchFolder("outputs-in-one-file-" + tag)
    let input = folder.appendingPathComponent("in.ndjson").path
    try (Tools.validEventLine + "bad\n").write(toFile: input, atomically: false, encoding: .utf8)
    return (folder, input)
  }

  @Test func theSummaryAndTheRejectsInOneFileAreAUsageError() throws {
    let (folder, input) = try Self.scratch("summary-rejects")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("out.json").path
    let sameName = folder.path + "/./out.json"
    for tool in ["wa-validate", "wa-enrich", "wa-aggregate", "wa-convert"] {
      for (rejects, summary) in [(file, file), (file, sameName)] {
        let r = try Tools.run(
          Tools.path(tool), ["--quiet", "--rejects", rejects, "--summary-json", summary, input])
        #expect(r.status == 2, "\(tool): \(r.stderr)")
        #expect(r.stderr.contains("is also --rejects"), "\(tool): \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: file), "\(tool)")
      }
    }
  }

  @Test func theSummaryInTheFileOfStandardOutputIsAUsageError() throws {
    let (folder, input) = try Self.scratch("summary-stdout")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("out.ndjson").path
    let running = try Running(
      "/bin/sh",
      [
        "-c", #"exec "$0" --quiet --summary-json "$1" "$2" 2>&1 >"$1""#,
        Tools.path("wa-validate"), file, input,
      ])
    #expect(running.exitStatus(within: 60) == 2)
    #expect(running.rest().contains("is also standard output"))
  }

  @Test func theStateInTheFileOfAnotherOutputIsAUsageErrorAndIsKept() throws {
    let (folder, input) = try Self.scratch("state")
    defer { try? FileManager.default.removeItem(at: folder) }
    let state = folder.appendingPathComponent("s.state").path
    let first = try Tools.run(Tools.path("wa-aggregate"), ["--quiet", "--state", state, input])
    #expect(first.status == 1, "\(first.stderr)")
    let saved = try Data(contentsOf: URL(fileURLWithPath: state))
    for flag in ["--rejects", "--summary-json"] {
      let r = try Tools.run(
        Tools.path("wa-aggregate"), ["--quiet", "--state", state, flag, state, input])
      #expect(r.status == 2, "\(flag): \(r.stderr)")
      #expect(r.stderr.contains("--state \(state) is also \(flag)"), "\(r.stderr)")
      #expect(try Data(contentsOf: URL(fileURLWithPath: state)) == saved, "\(flag)")
    }
  }

  /// A pipe takes two outputs in turn without harm: `--rejects /dev/stdout --summary-json
  /// /dev/stdout | jq` stays allowed.
  @Test func twoOutputsIntoOnePipeAreAllowed() throws {
    let (folder, input) = try Self.scratch("pipe")
    defer { try? FileManager.default.removeItem(at: folder) }
    let r = try Tools.run(
      Tools.path("wa-validate"),
      ["--quiet", "--rejects", "/dev/stdout", "--summary-json", "/dev/stdout", input])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stdout.contains(#""rejected":1"#) && r.stdout.contains(#""errors":["#))
  }
}
