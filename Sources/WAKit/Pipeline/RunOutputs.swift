/// The files a run writes besides standard output: `--rejects` and `--summary-json`.
struct RunOutputs {
  let rejects: OutputBuffer?
  let summaryFD: FileDescriptor?

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
    return RunOutputs(rejects: rejects, summaryFD: summaryFD)
  }

  /// Ends a run: flushes the rejects file, writes the summary file, reports an output
  /// failure, and writes the summary line on stderr — except after a closed output pipe,
  /// when stderr stays silent (`| head` is not an error). `mainFailure` is the first failure
  /// of the main output (stdout). Returns whether an output failed (exit status 3).
  func finish(
    mainFailure: IOError?, summaryJSON: String, summaryText: String, tool: String,
    stderr: OutputBuffer
  ) -> Bool {
    rejects?.flush()
    var outputFailure = mainFailure ?? rejects?.failure
    if outputFailure == .closedPipe, rejects?.failure != nil { outputFailure = rejects?.failure }
    if let summaryFD {
      let out = OutputBuffer(fd: summaryFD)
      out.write(summaryJSON + "\n")
      out.flush()
      if let failure = out.failure, outputFailure == nil { outputFailure = failure }
      summaryFD.close()
    }
    var failed = false
    if let failure = outputFailure, failure != .closedPipe {
      stderr.write("\(tool): \(failure.message)\n")
      failed = true
    }
    if outputFailure != .closedPipe {
      stderr.write(summaryText + "\n")
    }
    stderr.flush()
    return failed
  }
}
