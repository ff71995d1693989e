#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Replaces a file's content in one step (`--output FILE`).
///
/// The text goes to a temporary file in the same folder, which is then renamed over FILE:
/// `rename(2)` within one file system is atomic, so a reader (node_exporter's textfile
/// collector scraping every 15 s) sees the old rendering or the new one, never half of one.
/// The temporary name starts with a dot and does not end in `.prom`, so the collector never
/// reads it. There is no `fsync`: the file is rewritten at every snapshot, and waiting for
/// the disk each time would make the pipeline as slow as the disk for no lasting gain.
enum AtomicFile {
  struct Failure: Error, Equatable, Sendable {
    let message: String
  }

  /// The temporary file used for `path`: `dir/.name.tmp-PID`, with `name` cut so that the
  /// whole stays within a file name's 255 bytes: FILE itself may be that long, and a
  /// temporary name past the limit made every write fail (ENAMETOOLONG).
  static func temporaryPath(for path: String, pid: Int32 = getpid()) -> String {
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    let suffix = ".tmp-\(pid)"
    let room = 255 - 1 - suffix.utf8.count
    var kept = ""
    var bytes = 0
    for scalar in name.unicodeScalars {
      bytes += UTF8.width(scalar)
      if bytes > room { break }
      kept.unicodeScalars.append(scalar)
    }
    return folder + "." + kept + suffix
  }

  /// Writes `text` to `path` by atomic replace. On failure the temporary file is removed
  /// and FILE keeps its previous content. Every message names FILE, the file the user asked
  /// for (`cannot write FILE: reason`); the temporary name, removed by then, appears only
  /// when it could not be created, since that is where the cause lies (a folder that
  /// refuses new files, a stale link of that name).
  static func replace(_ path: String, with text: String) throws(Failure) {
    let temporary = temporaryPath(for: path)
    let fd: FileDescriptor
    do throws(IOError) {
      fd = try FileDescriptor.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW)
    } catch {
      guard case .openFailed(_, let e) = error else { throw Failure(message: error.message) }
      throw failure("cannot write \(path): cannot create \(temporary)", e)
    }
    var text = text
    let written = text.withUTF8 { bytes -> IOError? in
      do throws(IOError) {
        try fd.writeAll(UnsafeRawBufferPointer(bytes))
        return nil
      } catch {
        return error
      }
    }
    let closed = SystemCall.close(fd.rawValue) == 0 ? 0 : errno
    if let written {
      unlink(temporary)
      if case .writeFailed(let e) = written { throw failure("cannot write \(path)", e) }
      throw Failure(message: "cannot write \(path): \(written.message)")
    }
    if closed != 0 && closed != EINTR {
      unlink(temporary)
      throw failure("cannot write \(path)", closed)
    }
    guard rename(temporary, path) == 0 else {
      let e = errno
      unlink(temporary)
      throw failure("cannot replace \(path)", e)
    }
  }

  private static func failure(_ what: String, _ e: Int32) -> Failure {
    Failure(message: "\(what): \(Errno.describe(e))")
  }
}
