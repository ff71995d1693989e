import Foundation
import TestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the built tools for the regression tests: the folder of the test bundle (or
/// `WA_BIN_DIR`), as the end-to-end tests find them.
enum Tools {
  /// One valid `message.received` line, newline included: input for tests that need lines
  /// the filters pass through.
  static let validEventLine =
    #"{"type":"track","event":"message.received","userId":"+254712345678","#
    + #""timestamp":"2025-06-08T20:59:43Z","properties":{"messageId":"m1","chatId":"c"},"#
    + #""context":{"channel":"whatsapp"}}"# + "\n"

  /// A new folder `<tag>-<pid>` in the temporary directory; the caller removes it.
  static func scratchFolder(_ tag: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(tag)-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  static let folder: String = {
    if let dir = ProcessInfo.processInfo.environment["WA_BIN_DIR"], !dir.isEmpty { return dir }
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("wa-validate").path),
      dir.path != "/"
    {
      dir.deleteLastPathComponent()
    }
    return dir.path
  }()

  static func path(_ tool: String) -> String { folder + "/" + tool }

  /// The package root, from this file's path (`Tests/Regression/<this file>`).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The bytes of a file under `Tests/Regression/Inputs/`.
  static func input(_ name: String) throws -> Data {
    try Data(contentsOf: root.appendingPathComponent("Tests/Regression/Inputs/" + name))
  }

  struct Result {
    var status: Int32
    var terminatedBySignal: Bool
    var stdout: String
    var stderr: String
  }

  /// Runs `executable` with `arguments`, `input` on its standard input, and waits for it.
  static func run(_ executable: String, _ arguments: [String], input: Data = Data()) throws
    -> Result
  {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    p.standardInput = stdin
    p.standardOutput = stdout
    p.standardError = stderr
    try p.run()
    // Feed and drain on other threads, so that a large input or output cannot deadlock.
    let writer = Thread {
      withoutSIGPIPE { try? stdin.fileHandleForWriting.write(contentsOf: input) }
      try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let err = Collector(stderr.fileHandleForReading)
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(
      status: p.terminationStatus, terminatedBySignal: p.terminationReason == .uncaughtSignal,
      stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: err.wait(), as: UTF8.self))
  }
}

/// Reads a pipe to its end on a thread of its own.
final class Collector: @unchecked Sendable {
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  init(_ handle: FileHandle) {
    Thread {
      self.data = handle.readDataToEndOfFile()
      self.done.signal()
    }.start()
  }

  func wait() -> Data {
    done.wait()
    return data
  }
}

/// A tool left running on an idle standard input (a pipe the test never writes to), for
/// signal tests.
final class Running {
  let process = Process()
  private let stdin = Pipe()
  private let stdout = Pipe()
  private var buffer = [UInt8]()

  /// Starts `executable` (a tool, or a program that execs one: the process id stays).
  init(_ executable: String, _ arguments: [String]) throws {
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    try process.run()
  }

  /// Writes `text` to its standard input, which stays open (a live input that pauses).
  func write(_ text: String) {
    withoutSIGPIPE { try? stdin.fileHandleForWriting.write(contentsOf: Data(text.utf8)) }
  }

  /// Closes its standard input: end of input.
  func closeStdin() {
    try? stdin.fileHandleForWriting.close()
  }

  /// Closes the read end of its standard output: the reader went away (`| head`).
  func closeStdout() {
    try? stdout.fileHandleForReading.close()
  }

  /// Waits up to `seconds` for one line on standard output.
  func readLine(within seconds: Double) -> String? {
    let fd = stdout.fileHandleForReading.fileDescriptor
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if let nl = buffer.firstIndex(of: 0x0A) {
        let line = String(decoding: buffer[..<nl], as: UTF8.self)
        buffer.removeSubrange(...nl)
        return line
      }
      var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let left = Int32(max(1, deadline.timeIntervalSinceNow * 1000))
      guard poll(&pfd, 1, left) > 0 else { continue }
      var chunk = [UInt8](repeating: 0, count: 65536)
      let n = read(fd, &chunk, chunk.count)
      if n <= 0 { return nil }
      buffer += chunk[..<n]
    }
    return nil
  }

  /// Waits up to `seconds` for the process to end; its exit status, or nil if it did not
  /// end (it is then killed, unless `kill` is false).
  func exitStatus(within seconds: Double, kill: Bool = true) -> Int32? {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning {
      guard kill else { return nil }
      Glibc.kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      return nil
    }
    return process.terminationReason == .exit
      ? process.terminationStatus : 128 + process.terminationStatus
  }

  /// Everything left on standard output once the process has ended.
  func rest() -> String {
    var text = ""
    while let line = readLine(within: 0.5) { text += line + "\n" }
    return text
  }

  deinit {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }
}
