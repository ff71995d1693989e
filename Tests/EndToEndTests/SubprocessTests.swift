import Foundation
import Testing

/// The harness that starts the tools in these tests.
@Suite struct SubprocessTests {
  /// A child gets its three standard descriptors and nothing else of the test process. Tests
  /// run in parallel, and a child inherited the pipes of other tests: one that held the read
  /// end a test had closed to stand for `| head` kept that test's tool from seeing EPIPE
  /// (`LiveStreamRegressionTests.aClosedPipeEndsARunWhoseInputIsIdleAtOnce` failed in a full
  /// run, never alone).
  @Test func aChildInheritsOnlyItsStandardDescriptors() throws {
    var ends: [Int32] = [-1, -1]
    try #require(pipe(&ends) == 0)
    defer { ends.forEach { close($0) } }
    #expect(
      Subprocess.addCloseFrom != nil, "glibc without posix_spawn_file_actions_addclosefrom_np")
    // `ls` opens one descriptor of its own to read the directory.
    let r = Subprocess.run("/bin/ls", ["/proc/self/fd"])
    #expect(r.status == 0, "\(r.stderrText)")
    let open = r.stdoutText.split(separator: "\n").compactMap { Int32($0) }
    #expect(!open.contains(ends[0]) && !open.contains(ends[1]), "\(open)")
    #expect(open.count <= 4, "\(open)")
  }
}

extension SubprocessTests {
  /// Writing to the standard input of a child that has ended raised SIGPIPE in the test
  /// process, which does not ignore it: the whole test run died with signal 13.
  @Test func writingToAChildThatHasEndedLeavesTheTestsRunning() {
    let p = Subprocess.start("wa-aggregate", ["--threads", "9"], stdin: .pipe)
    var status: Int32 = 0
    #expect(waitpid(p.pid, &status, 0) == p.pid)
    #expect(status & 0x7F == 0 && (status >> 8) & 0xFF == 2, "exit status 2")
    p.write(String(repeating: "{}\n", count: 100_000))
    _ = p.wait(timeout: 5)  // already reaped: this only removes its temporary files
  }
}
