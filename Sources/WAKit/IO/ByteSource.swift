/// Where a `LineReader` gets its bytes: a file descriptor in the tools, a scripted source in
/// tests (which choose exactly where each read ends, and inject failures).
protocol ByteSource {
  /// Reads up to `count` bytes into `buffer`: the number read, 0 at end of input, nil when
  /// a stop signal interrupted the read.
  mutating func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(IOError) -> Int?
  /// Waits until input is ready, the timeout (ms, -1 for ever) passes, or a signal arrives.
  mutating func waitReadable(timeoutMilliseconds: Int32) -> FileDescriptor.Readiness
}

/// A file descriptor as a byte source.
struct DescriptorSource: ByteSource {
  let fd: FileDescriptor

  init(fd: FileDescriptor) { self.fd = fd }

  @inline(__always)
  mutating func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(IOError)
    -> Int?
  {
    try fd.read(into: buffer, count: count)
  }

  @inline(__always)
  mutating func waitReadable(timeoutMilliseconds: Int32) -> FileDescriptor.Readiness {
    fd.waitReadable(timeoutMilliseconds: timeoutMilliseconds)
  }
}
