#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A buffered writer over a file descriptor: bytes are appended to one reusable buffer and
/// written with large `write(2)` calls.
///
/// Swift's `print` writes through stdio in small pieces and hides write errors; this owns
/// the buffer and reports every failure: `IOError.closedPipe` when the reader went away,
/// `.writeFailed` otherwise (`> /dev/full` gives `ENOSPC`). After the first failure the
/// buffer drops further output and remembers the error, so a caller can check once.
/// One thread writes, with no overlapping access: the per-write run-time exclusivity checks
/// on its properties are turned off.
final class OutputBuffer {
  let fd: FileDescriptor
  private let capacity: Int
  @exclusivity(unchecked) private var storage: UnsafeMutableRawPointer
  @exclusivity(unchecked) private var count = 0
  /// The first write failure, if any.
  @exclusivity(unchecked) private(set) var failure: IOError?

  init(fd: FileDescriptor, capacity: Int = 1 << 17) {
    self.fd = fd
    self.capacity = max(capacity, 64)
    self.storage = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
  }

  deinit { storage.deallocate() }

  /// Bytes waiting to be written.
  var pendingCount: Int { count }

  /// The bytes waiting to be written (valid until the next write), for the fuzz target and
  /// tests that check what a writer produced.
  var pendingBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }

  /// Drops the bytes waiting to be written.
  func discardPending() { count = 0 }

  /// Appends raw bytes, writing out the buffer when it fills.
  @inline(__always)
  func write(_ bytes: UnsafeRawBufferPointer) {
    let n = bytes.count
    if n <= capacity - count {
      if let base = bytes.baseAddress { (storage + count).copyMemory(from: base, byteCount: n) }
      count += n
    } else {
      writeSlow(bytes)
    }
  }

  /// Appends one byte.
  @inline(__always)
  func write(byte: UInt8) {
    if count == capacity { flush() }
    storage.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
    count += 1
  }

  /// Appends the UTF-8 bytes of a string.
  func write(_ text: String) {
    var text = text
    text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
  }

  /// Appends the decimal form of an integer.
  func write(integer value: Int) {
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: enough for Int.min
    withUnsafeMutableBytes(of: &digits) { raw in
      var v = value.magnitude
      var i = raw.count
      repeat {
        i -= 1
        raw[i] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
        v /= 10
      } while v > 0
      if value < 0 {
        i -= 1
        raw[i] = 0x2D
      }
      write(UnsafeRawBufferPointer(rebasing: raw[i...]))
    }
  }

  private func writeSlow(_ bytes: UnsafeRawBufferPointer) {
    flush()
    if bytes.count >= capacity {
      emit(bytes)
    } else if let base = bytes.baseAddress {
      storage.copyMemory(from: base, byteCount: bytes.count)
      count = bytes.count
    }
  }

  /// Writes out everything buffered. Failures are recorded in `failure`.
  func flush() {
    guard count > 0 else { return }
    let n = count
    count = 0
    emit(UnsafeRawBufferPointer(start: storage, count: n))
  }

  private func emit(_ bytes: UnsafeRawBufferPointer) {
    guard failure == nil else { return }
    do {
      try fd.writeAll(bytes)
    } catch {
      failure = error
    }
  }
}
