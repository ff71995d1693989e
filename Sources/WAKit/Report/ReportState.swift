/// What wa-report knows of a stream so far: the latest snapshot, the windows (highest
/// revision of each) and the latest conversation records.
///
/// The text dashboard and the Prometheus exposition render one snapshot; the HTML page and
/// the CSV tables render this whole state, as a trend and a conversation list need more than
/// the latest line. Memory is bounded: windows by `ReportWindows.limit`, conversation records
/// by `conversationLimit` and by `conversationTextLimit` bytes of their text (the oldest are
/// dropped first, and counted): a record's chat id is as long as the event's, up to a line,
/// so a count alone bounded nothing (10,000 records of 1 MB chat ids were 10 GB).
struct ReportState {
  static let defaultConversationLimit = 10_000
  /// 16 MiB: 10,000 records of ordinary ids (a chat id of 20 bytes, an agent id and a
  /// resolution of up to 256, wa-aggregate's cap) take 1 to 6 MB of text.
  static let defaultConversationTextLimit = 16 << 20

  var snapshot: Snapshot? = nil
  var windows = ReportWindows()
  let conversationLimit: Int
  let conversationTextLimit: Int
  /// The records kept are `kept[head...]`, oldest first; those before `head` were dropped
  /// (emptied), and are cut off once they are half of the array.
  private var kept: [ConversationRecord] = []
  private var head = 0
  /// The UTF-8 bytes of the text of the records kept.
  private var keptText = 0
  private(set) var droppedConversations = 0

  /// The conversation records kept, oldest first.
  var conversations: [ConversationRecord] { Array(kept[head...]) }

  init(
    conversationLimit: Int = ReportState.defaultConversationLimit,
    conversationTextLimit: Int = ReportState.defaultConversationTextLimit
  ) {
    self.conversationLimit = max(1, conversationLimit)
    self.conversationTextLimit = conversationTextLimit
  }

  mutating func add(_ record: ReportRecord) {
    switch record {
    case .snapshot(let s): snapshot = s
    case .window(let w): windows.add(w)
    case .conversation(let c): keep(c)
    }
  }

  /// Keeps `c`, then drops the oldest records while there are too many or their text is too
  /// long (the latest record is always kept).
  private mutating func keep(_ c: ConversationRecord) {
    kept.append(c)
    keptText += c.textBytes
    while kept.count - head > conversationLimit
      || (keptText > conversationTextLimit && kept.count - head > 1)
    {
      keptText -= kept[head].textBytes
      kept[head] = ConversationRecord()
      head += 1
      droppedConversations += 1
    }
    if head >= 1024 && head * 2 >= kept.count {
      kept.removeFirst(head)
      head = 0
    }
  }

  /// The record whose sections the page shows: the latest snapshot (cumulative), or, for a
  /// stream of window records only (`--no-snapshots`), the latest window; else an empty one.
  var current: Snapshot {
    snapshot ?? windows.windows.last ?? Snapshot()
  }
}

extension ConversationRecord {
  /// The UTF-8 bytes of its text members.
  var textBytes: Int {
    [
      chatId, resolvedAt, agentId, resolution, firstInboundAt, handling, slaFirstResponse,
      slaResolution,
    ]
    .reduce(0) { $0 + ($1?.utf8.count ?? 0) }
  }
}
