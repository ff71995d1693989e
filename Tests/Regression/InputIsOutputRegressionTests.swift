import Foundation
import Testing

/// An input that is also the file a run writes to: `--rejects rejects.ndjson *.ndjson` run
/// twice in one folder, or `wa-validate f >> f`. Each line read was written again after the
/// lines still to read and read again, without end: the file grew until the disk was full
/// (wa-validate, wa-enrich, wa-convert, wa-aggregate; 180 MB in 10 s). Such an input is now
/// reported and not read, as `cat f >> f` does: status 3, the other inputs still read.
@Suite struct InputIsOutputRegressionTests {
  /// A file of 50,000 rejected lines (690 kB: more than the reader's chunk and the output
  /// buffer, so that the run reads what it has appended).
  static func rejectedLines(in folder: URL) throws -> String {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("rejects.ndjson").path
    let lines = (0..<50_000).map { #"{"bad":\#($0)}"# }.joined(separator: "\n") + "\n"
    try Data(lines.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  static func size(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
  }

  @Test func anInputThatIsTheRejectsFileIsNotRead() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("wa-input-is-output-\(getpid())")
    defer { try? FileManager.default.removeItem(at: folder) }
    for tool in ["wa-validate", "wa-enrich", "wa-convert", "wa-aggregate"] {
      let path = try Self.rejectedLines(in: folder)
      let before = Self.size(path)
      let r = try StandardDescriptorRegressionTests.run(
        tool, ">/dev/null", ["--quiet", "--rejects", path, path])
      #expect(r.status == 3, "\(tool): \(r.status.map(String.init) ?? "still running after 10 s")")
      #expect(r.output.contains("input file is an output file"), "\(tool): \(r.output)")
      #expect(Self.size(path) == before, "\(tool): the file went from \(before) bytes")
    }
  }

  @Test func anInputThatIsStandardOutputIsNotRead() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("wa-input-is-stdout-\(getpid())")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("events.ndjson").path
    let event = Tools.validEventLine
    for tool in ["wa-validate", "wa-enrich"] {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try Data(String(repeating: event, count: 5_000).utf8).write(to: URL(fileURLWithPath: path))
      let before = Self.size(path)
      let quoted = "'" + path + "'"
      for redirection in [">>" + quoted, "<" + quoted + " >>" + quoted] {
        let arguments = redirection.hasPrefix("<") ? [] : [path]
        let r = try StandardDescriptorRegressionTests.run(tool, redirection, arguments)
        #expect(
          r.status == 3,
          "\(tool) \(redirection): \(r.status.map(String.init) ?? "still running after 10 s")")
        #expect(r.output.contains("input file is an output file"), "\(tool): \(r.output)")
        #expect(Self.size(path) == before, "\(tool) \(redirection): from \(before) bytes")
      }
    }
  }
}
