#if canImport(Glibc)
  import Glibc
#endif

/// Runs `body`, a write into a child's standard input, with SIGPIPE blocked in this thread,
/// and discards the SIGPIPE the write raised. A child that stops before reading (a usage
/// error) has closed that pipe, and the test process does not ignore SIGPIPE: the write
/// killed the whole test run, every suite at once. Blocked, the write fails with EPIPE.
/// Shared by the end-to-end and the regression tests' harnesses.
package func withoutSIGPIPE<T>(_ body: () throws -> T) rethrows -> T {
  var pipeSignal = sigset_t()
  sigemptyset(&pipeSignal)
  sigaddset(&pipeSignal, SIGPIPE)
  var previous = sigset_t()
  pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
  defer {
    var now = timespec()
    while sigtimedwait(&pipeSignal, nil, &now) == SIGPIPE {}
    pthread_sigmask(SIG_SETMASK, &previous, nil)
  }
  return try body()
}
