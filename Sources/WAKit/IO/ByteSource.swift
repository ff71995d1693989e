/// Where a `LineReader` gets its bytes: a file descriptor in the tools, a scripted source in
/// tests (which choose exactly where each read ends, and inject failures).
public protocol ByteSource {
  /// Reads up to `count` bytes into `buffer`: the number read, 0 at end of input, nil when
  /// a stop signal interrupted the read.
  mutating func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(IOError) -> Int?
  /// Waits until input is ready, the timeout (ms, -1 for ever) passes, or a signal arrives.
  mutating func waitReadable(timeoutMilliseconds: Int32) -> FileDescriptor.Readiness
}

/// A file descriptor as a byte source.
public struct DescriptorSource: ByteSource {
  public let fd: Int32

  public init(fd: Int32) { self.fd = fd }

  @inline(__always)
  public mutating func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(IOError)
    -> Int?
  {
    try FileDescriptor.read(fd, into: buffer, count: count)
  }

  @inline(__always)
  public mutating func waitReadable(timeoutMilliseconds: Int32) -> FileDescriptor.Readiness {
    FileDescriptor.waitReadable(fd, timeoutMilliseconds: timeoutMilliseconds)
  }
}
