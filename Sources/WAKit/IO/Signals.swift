import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The process-wide signal policy, decided once at start-up.
///
/// SIGPIPE is ignored so that a closed downstream pipe shows up as `EPIPE` on write (a quiet
/// stop) rather than killing the process before the rejects file and summary are finished.
/// SIGINT, SIGTERM and SIGHUP only set a flag: the reader notices it (blocking calls return
/// `EINTR` because the handler is installed without `SA_RESTART`), the tool finishes its
/// outputs, and then exits 0 for SIGTERM or re-raises SIGINT or SIGHUP so that a calling
/// shell script stops too.
///
/// SIGHUP is the terminal closing under a `tail -F | wa-aggregate` started by hand, or an
/// ssh session dropping: killed by default, the run would save no `--state` and write no
/// final snapshot, and everything since the last save would be counted again or lost.
///
/// A second stop signal ends the process at once, killed by that signal (status 130, 143 or
/// 129 in a shell): the first one finishes the line being written, and a reader that has
/// stopped reading (a stalled pipe, a terminal on Ctrl-S) would make that wait for ever.
///
/// A signal that arrives while the process is not inside a system call (writing a snapshot,
/// say) interrupts nothing, and a `poll` entered just after it would sleep on. So the
/// handler also writes a byte to a pipe (the self-pipe trick) that every wait polls too.
enum Signals {
  private static let received = Atomic<Int32>(0)
  private static let wakeRead = Atomic<Int32>(-1)
  private static let wakeWrite = Atomic<Int32>(-1)

  /// A descriptor that becomes readable once a stop signal has arrived (nil before
  /// `install`).
  static var wakeDescriptor: FileDescriptor? {
    let fd = wakeRead.load(ordering: .relaxed)
    return fd >= 0 ? FileDescriptor(rawValue: fd) : nil
  }

  /// Installs the policy. Call once, before any I/O.
  ///
  /// The signals are unblocked, since a parent may have left them blocked in the mask we
  /// inherit. A SIGINT that the parent set to be ignored (a shell's background job) stays
  /// ignored, as is the convention, and so does an ignored SIGHUP (`nohup`).
  static func install() {
    signal(SIGPIPE, SIG_IGN)
    var fds: [Int32] = [-1, -1]
    if pipe(&fds) == 0 {
      for fd in fds {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)  // a full pipe never blocks
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      }
      wakeRead.store(fds[0], ordering: .relaxed)
      wakeWrite.store(fds[1], ordering: .relaxed)
    }
    var unblock = sigset_t()
    sigemptyset(&unblock)
    sigaddset(&unblock, SIGINT)
    sigaddset(&unblock, SIGTERM)
    sigaddset(&unblock, SIGHUP)
    sigprocmask(SIG_UNBLOCK, &unblock, nil)
    for sig in stopSignals where sig == SIGTERM || !isIgnored(sig) {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { sig in
        // The second stop signal ends the process at once, by that signal: the first waits
        // for a whole line, which a reader that has stopped reading never takes.
        if Signals.received.exchange(sig, ordering: .relaxed) != 0 {
          signal(sig, SIG_DFL)  // async-signal-safe, like raise
          raise(sig)
          return
        }
        var byte: UInt8 = 1
        let fd = Signals.wakeWrite.load(ordering: .relaxed)
        if fd >= 0 { _ = SystemCall.write(fd, &byte, 1) }  // async-signal-safe
      }
      sigemptyset(&action.sa_mask)
      action.sa_flags = 0  // no SA_RESTART: a blocked read must return EINTR
      sigaction(sig, &action, nil)
    }
  }

  /// The signals that ask a tool to stop cleanly.
  static let stopSignals = [SIGINT, SIGTERM, SIGHUP]

  /// Whether `sig` was set to be ignored by the parent.
  private static func isIgnored(_ sig: Int32) -> Bool {
    var previous = sigaction()
    sigaction(sig, nil, &previous)
    return unsafeBitCast(previous.__sigaction_handler.sa_handler, to: Int.self)
      == unsafeBitCast(SIG_IGN, to: Int.self)
  }

  /// The signal that asked us to stop, or 0.
  static var pending: Int32 { received.load(ordering: .relaxed) }

  /// Whether SIGINT, SIGTERM or SIGHUP has arrived.
  static var stopRequested: Bool { pending != 0 }

  /// Ends the process as the signal that stopped it demands: SIGINT and SIGHUP are re-raised
  /// with the default action (status 130 or 129 seen by the shell); anything else exits with
  /// `status`.
  static func exit(status: Int32) -> Never {
    let sig = pending
    if sig == SIGINT || sig == SIGHUP {
      signal(sig, SIG_DFL)
      raise(sig)
    }
    SystemCall.exit(status)
  }
}
