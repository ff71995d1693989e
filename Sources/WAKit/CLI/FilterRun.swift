// The parts of a filter run that do not depend on what a line becomes: opening the rejects
// and summary files, reading every input in order, and finishing (summary file, output
// errors, the summary line). `FilterRunner` (validate, enrich, aggregate: track events in)
// and `ConvertRunner` (wa-convert: webhook bodies in) are both built from them, so the Unix
// behaviour of SPEC §1, §3 and §8 is written once.

/// A line handler that is told which input it is reading (for rejects records and
/// diagnostics, which name the file).
public protocol InputLineHandler: LineHandler {
  var source: String { get set }
}

/// The files a run writes besides standard output: `--rejects` and `--summary-json`.
public struct RunOutputs {
  public let rejects: OutputBuffer?
  let summaryFD: Int32?

  /// Opens both files (rejects appended to, summary replaced) before any input is read, so
  /// a bad path is exit status 3 at once rather than after a long run.
  public static func open(rejectsPath: String?, summaryJSONPath: String?) throws(IOError)
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
  public func finish(
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
      FileDescriptor.close(summaryFD)
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

/// Reads the inputs of a run in order (SPEC §1): files as named, `-` (or no file at all) for
/// standard input. A file that cannot be opened or read is reported and counted, and the
/// next one is still read.
public enum InputLoop {
  public struct Outcome: Equatable, Sendable {
    /// Inputs that could not be opened or read.
    public var unreadable = 0
    /// SIGINT or SIGTERM stopped the reading.
    public var interrupted = false
  }

  public static func read<H: InputLineHandler>(
    _ inputs: [String], with reader: LineReader, into handler: inout H, tool: String,
    stderr: OutputBuffer
  ) -> Outcome {
    var outcome = Outcome()
    inputs: for input in inputs.isEmpty ? ["-"] : inputs {
      let isStdin = input == "-"
      handler.source = isStdin ? "<stdin>" : input
      let fd: Int32
      do {
        fd = isStdin ? FileDescriptor.standardInput : try FileDescriptor.openForReading(input)
      } catch {
        stderr.write("\(tool): \(TerminalEscape.escape(error.message))\n")
        outcome.unreadable += 1
        continue
      }
      defer { if !isStdin { FileDescriptor.close(fd) } }
      do {
        switch try reader.read(fd, into: &handler) {
        case .endOfInput: continue inputs
        case .stoppedByHandler: break inputs
        case .interrupted:
          outcome.interrupted = true
          break inputs
        }
      } catch {
        stderr.write("\(tool): \(TerminalEscape.escape(handler.source)): \(error.message)\n")
        outcome.unreadable += 1
      }
    }
    return outcome
  }
}
