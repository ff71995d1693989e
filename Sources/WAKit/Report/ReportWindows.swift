/// The window records of a stream as a consumer keeps them (SPEC §5): the highest revision
/// of each window, in order of start, and the comparison of the latest complete window with
/// the one before it.
///
/// Shared by every renderer that shows a trend or a "vs previous window" change, so they all
/// pick the same two windows. Memory is bounded: beyond `limit` windows the oldest are
/// dropped (a 15-minute window over a year is 35,040 records; a dashboard's trend needs far
/// fewer), and only the latest window is kept whole (a `--no-snapshots` stream renders its
/// sections): the others keep their numbers but not their labelled lists (agents, templates,
/// countries, …), which the trend, the comparison and the CSV table never read. A window of
/// 1,000 agents is about 1.5 MB in memory; a thousand of them whole were 1.5 GB.
struct ReportWindows {
  static let defaultLimit = 1000

  let limit: Int
  /// By window start (and size, should a stream mix them), oldest first.
  private(set) var windows: [Snapshot] = []
  /// How many older windows were dropped to stay within `limit`.
  private(set) var dropped = 0

  init(limit: Int = ReportWindows.defaultLimit) { self.limit = max(1, limit) }

  var isEmpty: Bool { windows.isEmpty }

  /// Keeps `record` unless a higher revision of its window is already kept.
  mutating func add(_ record: Snapshot) {
    guard let w = record.window else { return }
    let key = Self.key(w)
    // Records come nearly in order: search from the end.
    var i = windows.count
    while i > 0, let before = windows[i - 1].window, Self.key(before) > key { i -= 1 }
    if i > 0, let kept = windows[i - 1].window, Self.key(kept) == key {
      if w.revision >= kept.revision {
        windows[i - 1] = i == windows.count ? record : record.numbersOnly
      }
      return
    }
    if i == windows.count, let last = windows.indices.last {
      windows[last] = windows[last].numbersOnly
    }
    windows.insert(i == windows.count ? record : record.numbersOnly, at: i)
    if windows.count > limit {
      dropped += windows.count - limit
      windows.removeFirst(windows.count - limit)
    }
  }

  /// Start times are RFC 3339 in UTC as wa-aggregate writes them (`…Z`, fixed width), so
  /// they order as text.
  private static func key(_ w: Snapshot.Window) -> String { w.start + " " + w.size }

  /// The windows of the latest window's size and zone, oldest first: what a trend and a
  /// comparison read. A stream that mixes them (the outputs of `--window 1h` and `--window
  /// 1d` concatenated) would otherwise chart an hour beside a day and compare a day with an
  /// hour; the CSV windows table still lists every window, each with its size and zone.
  var series: [Snapshot] {
    guard let last = windows.last?.window else { return [] }
    let same = { (s: Snapshot) in s.window?.size == last.size && s.window?.tz == last.tz }
    return windows.allSatisfy(same) ? windows : windows.filter(same)
  }

  /// The latest complete window of `series` and the window just before it (complete or not:
  /// a window before a complete one has itself been passed by the stream clock).
  var comparison: WindowComparison? {
    let series = series
    guard let i = series.lastIndex(where: { $0.window?.complete == true }) else { return nil }
    return WindowComparison(current: series[i], previous: i > 0 ? series[i - 1] : nil)
  }
}

/// The latest complete window against the one before: the headline numbers' changes.
struct WindowComparison {
  let current: Snapshot
  let previous: Snapshot?

  /// How a headline number is compared: counts and durations by relative change, rates by
  /// the difference in percentage points (a rate's relative change misleads).
  enum Kind { case count, rate, duration }

  struct Metric {
    let name: String
    let kind: Kind
    let current: Double?
    let previous: Double?

    /// `current - previous`, when both are known.
    var absolute: Double? {
      guard let current, let previous else { return nil }
      return current - previous
    }

    /// `(current - previous) / previous`, when both are known and previous is not 0.
    var relative: Double? {
      guard let absolute, let previous, previous != 0 else { return nil }
      return absolute / previous
    }

    /// `+12.3%` for counts and durations, `+1.2 pts` for rates; nil without a previous value.
    var changeText: String? {
      switch kind {
      case .rate:
        return absolute.map { ReportNumbers.signed($0 * 100, decimals: 1) + " pts" }
      case .count, .duration:
        guard absolute != nil else { return nil }
        if let relative { return ReportNumbers.signed(relative * 100, decimals: 1) + "%" }
        return absolute == 0 ? "±0%" : "new"
      }
    }
  }

  /// The headline numbers, in the order of the dashboard's cards.
  var metrics: [Metric] {
    let p = previous
    return [
      Metric(
        name: "Received", kind: .count, current: current.messages.received,
        previous: p?.messages.received),
      Metric(
        name: "Sent", kind: .count, current: current.messages.sent, previous: p?.messages.sent),
      Metric(name: "Read rate", kind: .rate, current: current.rates.read, previous: p?.rates.read),
      Metric(
        name: "Reply rate", kind: .rate, current: current.rates.reply, previous: p?.rates.reply),
      Metric(
        name: "First response", kind: .duration, current: Self.firstResponse(current),
        previous: p.flatMap(Self.firstResponse)),
      Metric(
        name: "Chats resolved", kind: .count, current: current.conversations.resolved,
        previous: p?.conversations.resolved),
    ]
  }

  /// The median time to first response: per conversation in a version 2 record (nil when no
  /// conversation had one), version 1's per waiting episode otherwise, as the headline card.
  /// A window of version 2 without a first response fell back to the waiting episodes, so the
  /// trend and the comparison set one kind of median against the other.
  static func firstResponse(_ s: Snapshot) -> Double? {
    if let first = s.firstResponseTime { return first.p50 }
    return s.responseTime.p50
  }
}

extension Snapshot {
  /// The record without its labelled lists and hour series: what `ReportWindows` keeps of a
  /// window that is not the latest. Every number of one value stays (counts, rates,
  /// latencies' quantiles); optional sections stay present, emptied, so a renderer still
  /// sees which sections the producer wrote.
  var numbersOnly: Snapshot {
    var s = self
    s.messages.failedByCode = []
    s.messages.receivedByContentType = []
    s.messages.sentByContentType = []
    s.responseTime = s.responseTime.numbersOnly
    s.agentResponseTime = s.agentResponseTime.numbersOnly
    s.firstResponseTime = s.firstResponseTime?.numbersOnly
    s.agentFirstResponseTime = s.agentFirstResponseTime?.numbersOnly
    s.assignmentResponseTime = s.assignmentResponseTime?.numbersOnly
    s.volumeByHour = Self.blank.volumeByHour
    s.heatmap = Self.blank.heatmap
    s.countries = []
    s.agents = []
    s.conversations.byResolution = []
    s.contacts.bySource = []
    s.templates = s.templates.map { _ in [] }
    s.campaigns = s.campaigns.map { _ in [] }
    s.pricing?.byCategory = []
    s.cost?.byCategory = []
    s.cost?.byCountry = []
    s.cost?.byTemplate = []
    if s.cost?.unpricedByTemplate != nil { s.cost?.unpricedByTemplate = [] }
    return s
  }

  /// One empty snapshot whose hour series every slimmed window shares (arrays are copied
  /// on write).
  private static let blank = Snapshot()
}

extension Snapshot.Latency {
  /// The distribution without its buckets (its business-hours twin likewise).
  var numbersOnly: Snapshot.Latency {
    var l = self
    l.buckets = []
    l.business = l.business?.numbersOnly
    return l
  }
}
