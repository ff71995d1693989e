import Testing

@testable import WAKit

/// The bounded per-key state behind duplicates, the funnel and the clocks.
@Suite("wa-aggregate: state table")
struct AggregateStateTableTests {
  struct Entry: TimedState, Equatable {
    var touched: Int64
    var payload: Int
  }

  @Test func touchInsertsNewKeysAndMovesTouchedForwardOnly() {
    let table = StateTable<Entry>(limit: 2, initialCapacity: 4)
    let first = table.touch(7, at: 100)
    #expect(first.evicted == 0 && table.count == 1)
    #expect(table.value(at: first.slot).pointee == Entry(touched: 100, payload: 0))
    table.value(at: first.slot).pointee.payload = 42
    let later = table.touch(7, at: 150)
    #expect(later.slot == first.slot && later.evicted == 0)
    #expect(table.value(at: later.slot).pointee == Entry(touched: 150, payload: 42))
    let earlier = table.touch(7, at: 90)
    #expect(table.value(at: earlier.slot).pointee.touched == 150)
    _ = table.touch(8, at: 160)
    // Full at the limit: a third key evicts the oldest entry and says so.
    #expect(table.touch(9, at: 170).evicted == 1 && table.count == 2)
  }

  @Test func randomInsertsAndEvictionsAgreeWithADictionary() {
    let table = StateTable<Entry>(limit: 1_000, initialCapacity: 16)
    var model: [UInt64: Entry] = [:]
    var rng = SeededGenerator(seed: 3)
    var now: Int64 = 0
    var mismatches = 0
    var capEvictions = 0
    var horizonEvictions = 0
    let horizon: Int64 = 600
    for step in 0..<20_000 {
      // Time moves for the first half (the horizon evicts), then stands still (the cap does).
      now += step < 10_000 ? Int64.random(in: 0...2, using: &rng) : 0
      // Small keys collide in their home slots often; 0 checks the reserved value.
      let raw = UInt64.random(in: 0..<5_000, using: &rng)
      let key = StateTable<Entry>.normalized(step % 3 == 0 ? raw : raw &* 0x9E37_79B9)
      if let slot = table.slot(of: key) {
        let entry = table.value(at: slot)
        if model[key] != entry.pointee { mismatches += 1 }
        entry.pointee.touched = now
        model[key]?.touched = now
      } else {
        if model[key] != nil { mismatches += 1 }
        let e = Entry(touched: now, payload: step)
        if table.insert(key, e).evicted == 1 {
          capEvictions += 1
          if model.count != table.limit { mismatches += 1 }
          model = model.filter { table.slot(of: $0.key) != nil }
        }
        model[key] = e
      }
      if step % 100 == 99 {
        let gone = table.evict(olderThan: now - horizon, now: now)
        horizonEvictions += gone
        let before = model.count
        model = model.filter { table.slot(of: $0.key) != nil }
        if before - model.count != gone { mismatches += 1 }
        // Nothing touched within the horizon goes. An entry requeued behind younger ones waits
        // for them, but never more than two horizons (plus the ~100 between two passes).
        if !model.values.allSatisfy({ $0.touched >= now - 2 * horizon - 250 }) { mismatches += 1 }
      }
      if model.count != table.count { mismatches += 1 }
    }
    #expect(mismatches == 0)
    #expect(capEvictions > 100 && horizonEvictions > 500)
    #expect(table.count <= table.limit)
    for (key, entry) in model
    where table.slot(of: key).map({ table.value(at: $0).pointee }) != entry {
      mismatches += 1
    }
    #expect(mismatches == 0)
  }

  @Test func theRingShowsTheKeysBehindItsFrontAcrossWrapsAndGrowth() {
    var ring = FIFORing(capacity: 16)
    var model: [UInt64] = []
    var rng = SeededGenerator(seed: 11)
    var mismatches = 0
    for step in 0..<5_000 {
      // Pushes outnumber pops for a while (the ring grows), then pops catch up (it wraps).
      let pushes = step < 2_500 ? Int.random(in: 0...3, using: &rng) : 1
      for _ in 0..<pushes {
        let key = UInt64.random(in: 1...UInt64.max, using: &rng)
        ring.push(key, Int64(step))
        model.append(key)
      }
      if !model.isEmpty, Bool.random(using: &rng) {
        if ring.pop()?.key != model.removeFirst() { mismatches += 1 }
      }
      for offset in [0, 1, 4, model.count - 1, model.count, model.count + 7] where offset >= 0 {
        if ring.key(at: offset) != (offset < model.count ? model[offset] : nil) {
          mismatches += 1
        }
      }
    }
    #expect(mismatches == 0)
    #expect(model.count > 100)
  }

  /// Growth moves the entries within their own buffer (`OpenTable.grow`). Keys whose homes
  /// crowd the end of the table make clusters that wrap around to slot 0, where entries of
  /// the old layout and the new one meet; every growth from 16 to the cap must leave each key
  /// reachable, and removals after it (backward shifts) must not lose any.
  @Test func growingInPlaceKeepsEveryKeyReachable() {
    // Keys with a chosen scrambled value: the inverse of the home's multiplier (Newton).
    let c: UInt64 = 0x9E37_79B9_7F4A_7C15
    var inverse = c
    for _ in 0..<6 { inverse = inverse &* (2 &- c &* inverse) }
    #expect(inverse &* c == 1)
    let table = StateTable<Entry>(limit: 4_000, initialCapacity: 16)
    var rng = SeededGenerator(seed: 21)
    var keys: [(key: UInt64, time: Int64)] = []
    var lost = 0
    for step in 0..<4_000 {
      // One key in eight has its home in the table's last 1/512: a cluster of a few hundred
      // entries across the end.
      let scrambled =
        step % 8 == 0
        ? UInt64.max - UInt64.random(in: 0...(UInt64.max / 512), using: &rng)
        : UInt64.random(in: 0...UInt64.max, using: &rng)
      let key = StateTable<Entry>.normalized(scrambled &* inverse)
      guard table.slot(of: key) == nil else { continue }
      let t = Int64(step)
      #expect(table.insert(key, Entry(touched: t, payload: keys.count)).evicted == 0)
      keys.append((key, t))
      // Right after each growth (and now and then), every key so far is where a lookup looks.
      if keys.count.nonzeroBitCount == 1 || step % 499 == 0 {
        for (n, k) in keys.enumerated()
        where table.slot(of: k.key).map({ table.value(at: $0).pointee.payload }) != n {
          lost += 1
        }
      }
    }
    #expect(lost == 0)
    #expect(table.count == keys.count && keys.count > 3_900)
    // The older half goes by the horizon; the younger half must all still be found.
    let gone = table.evict(olderThan: 2_000, now: 4_000)
    #expect(gone > 1_900 && table.count == keys.count - gone)
    for (n, k) in keys.enumerated() {
      let found = table.slot(of: k.key).map { table.value(at: $0).pointee.payload }
      if found != (k.time >= 2_000 ? n : nil) { lost += 1 }
    }
    #expect(lost == 0)
  }

  @Test func prefetchingChangesNothing() {
    let plain = StateTable<Entry>(limit: 500)
    let hinted = StateTable<Entry>(limit: 500)
    var rng = SeededGenerator(seed: 5)
    for step in 0..<5_000 {
      let key = UInt64.random(in: 0..<2_000, using: &rng)
      // Any key at all, present or not, including 0 and the table's next keys.
      hinted.prefetch(UInt64.random(in: 0...UInt64.max, using: &rng))
      hinted.prefetch(key)
      let t = Int64(step)
      #expect(plain.touch(key, at: t) == hinted.touch(key, at: t))
      if step % 50 == 49 {
        #expect(plain.evict(olderThan: t - 300, now: t) == hinted.evict(olderThan: t - 300, now: t))
      }
    }
    #expect(plain.items.map(\.key) == hinted.items.map(\.key))
    #expect(plain.count == hinted.count && plain.count > 100)
  }

  @Test func aFullTableEvictsTheOldestInsertedUnlessItWasTouchedSince() {
    let table = StateTable<Entry>(limit: 3)
    for k in 1...3 { _ = table.insert(UInt64(k), Entry(touched: Int64(k), payload: k)) }
    // Touch key 1: it gets a second chance, so key 2 is the one to go.
    if let slot = table.slot(of: 1) { table.value(at: slot).pointee.touched = 10 }
    #expect(table.insert(4, Entry(touched: 11, payload: 4)).evicted == 1)
    #expect(table.slot(of: 2) == nil)
    #expect(table.slot(of: 1) != nil && table.slot(of: 3) != nil && table.slot(of: 4) != nil)
    #expect(table.insert(5, Entry(touched: 12, payload: 5)).evicted == 1)
    #expect(table.slot(of: 3) == nil && table.count == 3)
  }

  @Test func horizonEvictionKeepsWhatWasTouchedRecently() {
    let table = StateTable<Entry>(limit: 100)
    for k in 1...10 { _ = table.insert(UInt64(k), Entry(touched: Int64(k) * 10, payload: k)) }
    if let slot = table.slot(of: 2) { table.value(at: slot).pointee.touched = 95 }
    // 1, 3 and 4 (touched 10, 30, 40) go; 2 is requeued.
    #expect(table.evict(olderThan: 50, now: 100) == 3)
    #expect(table.slot(of: 2) != nil && table.slot(of: 5) != nil && table.count == 7)
    // Queue: 5…10 (50…100), then 2 (95). Eviction stops at the first entry still young (10),
    // so 2 waits behind it: state leaves in queue order, never before its horizon.
    #expect(table.evict(olderThan: 96, now: 100) == 5)
    #expect(table.slot(of: 2) != nil && table.slot(of: 10) != nil)
    #expect(table.evict(olderThan: 101, now: 101) == 2)
    #expect(table.count == 0)
  }

  @Test func theAggregatorStaysWithinItsSizeCapAndCountsEvictions() throws {
    var lines: [String] = []
    for i in 0..<3_000 {
      let user = "+2547\(String(10_000_000 + i))"
      lines.append(Ev.sent("m\(i)", user: user, at: at(10, i / 60 % 60, i % 60)))
    }
    let run = try aggregate(lines + [Ev.sent("m0", at: at(11))], ["--max-state", "1000"])
    let s = run.final
    // 3,001 messages and 3,001 users (m0 goes to one more) into tables of 1,000 each.
    #expect(s.input.evicted == 4_002)
    #expect(s.messages.sent == 3_001)  // m0's entry was evicted: no longer a duplicate
    #expect(s.input.duplicates == 0)
  }

  @Test func stateOlderThanTheHorizonIsEvicted() throws {
    var a = Aggregator()
    AggregateMergeTests.fold(
      [
        Ev.sent("m1", at: at(day: 1, 10)),
        Ev.received("in1", user: Ev.kenya2, at: at(day: 1, 11)),
        Ev.sent("m2", user: Ev.usa, at: at(day: 8, 10, 30)),  // 7d 30m later
      ], into: &a)
    // m1 (touched day 1 10:00) and its user are past the 7-day horizon; in1 is not yet.
    #expect(a.metrics.input.evicted == 2)
    #expect(a.messages.count == 2 && a.users.count == 2)
  }

  @Test func anEntryTimedByTheWallClockDoesNotHoldUpEviction() {
    // A replayed log from March whose first line is a status without timestamp: it takes
    // the wall clock (here 2030), far ahead of every later event.
    var config = AggregatorConfiguration()
    config.wallClock = { 1_900_000_000 * EventTime.nanosPerSecond }
    var a = Aggregator(config)
    AggregateMergeTests.fold(
      [
        Ev.status("read", "m0"),
        Ev.sent("m1", at: at(day: 1, 10)),
        Ev.sent("m2", at: at(day: 1, 10, 1)),
        // Eight days on; the second event confirms the jump (see eventTime).
        Ev.sent("m3", user: Ev.usa, at: at(day: 9, 10)),
        Ev.sent("m4", user: Ev.usa, at: at(day: 9, 10, 1)),
      ], into: &a)
    // m1, m2 and their user are past the horizon and go; m0 stays (its time is 2030).
    #expect(a.metrics.input.evicted == 3)
    #expect(a.messages.count == 3 && a.users.count == 1)
  }
}

extension AggregateStateTableTests.Entry {
  init(touched: Int64) { self.init(touched: touched, payload: 0) }
}
