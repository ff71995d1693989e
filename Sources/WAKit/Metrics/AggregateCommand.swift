#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// wa-aggregate's run, with `--state` and `--merge` (SPEC §9). Every refusal of a state is
/// `wa-aggregate: FILE: reason` on stderr and exit status 3, before any input is read, and
/// leaves the file as it was.
enum AggregateCommand {
  static func run(_ options: AggregateOptions, stderr: OutputBuffer) -> ExitStatus {
    if options.merge { return merge(options, stderr: stderr) }
    let out = OutputBuffer(fd: FileDescriptor.standardOutput)
    var sink = AggregateSink(
      out: out, aggregator: Aggregator(options.aggregator), every: options.every,
      interval: options.interval, snapshots: options.snapshots)
    let fingerprint = StateFingerprint(options)
    if let path = options.statePath {
      if path == "-" {
        // The state records this run's options, as a saved one does: it recorded the
        // defaults, so `--merge` refused the shards of a run with `--tz` or `--window` under
        // the same options, and merged them without a word under none.
        sink.stateToOutput = fingerprint
      } else {
        let store: StateStore
        do {
          store = try StateStore.open(path)
          if !options.stateReset, let bytes = try store.read() {
            let (aggregator, loaded) = try load(bytes, options: options, fingerprint: fingerprint)
            noteUpgrade(path, loaded, stderr: stderr)
            sink.aggregator = aggregator
            sink.aggregator.windows.reannounce()
            sink.snapshotsWritten = loaded.seq
            sink.windowRecordsWritten = loaded.windowSeq
          }
        } catch {
          fail(path, StateSaver.describe(error), stderr: stderr)
        }
        // With two threads the saver reports from the folding thread: its own buffer on
        // fd 2, as the validating thread writes rejects diagnostics to `stderr`.
        sink.state = StateSaver(
          store: store, fingerprint: fingerprint,
          stderr: threads(options) > 1 ? OutputBuffer(fd: FileDescriptor.standardError) : stderr)
      }
    }
    if threads(options) > 1 {
      let pipeline = AggregatePipeline(sink: sink)
      var threaded = ThreadedAggregateSink(pipeline: pipeline)
      let result = FilterRunner<ThreadedAggregateSink>(
        tool: "wa-aggregate", options: options.filter, stderr: stderr
      ).run(sink: &threaded)
      noteTheCap(pipeline.folder.sink, options, stderr: stderr)
      return pipeline.folder.sink.state?.failure != nil ? .ioFailure : result.status
    }
    let result = FilterRunner<AggregateSink>(
      tool: "wa-aggregate", options: options.filter, stderr: stderr
    ).run(sink: &sink)
    noteTheCap(sink, options, stderr: stderr)
    return sink.state?.failure != nil ? .ioFailure : result.status
  }

  /// Says once, after the summary line, that `--max-state` bit: entries dropped to make
  /// room before the horizon would have are forgotten early (a duplicate of one counts
  /// again, a status of its message moves nothing), and `input.evicted` alone does not tell
  /// them from the horizon's ordinary evictions. Silent after a closed output pipe, as the
  /// summary line is.
  static func noteTheCap(_ sink: AggregateSink, _ options: AggregateOptions, stderr: OutputBuffer) {
    let dropped = sink.aggregator.evictedForRoom
    guard dropped > 0, sink.outputFailure != .closedPipe else { return }
    stderr.write(
      "wa-aggregate: --max-state \(options.aggregator.maxState) was reached: \(dropped) state "
        + "entries were dropped to make room before --state-horizon; a duplicate, status or "
        + "reply that meets one is counted as new or lost (a larger --max-state keeps them)\n")
    stderr.flush()
  }

  /// `--threads`, with `auto` resolved: two when at least two CPUs are online (the fold on a
  /// second core; docs/guide.md), else one.
  static func threads(_ options: AggregateOptions) -> Int {
    if let n = options.threads { return n }
    return sysconf(Int32(_SC_NPROCESSORS_ONLN)) >= 2 ? 2 : 1
  }

  /// One state (binary or text form) into a fresh aggregator with the run's configuration.
  static func load(
    _ bytes: [UInt8], options: AggregateOptions, fingerprint: StateFingerprint
  ) throws(StateStore.Failure) -> (Aggregator, StateFile.Loaded) {
    // A save never leaves an empty file (it renames a whole one into place).
    if bytes.isEmpty {
      throw .state(.truncated(expected: StateFile.headerBytes, actual: 0))
    }
    var states: [(Aggregator, StateFile.Loaded)] = []
    try decodeAll(bytes, options: options, fingerprint: fingerprint) { states.append(($0, $1)) }
    guard states.count == 1 else {
      throw .state(.corrupt("it holds \(states.count) states back to back"))
    }
    return states[0]
  }

  static func decodeAll(
    _ bytes: [UInt8], options: AggregateOptions, fingerprint: StateFingerprint,
    _ each: (Aggregator, StateFile.Loaded) -> Void
  ) throws(StateStore.Failure) {
    do {
      let binary =
        try bytes.withUnsafeBytes { raw in
          StateText.isText(raw) ? try StateText.decode(raw) : nil
        } ?? bytes
      if binary.isEmpty { return }
      try binary.withUnsafeBytes { raw in
        try StateFile.decodeAll(
          raw, fingerprint: fingerprint, make: { Aggregator(options.aggregator) }, each)
      }
    } catch let error as StateError {
      throw .state(error)
    } catch {
      throw .state(.corrupt("\(error)"))
    }
  }

  /// `--merge FILE…`: the snapshot (and with `--window` the window records) of the union of
  /// the shards' states, and with `--state OUT` the merged state. Empty inputs (a Spark
  /// partition without lines) add nothing; a named file holding no state gets a note, since
  /// a shard that was never written or was cut to nothing would otherwise vanish unseen.
  static func merge(_ options: AggregateOptions, stderr: OutputBuffer) -> ExitStatus {
    let fingerprint = StateFingerprint(options)
    // `--state OUT` is locked and checked before any shard is read, as a run's state is
    // (docs/state.md): a merge into a state in use or a missing directory fails at once, not
    // after reading every shard and writing the snapshot.
    var store: StateStore? = nil
    if let path = options.statePath, path != "-" {
      do {
        store = try StateStore.open(path)
      } catch {
        fail(path, StateSaver.describe(error), stderr: stderr)
      }
    }
    let whole = Aggregator(options.aggregator)
    var seq = 0
    var windowSeq = 0
    var waiting = MergedEntries()
    let inputs = options.filter.inputs.isEmpty ? ["-"] : options.filter.inputs
    for path in inputs {
      stopIfSignalled(stderr: stderr)
      do {
        let bytes: [UInt8]
        if path == "-" {
          bytes = try FileDescriptor.standardInput.readAll()
        } else {
          let fd = try FileDescriptor.openForReading(path)
          defer { fd.close() }
          bytes = try fd.readAll()
        }
        var states = 0
        try decodeAll(bytes, options: options, fingerprint: fingerprint) { shard, loaded in
          states += 1
          stopIfSignalled(stderr: stderr)
          whole.merge(shard, into: &waiting)
          noteUpgrade(path, loaded, stderr: stderr)
          seq = max(seq, loaded.seq)
          windowSeq = max(windowSeq, loaded.windowSeq)
        }
        if states == 0 && path != "-" {
          stderr.write(
            "wa-aggregate: \(TerminalEscape.escape(path)): no state in it: merged as empty\n")
          stderr.flush()
        }
      } catch let error as IOError {
        stopIfSignalled(stderr: stderr)  // a read of standard input interrupted (EINTR)
        fail(path, error.message, stderr: stderr)
      } catch let error as StateStore.Failure {
        fail(path, StateSaver.describe(error), stderr: stderr)
      } catch {
        fail(path, "\(error)", stderr: stderr)
      }
    }
    whole.unite(&waiting)
    stopIfSignalled(stderr: stderr)
    let out = OutputBuffer(fd: FileDescriptor.standardOutput)
    if options.statePath == "-" {
      StateText.write(
        mergedState(whole, seq: seq, windowSeq: windowSeq, fingerprint: fingerprint), to: out)
    } else {
      windowSeq = writeWindows(of: whole, after: windowSeq, to: out)
      // With the running clocks (waiting, pending SLAs) worked out from the united tables,
      // as a single run's snapshot has them.
      if options.snapshots {
        SnapshotWriter.write(
          whole.snapshotMetrics(), seq: seq + 1, final: true,
          generatedAt: options.aggregator.wallClock(),
          desk: SnapshotWriter.DeskSettings(whole.configuration), to: out)
      }
    }
    out.flush()
    if let store {
      do {
        try store.save(
          mergedState(whole, seq: seq, windowSeq: windowSeq, fingerprint: fingerprint))
      } catch {
        fail(store.path, StateSaver.describe(error), stderr: stderr)
      }
    }
    if let failure = out.failure, failure != .closedPipe {
      stderr.write("wa-aggregate: \(TerminalEscape.escape(failure.message))\n")
      stderr.flush()
      return .ioFailure
    }
    return .success
  }

  /// The merged state's bytes, holding no more windows than a run may (the oldest beyond
  /// that are left out, after their records are written): otherwise the merge of shards over
  /// different spans wrote a state that no wa-aggregate would load.
  static func mergedState(
    _ whole: Aggregator, seq: Int, windowSeq: Int, fingerprint: StateFingerprint
  ) -> [UInt8] {
    whole.windows.keepAtMostMaxOpen()
    return StateFile.encode(whole, seq: seq, windowSeq: windowSeq, fingerprint: fingerprint)
  }

  /// With `--window`, the records of the merged windows (SPEC §9: the merge writes the
  /// windows of the whole, not only its snapshot): every window the shards still hold,
  /// changed or not, as a run resumed from a state writes them at its end; windows the
  /// merged stream clock has left a horizon behind are written a last time and forgotten.
  /// Returns the last window record's `seq`.
  static func writeWindows(of whole: Aggregator, after seq: Int, to out: OutputBuffer) -> Int {
    guard let config = whole.configuration.window else { return seq }
    whole.windows.reannounce()
    let now = whole.configuration.wallClock()
    var seq = seq
    for r in whole.collectWindows(.final) {
      seq += 1
      SnapshotWriter.writeWindow(
        r, size: config.size, zoneName: config.zoneName, seq: seq, generatedAt: now,
        desk: SnapshotWriter.DeskSettings(whole.configuration), to: out)
    }
    return seq
  }

  /// A state of an older format that is still read says what it did not keep (docs/state.md
  /// #versioning): those numbers count from this run on.
  static func noteUpgrade(_ path: String, _ loaded: StateFile.Loaded, stderr: OutputBuffer) {
    guard loaded.version < StateFile.formatVersion else { return }
    let lacking =
      loaded.version < 5
      ? "input.foreign, input.batches, input.batchItems and cost.unpricedByTemplate"
      : "cost.unpricedByTemplate"
    stderr.write(
      "wa-aggregate: \(TerminalEscape.escape(path)): format version \(loaded.version), read as "
        + "version \(StateFile.formatVersion): it did not keep \(lacking), which count from "
        + "this run on\n")
    stderr.flush()
  }

  /// A merge is all or nothing: the union of some of the shards would be wrong numbers. So
  /// SIGINT or SIGTERM (which only set a flag, see `Signals`) stops it between shards with
  /// nothing written and `--state OUT` as it was; it went on to the end, deaf to both.
  static func stopIfSignalled(stderr: OutputBuffer) {
    guard Signals.stopRequested else { return }
    stderr.write("wa-aggregate: --merge stopped by a signal: nothing written\n")
    stderr.flush()
    Signals.exit(status: 3)
  }

  static func fail(_ path: String, _ reason: String, stderr: OutputBuffer) -> Never {
    // The reason may name the path again (its directory, its lock file): escaped too.
    stderr.write(
      "wa-aggregate: \(TerminalEscape.escape(path)): \(TerminalEscape.escape(reason))\n")
    stderr.flush()
    Signals.exit(status: 3)
  }
}
