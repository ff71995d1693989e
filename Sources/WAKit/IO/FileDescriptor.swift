#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// An open file descriptor, typed (apple/swift-system's `FileDescriptor`), with the few
/// system calls the tools make on one. Every call retries `EINTR` through
/// `SystemCall.retrying`; reading and waiting stop instead when a stop signal is pending,
/// so that the caller can finish cleanly (SPEC §8).
///
/// A value, not an owner: copies name the same descriptor, and whoever opened it closes it.
struct FileDescriptor: RawRepresentable, Hashable, Sendable {
  let rawValue: Int32

  init(rawValue: Int32) { self.rawValue = rawValue }

  static let standardInput = FileDescriptor(rawValue: 0)
  static let standardOutput = FileDescriptor(rawValue: 1)
  static let standardError = FileDescriptor(rawValue: 2)

  /// Opens /dev/null on each of descriptors 0, 1 and 2 that is closed (`tool <&-`, `>&-`),
  /// the wrong way round: standard input for writing, the other two for reading. Otherwise
  /// the first descriptor the tool opens (the signal self-pipe, an input, `--rejects`) takes
  /// the free number: standard input read the self-pipe and waited forever, and standard
  /// output written into it was lost with status 0. This way a read or write fails with
  /// `EBADF` and is reported like any other (status 3). Call before anything is opened.
  static func occupyClosedStandardDescriptors() {
    for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
      // The lowest free number, which is `fd`: the ones below it are open by now.
      let opened = cOpen("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY, 0)
      if opened >= 0 && opened != fd {
        _ = dup2(opened, fd)
        _ = SystemCall.close(opened)
      }
    }
  }

  /// Opens a file for reading.
  static func openForReading(_ path: String) throws(IOError) -> FileDescriptor {
    try open(path, O_RDONLY | O_CLOEXEC)
  }

  /// Opens (creating if needed) a file for appending, as `--rejects` does.
  static func openForAppending(_ path: String) throws(IOError) -> FileDescriptor {
    try open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_APPEND)
  }

  /// Opens (creating or truncating) a file for writing, as `--summary-json` does.
  static func openForReplacing(_ path: String) throws(IOError) -> FileDescriptor {
    try open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_TRUNC)
  }

  /// Opens `path` with `flags` (and mode 0644 when it creates the file). Opening a FIFO
  /// blocks until its other end is opened: SIGINT or SIGTERM then ends the wait (`EINTR`)
  /// instead of being retried away, so the tool can stop.
  static func open(_ path: String, _ flags: Int32) throws(IOError) -> FileDescriptor {
    switch SystemCall.retrying(stopOnSignal: true, { cOpen(path, flags, 0o644) }) {
    case .success(let fd): return FileDescriptor(rawValue: fd)
    case .failure(let e): throw .openFailed(path: path, errno: e.errno)
    }
  }

  /// Closes the descriptor. `EINTR` is not retried: on Linux the descriptor is closed then.
  func close() {
    _ = SystemCall.close(rawValue)
  }

  /// Reads up to `count` bytes; returns 0 at end of file. A signal that asks us to stop
  /// surfaces as `nil`.
  func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(IOError) -> Int? {
    while true {
      switch SystemCall.retrying(stopOnSignal: true, { SystemCall.read(rawValue, buffer, count) }) {
      case .success(let n): return n
      case .failure(let e) where e.errno == EINTR: return nil
      case .failure(let e) where e.errno == EAGAIN:
        // A non-blocking descriptor inherited from the caller: wait until it is readable.
        _ = waitReadable(timeoutMilliseconds: -1)
      case .failure(let e): throw .readFailed(errno: e.errno)
      }
    }
  }

  /// Writes every byte, retrying partial writes, `EINTR` and `EAGAIN` (a slow consumer must
  /// lose nothing).
  func writeAll(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
    guard var p = bytes.baseAddress else { return }
    var left = bytes.count
    while left > 0 {
      switch SystemCall.retrying({ SystemCall.write(rawValue, p, left) }) {
      case .success(let n) where n > 0:
        p += n
        left -= n
      case .success:
        throw .writeFailed(errno: EIO)
      case .failure(let e) where e.errno == EAGAIN:
        var pfd = pollfd(fd: rawValue, events: Int16(POLLOUT), revents: 0)
        _ = SystemCall.retrying { poll(&pfd, 1, -1) }
      case .failure(let e) where e.errno == EPIPE: throw .closedPipe
      case .failure(let e): throw .writeFailed(errno: e.errno)
      }
    }
  }

  /// The result of waiting for input.
  enum Readiness: Equatable { case ready, timedOut, interrupted }

  /// Waits until the descriptor has data (or end of file), the timeout passes (`-1`:
  /// forever) or a stop signal arrives (seen through `Signals.wakeDescriptor`, so a signal
  /// that came just before the wait is not slept through). Regular files are always ready.
  func waitReadable(timeoutMilliseconds: Int32) -> Readiness {
    if Signals.stopRequested { return .interrupted }
    var fds = [
      pollfd(fd: rawValue, events: Int16(POLLIN), revents: 0),
      pollfd(fd: Signals.wakeDescriptor?.rawValue ?? -1, events: Int16(POLLIN), revents: 0),
    ]
    let count: nfds_t = fds[1].fd >= 0 ? 2 : 1
    let result = SystemCall.retrying(stopOnSignal: true) {
      poll(&fds, count, timeoutMilliseconds)
    }
    if Signals.stopRequested { return .interrupted }
    switch result {
    case .success(let r): return r > 0 ? .ready : .timedOut
    // poll itself failed (for example on a descriptor poll does not support): let read decide.
    case .failure: return .ready
    }
  }

  /// Asks for a 1 MiB pipe when this is a pipe (Linux's default is 64 KiB).
  ///
  /// In a pipeline of three filters on two cores, small pipes mean a context switch every
  /// 64 KiB; a larger one lets each stage run longer per switch. Unprivileged processes may
  /// go up to /proc/sys/fs/pipe-max-size (1 MiB by default); failure changes nothing.
  func enlargePipe() {
    var st = stat()
    guard fstat(rawValue, &st) == 0, st.st_mode & S_IFMT == S_IFIFO else { return }
    let setPipeSize: Int32 = 1031  // F_SETPIPE_SZ, not exported by the Glibc module
    _ = fcntl(rawValue, setPipeSize, 1 << 20)
  }

  /// Whether this is a terminal.
  var isTerminal: Bool { isatty(rawValue) == 1 }

  /// The device and inode of a regular file, or nil for anything else (a pipe, a terminal,
  /// /dev/null), which may be read and written at once without harm.
  var regularFileIdentity: FileIdentity? {
    var st = stat()
    guard fstat(rawValue, &st) == 0 else { return nil }
    return FileIdentity(regularFile: st)
  }
}

/// Which file a descriptor is open on.
struct FileIdentity: Equatable, Sendable {
  let device: UInt64
  let inode: UInt64

  /// The regular file `st` describes; nil for anything else.
  init?(regularFile st: stat) {
    guard st.st_mode & S_IFMT == S_IFREG else { return nil }
    device = UInt64(st.st_dev)
    inode = UInt64(st.st_ino)
  }

  /// The regular file at `path` (links followed); nil when there is none there.
  init?(regularFileAt path: String) {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    self.init(regularFile: st)
  }
}

// File scope, where `open` can only mean the C function.
@inline(__always)
private func cOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
  open(path, flags, mode)
}

extension FileDescriptor {
  /// Every byte up to end of file: a state file, a holidays table, a key, a zone file. At most
  /// `limit` bytes, so that a path naming something huge (or `/dev/zero`) fails at once
  /// instead of filling memory; a signal that interrupts the read is `readFailed(EINTR)`.
  func readAll(limit: Int = .max) throws(IOError) -> [UInt8] {
    var st = stat()
    let isFile = fstat(rawValue, &st) == 0 && st.st_mode & S_IFMT == S_IFREG
    // One allocation for a regular file (plus one byte to see end of file); pipes grow.
    var capacity = max(min(isFile ? Int(st.st_size) : 0, limit) + 1, 1 << 12)
    var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    defer { buffer.deallocate() }
    var n = 0
    while true {
      if n == capacity {
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
        bigger.copyMemory(from: buffer, byteCount: n)
        buffer.deallocate()
        buffer = bigger
        capacity *= 2
      }
      guard let got = try read(into: buffer + n, count: capacity - n) else {
        throw .readFailed(errno: EINTR)
      }
      if got == 0 { break }
      n += got
      if n > limit { throw .tooLarge(limit: limit) }
    }
    return Array(UnsafeRawBufferPointer(start: buffer, count: n))
  }

  /// The whole file at `path` (see `readAll(limit:)`).
  static func readFile(_ path: String, limit: Int = .max) throws(IOError) -> [UInt8] {
    let fd = try openForReading(path)
    defer { fd.close() }
    return try fd.readAll(limit: limit)
  }
}
