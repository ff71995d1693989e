#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A state file on disk, held by one process (SPEC §9).
///
/// - Lock: `FILE.lock` next to it, `flock`ed exclusively for the life of the process. The
///   state file itself cannot carry the lock, since every save replaces it with a new inode;
///   the kernel drops a `flock` when its holder dies, so a `kill -9` leaves no stale lock.
/// - Save: write `FILE.tmp`, `fsync` it, `rename` it over FILE, `fsync` the directory. At
///   every moment FILE is the old state or the new one, whole. The temporary name is fixed
///   (the lock makes it ours), so killed saves leave at most one stray file; a save that
///   fails (disk full) removes it.
/// - Opening checks everything a save needs (the directory exists and is writable) at start,
///   so a bad path fails at once rather than at the first save an hour later.
final class StateStore {
  let path: String
  let tempPath: String
  let directory: String
  private let lockFD: Int32
  /// When the last save finished (monotonic), for "at most once per second"; the first
  /// save is due at once.
  var lastSave: Int64 = -(1 << 62)

  enum Failure: Error {
    case unusable(String)
    case inUse
    case state(StateError)
    case io(String)
  }

  private init(path: String, lockFD: Int32) {
    self.path = path
    tempPath = path + ".tmp"
    self.lockFD = lockFD
    directory = Self.directory(of: path)
  }

  static func directory(of path: String) -> String {
    guard let slash = path.utf8.lastIndex(of: 0x2F) else { return "." }
    let dir = String(path[..<slash])
    return dir.isEmpty ? "/" : dir
  }

  deinit { Glibc.close(lockFD) }

  /// Takes the lock and checks that the file can be saved.
  static func open(_ path: String) throws(Failure) -> StateStore {
    guard !path.isEmpty else { throw .unusable("an empty state file name") }
    var st = stat()
    let dir = Self.directory(of: path)
    if stat(dir, &st) != 0 || st.st_mode & S_IFMT != S_IFDIR {
      throw .unusable("its directory \(dir) does not exist")
    }
    if stat(path, &st) == 0, st.st_mode & S_IFMT != S_IFREG {
      throw .unusable("not a regular file")
    }
    let lockPath = path + ".lock"
    let fd = Glibc.open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      let e = errno
      throw .unusable("cannot create its lock file \(lockPath): \(Errno.describe(e))")
    }
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let e = errno
      if e == EINTR { continue }
      Glibc.close(fd)
      if e == EWOULDBLOCK { throw .inUse }
      throw .unusable("cannot lock \(lockPath): \(Errno.describe(e))")
    }
    let store = StateStore(path: path, lockFD: fd)
    if access(store.directory, W_OK | X_OK) != 0 {
      let e = errno
      throw .unusable("cannot write in \(store.directory): \(Errno.describe(e))")
    }
    return store
  }

  /// The file's bytes, or nil when there is no file yet.
  func read() throws(Failure) -> [UInt8]? {
    let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      let e = errno
      if e == ENOENT { return nil }
      throw .io("cannot open: \(Errno.describe(e))")
    }
    defer { Glibc.close(fd) }
    do {
      return try FileDescriptor(rawValue: fd).readAll()
    } catch {
      throw .io(error.message)
    }
  }

  /// Replaces the file with `bytes`, atomically and durably.
  func save(_ bytes: [UInt8]) throws(Failure) {
    let fd = Glibc.open(tempPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      let e = errno
      throw .io("cannot create \(tempPath): \(Errno.describe(e))")
    }
    // A save that fails removes its temporary file: on a full disk, the part written would
    // otherwise keep the space it took (up to the state's size) until a save succeeds, and
    // the snapshots written to the same disk would fail for want of it.
    do {
      try bytes.withUnsafeBytes { try FileDescriptor(rawValue: fd).writeAll($0) }
    } catch {
      Glibc.close(fd)
      unlink(tempPath)
      let message = (error as? IOError)?.message ?? "\(error)"
      throw .io("cannot write \(tempPath): \(message)")
    }
    if fsync(fd) != 0 {
      let e = errno
      Glibc.close(fd)
      unlink(tempPath)
      throw .io("cannot fsync \(tempPath): \(Errno.describe(e))")
    }
    Glibc.close(fd)
    if rename(tempPath, path) != 0 {
      let e = errno
      unlink(tempPath)
      throw .io("cannot rename \(tempPath) to \(path): \(Errno.describe(e))")
    }
    let dir = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dir >= 0 {
      _ = fsync(dir)
      Glibc.close(dir)
    }
  }
}
