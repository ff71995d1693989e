import Synchronization

/// Saves a run's state at snapshot ticks (at most once per second) and at the end.
///
/// A snapshot's save skipped because the last one is less than a second old is owed: it is
/// made once that second has passed, snapshot or not (`owedAt`; the reader's idle wait ends
/// then). Otherwise `--every N` on an input gone quiet left FILE behind the snapshots already
/// written for as long as the quiet lasted, hours behind `tail -F`.
final class StateSaver {
  let store: StateStore
  let fingerprint: StateFingerprint
  let stderr: OutputBuffer
  let monotonic: () -> Int64
  /// The first failed save, reported on stderr; the run then exits 3.
  private(set) var failure: String? = nil
  /// When an owed save falls due (monotonic nanoseconds), 0 when none is owed. Atomic: with
  /// two threads the folding thread saves and the reading thread keeps the idle timer.
  let owedAt = Atomic<Int64>(0)

  init(
    store: StateStore, fingerprint: StateFingerprint, stderr: OutputBuffer,
    monotonic: @escaping () -> Int64 = EventTime.monotonic
  ) {
    self.store = store
    self.fingerprint = fingerprint
    self.stderr = stderr
    self.monotonic = monotonic
  }

  func save(_ aggregator: Aggregator, seq: Int, windowSeq: Int, force: Bool) {
    let now = monotonic()
    guard force || now &- store.lastSave >= EventTime.nanosPerSecond else {
      owedAt.store(store.lastSave &+ EventTime.nanosPerSecond, ordering: .relaxed)
      return
    }
    owedAt.store(0, ordering: .relaxed)
    let bytes = StateFile.encode(
      aggregator, seq: seq, windowSeq: windowSeq, fingerprint: fingerprint)
    do {
      try store.save(bytes)
      store.lastSave = monotonic()
    } catch {
      // Try again at the next tick rather than at once.
      store.lastSave = now
      let message =
        "wa-aggregate: \(TerminalEscape.escape(store.path)): state not saved: "
        + "\(TerminalEscape.escape(Self.describe(error)))\n"
      if failure == nil { failure = message }
      stderr.write(message)
      stderr.flush()
    }
  }

  /// When an owed save falls due, or nil.
  var owed: Int64? {
    let at = owedAt.load(ordering: .relaxed)
    return at == 0 ? nil : at
  }

  static func describe(_ f: StateStore.Failure) -> String {
    switch f {
    case .unusable(let m): return m
    case .inUse: return "in use by another wa-aggregate (its lock file is held)"
    case .state(let e): return e.message
    case .io(let m): return m
    }
  }
}
