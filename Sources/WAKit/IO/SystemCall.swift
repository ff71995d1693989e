#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The one place a system call is retried after `EINTR` (apple/swift-system's
/// `valueOrErrno(retryOnInterrupt:)`, as a function).
///
/// Our SIGINT and SIGTERM handlers are installed without `SA_RESTART`, so a blocking call
/// returns `EINTR` when one arrives. A call that must notice that (reading input, waiting
/// for it) passes `stopOnSignal`: then `EINTR` is returned as a failure once a stop signal
/// is pending, and the caller finishes cleanly (SPEC §8). Every other call simply retries.
enum SystemCall {
  /// Calls `call` until it does not fail with `EINTR` (or, with `stopOnSignal`, until a
  /// stop signal is pending). Returns the result, or the `errno` of a failure (result < 0).
  @inline(__always)
  static func retrying<T: FixedWidthInteger>(
    stopOnSignal: Bool = false, _ call: () -> T
  ) -> Result<T, SystemError> {
    while true {
      let result = call()
      if result >= 0 { return .success(result) }
      let e = errno
      if e == EINTR && !(stopOnSignal && Signals.stopRequested) { continue }
      return .failure(SystemError(errno: e))
    }
  }

  // The C functions under names that a type's own `read`, `write`, `close` or `exit` cannot
  // shadow, without naming the C module (which differs between glibc and Musl).

  @inline(__always)
  static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    cRead(fd, buffer, count)
  }

  @inline(__always)
  static func write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    cWrite(fd, buffer, count)
  }

  @inline(__always)
  static func close(_ fd: Int32) -> Int32 { cClose(fd) }

  static func exit(_ status: Int32) -> Never { cExit(status) }
}

/// A failed system call's `errno`.
struct SystemError: Error, Equatable, Sendable {
  let errno: Int32
}

// File scope: here the unqualified names can only mean the C functions.
@inline(__always)
private func cRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  read(fd, buffer, count)
}
@inline(__always)
private func cWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}
@inline(__always)
private func cClose(_ fd: Int32) -> Int32 { close(fd) }
private func cExit(_ status: Int32) -> Never { exit(status) }
