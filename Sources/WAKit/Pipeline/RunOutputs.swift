#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The files a run writes besides standard output: `--rejects` and `--summary-json`.
struct RunOutputs {
  let rejects: OutputBuffer?
  let summaryFD: FileDescriptor?
  var rejectsPath: String? = nil
  var summaryJSONPath: String? = nil

  /// Opens both files (rejects appended to, summary replaced) before any input is read, so
  /// a bad path is exit status 3 at once rather than after a long run.
  static func open(rejectsPath: String?, summaryJSONPath: String?) throws(IOError)
    -> RunOutputs
  {
    let rejects = try rejectsPath.map { p throws(IOError) in
      OutputBuffer(fd: try FileDescriptor.openForAppending(p))
    }
    let summaryFD = try summaryJSONPath.map { p throws(IOError) in
      try FileDescriptor.openForReplacing(p)
    }
    return RunOutputs(
      rejects: rejects, summaryFD: summaryFD, rejectsPath: rejectsPath,
      summaryJSONPath: summaryJSONPath)
  }

  /// Ends a run: flushes the rejects file, writes the summary file, reports an output
  /// failure, and writes the summary line on stderr — except after a closed output pipe,
  /// when stderr stays silent (`| head` is not an error). `mainFailure` is the first failure
  /// of the main output (stdout). Returns whether an output failed (exit status 3).
  ///
  /// Only standard output closes quietly. A `--rejects` pipe whose reader went away
  /// (`--rejects >(head)`) stopped the run as well, and had it end silent with status 1: the
  /// valid lines past that point never reached standard output, and nothing said so. It is
  /// a failed output like a full disk; a failure of either file names its flag and FILE.
  func finish(
    mainFailure: IOError?, summaryJSON: String, summaryText: String, tool: String,
    stderr: OutputBuffer
  ) -> Bool {
    rejects?.flush()
    var outputFailure = mainFailure.map { (flag: String?.none, failure: $0) }
    if let failure = rejects?.failure, outputFailure.map({ $0.failure == .closedPipe }) ?? true {
      // `--rejects /dev/stdout | head`: the rejects pipe is standard output's.
      let stdoutsPipe = rejects.map { Self.samePipe($0.fd, .standardOutput) } ?? false
      if failure == .closedPipe && (outputFailure != nil || stdoutsPipe) {
        outputFailure = (flag: nil, failure: .closedPipe)
      } else {
        outputFailure = (flag: "--rejects", failure: failure)
      }
    }
    if let summaryFD {
      let out = OutputBuffer(fd: summaryFD)
      out.write(summaryJSON + "\n")
      out.flush()
      if let failure = out.failure, outputFailure == nil {
        outputFailure = (flag: "--summary-json", failure: failure)
      }
      summaryFD.close()
    }
    let quiet = outputFailure.map { $0.flag == nil && $0.failure == .closedPipe } ?? false
    var failed = false
    if let (flag, failure) = outputFailure, !quiet {
      stderr.write("\(tool): \(Self.describe(failure, flag: flag, rejectsPath, summaryJSONPath))\n")
      failed = true
    }
    if !quiet {
      stderr.write(summaryText + "\n")
    }
    stderr.flush()
    return failed
  }

  /// Whether two descriptors are open on one pipe.
  private static func samePipe(_ a: FileDescriptor, _ b: FileDescriptor) -> Bool {
    var sa = stat()
    var sb = stat()
    guard fstat(a.rawValue, &sa) == 0, fstat(b.rawValue, &sb) == 0 else { return false }
    return sa.st_mode & S_IFMT == S_IFIFO && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
  }

  /// `write failed: …` for standard output; `--rejects FILE: write failed: …` for a file.
  private static func describe(
    _ failure: IOError, flag: String?, _ rejectsPath: String?, _ summaryJSONPath: String?
  ) -> String {
    let message =
      failure == .closedPipe ? IOError.writeFailed(errno: EPIPE).message : failure.message
    guard let flag else { return message }
    let path = (flag == "--rejects" ? rejectsPath : summaryJSONPath) ?? ""
    return "\(flag) \(TerminalEscape.escape(path)): \(message)"
  }
}
