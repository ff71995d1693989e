/// A line handler that is told which input it is reading (for rejects records and
/// diagnostics, which name the file).
protocol InputLineHandler: LineHandler {
  var source: String { get set }
}

/// Reads the inputs of a run in order (SPEC §1): files as named, `-` (or no file at all) for
/// standard input. A file that cannot be opened or read is reported and counted, and the
/// next one is still read.
enum InputLoop {
  struct Outcome: Equatable, Sendable {
    /// Inputs that could not be opened or read.
    var unreadable = 0
    /// SIGINT or SIGTERM stopped the reading.
    var interrupted = false
  }

  /// `outputs`: the files the run writes lines to as it reads (standard output, `--rejects`).
  /// An input that is one of them is not read but reported, like `cat f >> f`: each line
  /// read would be written after the lines still to read, and read again, without end.
  static func read<H: InputLineHandler>(
    _ inputs: [String], with reader: LineReader, into handler: inout H, tool: String,
    stderr: OutputBuffer, outputs: [FileDescriptor] = []
  ) -> Outcome {
    var outcome = Outcome()
    let written = outputs.compactMap(\.regularFileIdentity)
    inputs: for input in inputs.isEmpty ? ["-"] : inputs {
      let isStdin = input == "-"
      handler.source = isStdin ? "<stdin>" : input
      // Before `open`, which may wait (a FIFO) and sees only a signal that comes during it.
      if Signals.stopRequested {
        outcome.interrupted = true
        break inputs
      }
      let fd: FileDescriptor
      do {
        fd = isStdin ? FileDescriptor.standardInput : try FileDescriptor.openForReading(input)
      } catch {
        // A signal that ended the wait to open a FIFO is a stop, not an unreadable input.
        if Signals.stopRequested {
          outcome.interrupted = true
          break inputs
        }
        stderr.write("\(tool): \(TerminalEscape.escape(error.message))\n")
        outcome.unreadable += 1
        continue
      }
      defer { if !isStdin { fd.close() } }
      if !written.isEmpty, let identity = fd.regularFileIdentity, written.contains(identity) {
        let name = TerminalEscape.escape(handler.source)
        stderr.write("\(tool): \(name): input file is an output file; not read\n")
        outcome.unreadable += 1
        continue
      }
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
