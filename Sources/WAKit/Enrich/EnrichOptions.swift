#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// wa-enrich's options: the filters' shared ones and `--pseudonymize KEYFILE` (SPEC §4).
struct EnrichOptions {
  var filter: FilterOptions
  /// The pseudonym key (the key file's bytes as they are), when `--pseudonymize` is given.
  var pseudonymKey: [UInt8]? = nil

  static let flags: [Flag] =
    FilterOptions.flags + [
      Flag(
        "pseudonymize", value: "KEYFILE",
        help: "replace userId and context.bsuid by keyed pseudonyms (KEYFILE: ≥32 bytes, mode 600)"
      )
    ]

  init(_ args: ParsedArguments) throws(UsageError) {
    filter = try FilterOptions(args)
    if let path = args.value("pseudonymize") { pseudonymKey = try Self.readKey(path) }
  }

  /// The most a key file may hold: a key is 32 to a few hundred bytes, and reading a huge
  /// file named by mistake (a log, a device) must not take memory or time.
  static let maximumKeyFileBytes = 1 << 16

  /// Reads a key file, checking it first: it must exist, be a regular file of at least 32
  /// bytes, and be accessible to its owner only (any permission for group or others is
  /// refused, as ssh does for private keys: a key others can read protects nothing).
  static func readKey(_ path: String) throws(UsageError) -> [UInt8] {
    let what = "--pseudonymize: key file '\(path)'"
    guard !path.isEmpty else { throw UsageError("--pseudonymize: an empty file name was given") }
    // Examined before it is opened: opening a FIFO named by mistake would block.
    var st = stat()
    guard stat(path, &st) == 0 else {
      throw UsageError("\(what) cannot be opened: \(Errno.describe(errno))")
    }
    let type = st.st_mode & S_IFMT
    if type == S_IFDIR { throw UsageError("\(what) is a directory") }
    guard type == S_IFREG else { throw UsageError("\(what) is not a regular file") }
    if st.st_mode & 0o077 != 0 {
      let mode = String(st.st_mode & 0o777, radix: 8)
      throw UsageError(
        "\(what) is accessible to group or others (mode \(mode)); make it private:"
          + " chmod 600 '\(path)'")
    }
    let key: [UInt8]
    do throws(IOError) {
      key = try FileDescriptor.readFile(path, limit: maximumKeyFileBytes)
    } catch {
      switch error {
      case .tooLarge:
        throw UsageError("\(what) is larger than \(maximumKeyFileBytes) bytes: not a key file")
      case .openFailed: throw UsageError("\(what): \(error.message)")
      case .readFailed(errno: EINTR): throw UsageError("\(what): reading was interrupted")
      default: throw UsageError("\(what) cannot be read: \(error.message)")
      }
    }
    if key.count < Pseudonymizer.minimumKeyLength {
      throw UsageError(
        "\(what) holds \(key.count) bytes; a key needs at least"
          + " \(Pseudonymizer.minimumKeyLength) (for example: head -c 32 /dev/urandom > key)")
    }
    return key
  }
}
