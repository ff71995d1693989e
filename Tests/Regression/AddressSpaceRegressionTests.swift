import Foundation
import Testing

/// Each tool allocates its line buffer (`--max-line-bytes` and a chunk) at start. Under a
/// limit on the address space (`ulimit -v`, as some shared hosts and batch systems set) a
/// large one could not be allocated and the tool aborted (SIGABRT, status 134, a crash
/// report) instead of saying so.
@Suite struct AddressSpaceRegressionTests {
  @Test(arguments: ["wa-validate", "wa-enrich", "wa-aggregate", "wa-convert", "wa-report"])
  func aLineBufferTooLargeForTheAddressSpaceIsSaidNotACrash(_ tool: String) throws {
    let running = try Running(
      "/bin/sh",
      [
        "-c", #"ulimit -v 400000 && exec "$0" --max-line-bytes 1G /dev/null 2>&1"#,
        Tools.path(tool),
      ])
    let status = running.exitStatus(within: 60)
    let output = running.rest()
    #expect(status == 3, "\(tool): \(status.map(String.init) ?? "killed") \(output)")
    #expect(
      output.contains(
        "\(tool): cannot allocate the 1073741824-byte line buffer of "
          + "--max-line-bytes"), "\(tool): \(output)")
  }
}
