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

  static func read<H: InputLineHandler>(
    _ inputs: [String], with reader: LineReader, into handler: inout H, tool: String,
    stderr: OutputBuffer
  ) -> Outcome {
    var outcome = Outcome()
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
