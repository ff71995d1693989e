// IO: bytes in and out of file descriptors — the line reader, buffered output, signals.
// Everything here works on raw buffers and file descriptors; nothing allocates per line.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// An I/O failure, with the `errno` that caused it.
///
/// The executables map these to exit status 3 and a message that names the errno
/// (`EISDIR`, `ENOSPC`), which is what an operator greps for.
enum IOError: Error, Equatable, Sendable {
  /// `open(2)` failed for the named path.
  case openFailed(path: String, errno: Int32)
  /// `read(2)` failed.
  case readFailed(errno: Int32)
  /// `write(2)` failed for a reason other than a closed pipe.
  case writeFailed(errno: Int32)
  /// The reader of our output went away (`EPIPE`): a quiet stop, not a failure.
  case closedPipe
  /// A file read whole was longer than the reader's limit (a table, a key, a zone file).
  case tooLarge(limit: Int)

  /// A one-line description for stderr.
  var message: String {
    switch self {
    case .openFailed(let path, let e): return "cannot open \(path): \(Errno.describe(e))"
    case .readFailed(let e): return "read failed: \(Errno.describe(e))"
    case .writeFailed(let e): return "write failed: \(Errno.describe(e))"
    case .closedPipe: return "output closed"
    case .tooLarge(let limit): return "larger than \(limit) bytes"
    }
  }
}

/// Names and descriptions of `errno` values.
enum Errno {
  /// The symbolic name of the common errno values, for messages that can be searched for.
  static func name(_ e: Int32) -> String {
    switch e {
    case EPERM: return "EPERM"
    case ENOENT: return "ENOENT"
    case EINTR: return "EINTR"
    case EIO: return "EIO"
    case EBADF: return "EBADF"
    case EAGAIN: return "EAGAIN"
    case ENOMEM: return "ENOMEM"
    case EACCES: return "EACCES"
    case EISDIR: return "EISDIR"
    case ENOTDIR: return "ENOTDIR"
    case EINVAL: return "EINVAL"
    case EMFILE: return "EMFILE"
    case EFBIG: return "EFBIG"
    case ENOSPC: return "ENOSPC"
    case EPIPE: return "EPIPE"
    case EROFS: return "EROFS"
    case ELOOP: return "ELOOP"
    case ENAMETOOLONG: return "ENAMETOOLONG"
    case EDQUOT: return "EDQUOT"
    default: return "errno \(e)"
    }
  }

  /// `strerror` text with the symbolic name, e.g. `No such file or directory (ENOENT)`.
  static func describe(_ e: Int32) -> String {
    guard let text = strerror(e) else { return name(e) }
    return "\(String(cString: text)) (\(name(e)))"
  }
}
