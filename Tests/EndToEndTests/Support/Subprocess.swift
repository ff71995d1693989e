import Foundation
import TestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the built executables the way a shell would, with `posix_spawn` and `wait4`, so a
/// test sees the exit status, the terminating signal and the child's own peak RSS.
struct Subprocess {
  enum Input {
    case bytes([UInt8])
    case file(String)
    /// A pipe the test keeps: write to `Running.stdinWriter`.
    case pipe
  }

  enum Output {
    /// Collected into a temporary file, returned in `Result`.
    case capture
    /// Written to this path (`/dev/full`, `/dev/null`).
    case path(String)
    /// A pipe the test reads from `Running.stdoutReader`.
    case pipe
  }

  struct Result {
    var status: Int32?
    var signal: Int32?
    var stdout: [UInt8]
    var stderr: [UInt8]
    var maxRSSKilobytes: Int
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
  }

  /// A started process.
  final class Running {
    let pid: pid_t
    var stdinWriter: Int32 = -1
    var stdoutReader: Int32 = -1
    let stdoutFile: String?
    let stderrFile: String
    let inputFile: String?

    init(pid: pid_t, stdoutFile: String?, stderrFile: String, inputFile: String?) {
      self.pid = pid
      self.stdoutFile = stdoutFile
      self.stderrFile = stderrFile
      self.inputFile = inputFile
    }

    func write(_ text: String) {
      var bytes = Array(text.utf8)
      withoutSIGPIPE {
        bytes.withUnsafeMutableBytes { raw in
          var off = 0
          while off < raw.count {
            let n = Glibc.write(stdinWriter, raw.baseAddress! + off, raw.count - off)
            if n <= 0 { return }
            off += n
          }
        }
      }
    }

    func closeStdin() {
      if stdinWriter >= 0 { close(stdinWriter) }
      stdinWriter = -1
    }

    func send(_ sig: Int32) { kill(pid, sig) }

    /// Waits until the process has written `text` to stderr (it is running its loop).
    func waitForStderr(containing text: String, within seconds: Double) -> Bool {
      let deadline = Date().addingTimeInterval(seconds)
      while Date() < deadline {
        if let d = FileManager.default.contents(atPath: stderrFile),
          String(decoding: d, as: UTF8.self).contains(text)
        {
          return true
        }
        usleep(5000)
      }
      return false
    }

    /// Reads from the stdout pipe until `count` newlines arrived or `seconds` passed.
    func readLines(_ count: Int, within seconds: Double) -> [String] {
      var data: [UInt8] = []
      let deadline = Date().addingTimeInterval(seconds)
      var buf = [UInt8](repeating: 0, count: 65536)
      while data.filter({ $0 == 0x0A }).count < count {
        let left = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
        if left == 0 { break }
        var pfd = pollfd(fd: stdoutReader, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, left) > 0 else { break }
        let n = buf.withUnsafeMutableBytes { Glibc.read(stdoutReader, $0.baseAddress!, 65536) }
        if n <= 0 { break }
        data += buf[0..<n]
      }
      return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Waits for the process (killing it after `timeout` seconds) and collects its outputs.
    func wait(timeout: Double = 60, closingStdin: Bool = true) -> Result {
      if closingStdin { closeStdin() }
      var status: Int32 = 0
      var usage = rusage()
      let deadline = Date().addingTimeInterval(timeout)
      while wait4(pid, &status, WNOHANG, &usage) == 0 {
        if Date() > deadline {
          kill(pid, SIGKILL)
          _ = wait4(pid, &status, 0, &usage)
          break
        }
        usleep(2000)
      }
      if stdoutReader >= 0 { close(stdoutReader) }
      let out =
        stdoutFile.flatMap { FileManager.default.contents(atPath: $0) }.map(Array.init) ?? []
      let err = FileManager.default.contents(atPath: stderrFile).map(Array.init) ?? []
      for f in [stdoutFile, stderrFile, inputFile].compactMap({ $0 }) { unlink(f) }
      let exited = status & 0x7F == 0
      return Result(
        status: exited ? (status >> 8) & 0xFF : nil, signal: exited ? nil : status & 0x7F,
        stdout: out, stderr: err, maxRSSKilobytes: usage.ru_maxrss)
    }
  }

  /// The folder holding the built executables: `WA_BIN_DIR` when set (to run these tests on
  /// other builds, such as release binaries with AddressSanitizer: `scripts/ci/sanitize`),
  /// otherwise the test bundle's own folder.
  static let binaries: String = {
    if let dir = ProcessInfo.processInfo.environment["WA_BIN_DIR"], !dir.isEmpty { return dir }
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    // On some layouts the test binary sits inside a bundle folder.
    while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("wa-validate").path),
      dir.path != "/"
    {
      dir.deleteLastPathComponent()
    }
    return dir.path
  }()

  /// Whether the executables are built with AddressSanitizer (`swift test --sanitize=address`,
  /// or `WA_BIN_DIR` pointing at such a build: `scripts/ci/sanitize`). ASan's shadow memory and
  /// its quarantine of freed blocks make a tool's peak RSS ASan's, not the tool's, so the
  /// memory bounds are checked only on ordinary builds; everything else still is.
  static let binariesUseAddressSanitizer: Bool = {
    guard let data = FileManager.default.contents(atPath: binaries + "/wa-validate") else {
      return false
    }
    return data.range(of: Data("__asan_init".utf8)) != nil
  }()

  /// Removes files or directories (with what they hold) a test made; missing ones are fine.
  static func remove(_ paths: String...) {
    for path in paths { try? FileManager.default.removeItem(atPath: path) }
  }

  static func tempPath(_ tag: String) -> String {
    NSTemporaryDirectory() + "wa-e2e-\(getpid())-\(UUID().uuidString.prefix(8))-\(tag)"
  }

  /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), looked up at run
  /// time: Swift's Glibc module leaves out the GNU extensions that declare it.
  static let addCloseFrom:
    (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
      guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
        return nil
      }
      return unsafeBitCast(
        symbol,
        to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)
          .self)
    }()

  /// Starts `tool` (a name such as `wa-validate`, or an absolute path) with `args`.
  static func start(
    _ tool: String, _ args: [String] = [], stdin: Input = .bytes([]), stdout: Output = .capture,
    environment: [String: String] = [:]
  ) -> Running {
    let path = tool.hasPrefix("/") ? tool : binaries + "/" + tool
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var inputFile: String? = nil
    var stdinPipe: [Int32] = [-1, -1]
    switch stdin {
    case .bytes(let bytes):
      let f = tempPath("in")
      precondition(
        FileManager.default.createFile(atPath: f, contents: Data(bytes)), "cannot write \(f)")
      inputFile = f
      posix_spawn_file_actions_addopen(&actions, 0, f, O_RDONLY, 0)
    case .file(let f):
      posix_spawn_file_actions_addopen(&actions, 0, f, O_RDONLY, 0)
    case .pipe:
      _ = pipe(&stdinPipe)
      posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
      posix_spawn_file_actions_addclose(&actions, stdinPipe[1])
    }
    var stdoutFile: String? = nil
    var stdoutPipe: [Int32] = [-1, -1]
    switch stdout {
    case .capture:
      let f = tempPath("out")
      stdoutFile = f
      posix_spawn_file_actions_addopen(&actions, 1, f, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    case .path(let p):
      posix_spawn_file_actions_addopen(&actions, 1, p, O_WRONLY, 0)
    case .pipe:
      _ = pipe(&stdoutPipe)
      posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
      posix_spawn_file_actions_addclose(&actions, stdoutPipe[0])
    }
    let stderrFile = tempPath("err")
    posix_spawn_file_actions_addopen(&actions, 2, stderrFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    // Nothing else of the test process goes to the child. Tests run in parallel: a child
    // started by one test inherited the pipes another test had open, and held the read end of
    // a pipe that test had closed to stand for `| head`, so its tool never saw EPIPE.
    if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    let argv = ([path] + args).map { strdup($0) } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    // A child of the test runner would inherit its blocked and ignored signals: start it
    // with an empty mask and default dispositions, as a shell would.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for sig in [SIGINT, SIGTERM, SIGPIPE, SIGHUP] { sigaddset(&defaults, sig) }
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
    precondition(rc == 0, "cannot start \(path): \(rc)")
    let running = Running(
      pid: pid, stdoutFile: stdoutFile, stderrFile: stderrFile, inputFile: inputFile)
    if stdinPipe[0] >= 0 {
      close(stdinPipe[0])
      running.stdinWriter = stdinPipe[1]
    }
    if stdoutPipe[1] >= 0 {
      close(stdoutPipe[1])
      running.stdoutReader = stdoutPipe[0]
    }
    return running
  }

  /// Runs `tool` to completion and reports its own peak RSS.
  ///
  /// `wait4` on a child of this (large) test process would report the test process's peak:
  /// Linux carries the high-water mark across `exec`. So a small python3 process forks and
  /// execs the tool and reports `ru_maxrss` from its own `wait4` (its baseline is python's
  /// ~10 MB, not ours).
  static func runMeasuringMemory(
    _ tool: String, _ args: [String] = [], stdin: Input = .bytes([]), stdout: Output = .capture,
    timeout: Double = 120
  ) -> Result {
    let script = """
      import os, signal, sys
      pid = os.fork()
      if pid == 0:
          os.execv(sys.argv[1], sys.argv[1:])
      _, status, usage = os.wait4(pid, 0)
      os.write(2, b"\\nwa-test-maxrss-kb=%d\\n" % usage.ru_maxrss)
      code = os.waitstatus_to_exitcode(status)
      if code < 0:
          signal.signal(-code, signal.SIG_DFL)
          os.kill(os.getpid(), -code)
      sys.exit(code)
      """
    var r = start(
      "/usr/bin/env", ["python3", "-c", script, binaries + "/" + tool] + args, stdin: stdin,
      stdout: stdout
    ).wait(timeout: timeout)
    let marker = Array("\nwa-test-maxrss-kb=".utf8)
    if let at = r.stderr.lastRange(of: marker) {
      let digits = r.stderr[at.upperBound...].prefix { $0 >= 0x30 && $0 <= 0x39 }
      r.maxRSSKilobytes = Int(String(decoding: digits, as: UTF8.self)) ?? -1
      r.stderr.removeSubrange(at.lowerBound...)
    } else {
      r.maxRSSKilobytes = -1
    }
    return r
  }

  /// Runs `tool` to completion.
  static func run(
    _ tool: String, _ args: [String] = [], stdin: Input = .bytes([]), stdout: Output = .capture,
    timeout: Double = 60
  ) -> Result {
    start(tool, args, stdin: stdin, stdout: stdout).wait(timeout: timeout)
  }

  /// Runs a shell pipeline (`bash -c`), with the binaries' folder first on PATH.
  static func shell(_ script: String, timeout: Double = 60) -> Result {
    let path = "\(binaries):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")"
    return start("/bin/bash", ["-c", script], environment: ["PATH": path]).wait(timeout: timeout)
  }
}

/// Paths of the package's fixture files.
enum Fixtures {
  static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func path(_ relative: String) -> String {
    root.appendingPathComponent(relative).path
  }

  static func bytes(_ relative: String) -> [UInt8] {
    FileManager.default.contents(atPath: path(relative)).map(Array.init) ?? []
  }

  /// Compares `actual` with a golden file; with `WA_RECORD_GOLDEN=1` in the environment the
  /// golden file is (re)written instead, never by hand.
  static func matchesGolden(_ actual: [UInt8], _ relative: String) -> Bool {
    if ProcessInfo.processInfo.environment["WA_RECORD_GOLDEN"] == "1" {
      return FileManager.default.createFile(atPath: path(relative), contents: Data(actual))
    }
    return bytes(relative) == actual
  }
}

extension Array where Element == UInt8 {
  func lastRange(of needle: [UInt8]) -> Range<Int>? {
    guard count >= needle.count else { return nil }
    for start in stride(from: count - needle.count, through: 0, by: -1)
    where self[start..<start + needle.count].elementsEqual(needle) {
      return start..<start + needle.count
    }
    return nil
  }
}
