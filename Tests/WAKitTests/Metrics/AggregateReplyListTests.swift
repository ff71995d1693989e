import Testing

@testable import WAKit

/// A user's list of sent messages waiting for a reply is bounded (`Aggregator.maxPending`),
/// so that an inbound message never walks more than that.
@Suite("wa-aggregate: reply lists")
struct AggregateReplyListTests {
  static let user = "+254712345678"

  /// Seconds after 2026-11-02T08:00:00Z, as RFC 3339.
  static func time(_ seconds: Int) -> String {
    let h = 8 + seconds / 3_600
    let m = seconds / 60 % 60
    let s = seconds % 60
    return "2026-11-0\(2 + h / 24)T\(pad(h % 24)):\(pad(m)):\(pad(s))Z"
  }

  static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

  /// The only user's list: its length as walked, and its count.
  static func list(_ a: Aggregator) -> (length: Int, count: Int) {
    var result = (length: 0, count: 0)
    a.users.forEach { u in
      var key = u.pointee.pendingHead
      var length = 0
      while key != 0, length <= 10 * Aggregator.maxPending, let slot = a.messages.slot(of: key) {
        length += 1
        key = a.messages.value(at: slot).pointee.nextPending
      }
      result = (result.length + length, result.count + Int(u.pointee.pendingCount))
    }
    return result
  }

  @Test func theCountFitsInTheUserEntrysPadding() {
    #expect(MemoryLayout<UserState>.stride == 64)
  }

  @Test func aUserWithMoreMessagesWaitingThanTheBoundKeepsTheNewest() {
    let sends = 2 * Aggregator.maxPending + 300
    var a = Aggregator()
    AggregateMergeTests.fold(
      (0..<sends).map { Ev.sent("wamid.s\($0)", user: Self.user, at: Self.time($0)) }, into: &a)
    // The rule: past the bound, the list is cut to its newest half.
    var waiting = 0
    for _ in 0..<sends {
      waiting += 1
      if waiting > Aggregator.maxPending { waiting = Aggregator.maxPending / 2 }
    }
    #expect(Self.list(a) == (waiting, waiting))
    #expect(waiting < sends && waiting > Aggregator.maxPending / 2)
    // One reply within the window of every message: only those still waiting are replied.
    AggregateMergeTests.fold(
      [Ev.received("wamid.r", user: Self.user, at: Self.time(sends + 10))], into: &a)
    #expect(a.metrics.funnel.sent == sends)
    #expect(a.metrics.funnel.replied == waiting)
    #expect(Self.list(a) == (0, 0))
  }

  @Test func olderRepliesLeaveTheListAtMostTheBound() {
    // Sends, then inbound messages with older times: each walks the list and keeps it all.
    let n = Aggregator.maxPending + 200
    var a = Aggregator()
    AggregateMergeTests.fold(
      (0..<n).map { Ev.sent("wamid.s\($0)", user: Self.user, at: Self.time(5_000 + $0)) },
      into: &a)
    AggregateMergeTests.fold(
      (0..<n).map { Ev.received("wamid.r\($0)", user: Self.user, at: Self.time(4_999 - $0)) },
      into: &a)
    let (length, count) = Self.list(a)
    #expect(length == count && length <= Aggregator.maxPending && length > 0)
    #expect(a.metrics.funnel.replied == 0)
  }

  /// A damaged state file can link a list into a circle; counting it again on load cuts
  /// it, and matching never walks more than the bound.
  @Test(.timeLimit(.minutes(10)))
  func aCircularListEndsAfterLoadingAndMatching() {
    var a = Aggregator()
    AggregateMergeTests.fold(
      (0..<20).map { Ev.sent("wamid.s\($0)", user: Self.user, at: Self.time(100 + $0)) },
      into: &a)
    var head: UInt64 = 0
    a.users.forEach { head = $0.pointee.pendingHead }
    var key = head
    while let slot = a.messages.slot(of: key) {
      let m = a.messages.value(at: slot)
      if m.pointee.nextPending == 0 {
        m.pointee.nextPending = head  // the oldest now points back at the newest
        break
      }
      key = m.pointee.nextPending
    }
    a.recountPending()
    #expect(Self.list(a).length <= Aggregator.maxPending)
    // An older inbound message keeps everything it walks: it must still come to an end.
    AggregateMergeTests.fold(
      [Ev.received("wamid.r", user: Self.user, at: Self.time(10))], into: &a)
    #expect(Self.list(a).length <= Aggregator.maxPending)
    #expect(a.metrics.messages.received == 1)
  }
}
