#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Thin, `EINTR`-aware wrappers over the system calls the tools use.
///
/// `EINTR` is retried unless a termination signal is pending: then the caller must see the
/// interruption so it can stop reading and finish cleanly (SPEC §8).
public enum FileDescriptor {
  public static let standardInput: Int32 = 0
  public static let standardOutput: Int32 = 1
  public static let standardError: Int32 = 2

  /// Opens a file for reading.
  public static func openForReading(_ path: String) throws(IOError) -> Int32 {
    while true {
      let fd = open(path, O_RDONLY | O_CLOEXEC)
      if fd >= 0 { return fd }
      let e = errno
      if e == EINTR { continue }
      throw .openFailed(path: path, errno: e)
    }
  }

  /// Opens (creating if needed) a file for appending, as `--rejects` does.
  public static func openForAppending(_ path: String) throws(IOError) -> Int32 {
    try openForWriting(path, flags: O_APPEND)
  }

  /// Opens (creating or truncating) a file for writing, as `--summary-json` does.
  public static func openForReplacing(_ path: String) throws(IOError) -> Int32 {
    try openForWriting(path, flags: O_TRUNC)
  }

  private static func openForWriting(_ path: String, flags: Int32) throws(IOError) -> Int32 {
    while true {
      let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0o644)
      if fd >= 0 { return fd }
      let e = errno
      if e == EINTR { continue }
      throw .openFailed(path: path, errno: e)
    }
  }

  public static func close(_ fd: Int32) {
    _ = Glibc.close(fd)
  }

  /// Reads up to `count` bytes; returns 0 at end of file. A signal that asks us to stop
  /// surfaces as `nil`.
  public static func read(
    _ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int
  ) throws(IOError) -> Int? {
    while true {
      let n = Glibc.read(fd, buffer, count)
      if n >= 0 { return n }
      let e = errno
      if e == EINTR {
        if Signals.stopRequested { return nil }
        continue
      }
      if e == EAGAIN {
        // A non-blocking descriptor inherited from the caller: wait until it is readable.
        _ = waitReadable(fd, timeoutMilliseconds: -1)
        continue
      }
      throw .readFailed(errno: e)
    }
  }

  /// Writes every byte, retrying partial writes, `EINTR` and `EAGAIN` (a slow consumer must
  /// lose nothing).
  public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(IOError) {
    guard var p = bytes.baseAddress else { return }
    var left = bytes.count
    while left > 0 {
      let n = Glibc.write(fd, p, left)
      if n > 0 {
        p += n
        left -= n
        continue
      }
      let e = n < 0 ? errno : EIO
      switch e {
      case EINTR: continue
      case EAGAIN:
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        _ = poll(&pfd, 1, -1)
      case EPIPE: throw .closedPipe
      default: throw .writeFailed(errno: e)
      }
    }
  }

  /// The result of waiting for input.
  public enum Readiness: Equatable { case ready, timedOut, interrupted }

  /// Waits until `fd` has data (or end of file), the timeout passes (`-1`: forever) or a
  /// stop signal arrives (seen through `Signals.wakeDescriptor`, so a signal that came just
  /// before the wait is not slept through). Regular files are always ready.
  public static func waitReadable(_ fd: Int32, timeoutMilliseconds: Int32) -> Readiness {
    if Signals.stopRequested { return .interrupted }
    var fds = [
      pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
      pollfd(fd: Signals.wakeDescriptor, events: Int16(POLLIN), revents: 0),
    ]
    let count: nfds_t = fds[1].fd >= 0 ? 2 : 1
    while true {
      let r = poll(&fds, count, timeoutMilliseconds)
      if Signals.stopRequested { return .interrupted }
      if r > 0 { return .ready }
      if r == 0 { return .timedOut }
      if errno == EINTR { continue }
      // poll itself failed (for example on a descriptor poll does not support): let read decide.
      return .ready
    }
  }

  /// Asks for a 1 MiB pipe when `fd` is a pipe (Linux's default is 64 KiB).
  ///
  /// In a pipeline of three filters on two cores, small pipes mean a context switch every
  /// 64 KiB; a larger one lets each stage run longer per switch. Unprivileged processes may
  /// go up to /proc/sys/fs/pipe-max-size (1 MiB by default); failure changes nothing.
  public static func enlargePipe(_ fd: Int32) {
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFIFO else { return }
    let setPipeSize: Int32 = 1031  // F_SETPIPE_SZ, not exported by the Glibc module
    _ = fcntl(fd, setPipeSize, 1 << 20)
  }

  /// Whether `fd` is a terminal.
  public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
}
