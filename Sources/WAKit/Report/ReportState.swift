/// What wa-report knows of a stream so far: the latest snapshot, the windows (highest
/// revision of each) and the latest conversation records.
///
/// The text dashboard and the Prometheus exposition render one snapshot; the HTML page and
/// the CSV tables render this whole state, as a trend and a conversation list need more than
/// the latest line. Memory is bounded: windows by `ReportWindows.limit`, conversation records
/// by `conversationLimit` (the oldest are dropped first, and counted).
struct ReportState {
  static let defaultConversationLimit = 10_000

  var snapshot: Snapshot? = nil
  var windows = ReportWindows()
  let conversationLimit: Int
  /// A ring of the latest records; `next` is the oldest once the ring is full.
  private var ring: [ConversationRecord] = []
  private var next = 0
  private(set) var droppedConversations = 0

  /// The conversation records kept, oldest first.
  var conversations: [ConversationRecord] {
    Array(ring[next...] + ring[..<next])
  }

  init(conversationLimit: Int = ReportState.defaultConversationLimit) {
    self.conversationLimit = max(1, conversationLimit)
  }

  mutating func add(_ record: ReportRecord) {
    switch record {
    case .snapshot(let s): snapshot = s
    case .window(let w): windows.add(w)
    case .conversation(let c):
      if ring.count < conversationLimit {
        ring.append(c)
      } else {
        ring[next] = c
        next = (next + 1) % conversationLimit
        droppedConversations += 1
      }
    }
  }

  /// The record whose sections the page shows: the latest snapshot (cumulative), or, for a
  /// stream of window records only (`--no-snapshots`), the latest window; else an empty one.
  var current: Snapshot {
    snapshot ?? windows.windows.last ?? Snapshot()
  }
}
