/// Finding and updating state entries, and reading the fields of the current event.
extension Aggregator {
  /// The slot of a message's entry, created when new; `touched` moves to `t` if later.
  @inline(__always)
  func messageSlot(_ key: UInt64, at t: Int64) -> Int {
    let (slot, evicted) = messages.touch(key, at: t)
    metrics.input.evicted += evicted
    return slot
  }

  /// The slot of a user's entry, created when new; `touched` moves to `t` if later.
  @inline(__always)
  func userSlot(_ key: UInt64, at t: Int64) -> Int {
    let (slot, evicted) = users.touch(key, at: t)
    metrics.input.evicted += evicted
    return slot
  }

  /// Hashes the current event's message, user and conversation ids once (`keys`), and
  /// starts loading the state entries it is about to look up with them: its message, its
  /// user (and alias, once any exist) and its conversation. On a dense stream these tables
  /// outgrow the caches and each lookup misses; issued together, the misses overlap rather
  /// than wait for one another. The handlers read the hashes from `keys` (`messageKey`,
  /// `chatKey`, `identify`) instead of hashing the ids a second time (3.2–3.5% of
  /// wa-aggregate's instructions, callgrind; docs/benchmarks.md).
  @inline(__always)
  func hashAndPrefetch(_ v: ValidEvent) {
    // `identify` hashes the userId of every event, a string or not (absent: the empty one).
    keys.user = v.hash(.userId)
    if v.isString(.messageId) {
      keys.message = v.hash(.messageId)
      messages.prefetch(keys.message)
    }
    if v.isString(.userId) {
      if aliases.count != 0 { aliases.prefetch(keys.user) }
      users.prefetch(keys.user)
    }
    if v.isString(.chatId) {
      keys.chat = v.hash(.chatId)
      conversations.prefetch(keys.chat)
    }
  }

  /// `v.hash(.messageId)`, from `keys` when `hashAndPrefetch` hashed it (a string; every
  /// message event's is).
  @inline(__always)
  func messageKey(_ v: ValidEvent) -> UInt64 {
    v.isString(.messageId) ? keys.message : v.hash(.messageId)
  }

  /// `v.hash(.chatId)`, from `keys` when `hashAndPrefetch` hashed it.
  @inline(__always)
  func chatKey(_ v: ValidEvent) -> UInt64 {
    v.isString(.chatId) ? keys.chat : v.hash(.chatId)
  }

  /// Sets an event's bit on a message; false when it was already set (a duplicate).
  @inline(__always)
  func mark(_ slot: Int, _ flag: MessageFlags) -> Bool {
    if messages.value(at: slot).pointee.flags.contains(flag) { return false }
    raise(slot, flag)
    return true
  }

  /// Adds bits to a message's flags and moves it through the funnel accordingly: counted at
  /// the message's `sentAt` (a read the next day moves the funnel of the day it was sent).
  @inline(__always)
  func raise(_ slot: Int, _ flags: MessageFlags) {
    let m = messages.value(at: slot)
    let old = m.pointee.flags
    let new = old.union(flags)
    guard new != old else { return }
    m.pointee.flags = new
    guard new.contains(.sent) else { return }  // no funnel stage before it is sent
    // A flag that moves no stage (a `delivered` after the `read` of the same message: read
    // implies delivered) changes no number: counted as before, but no window is marked
    // changed, which wrote the window record again with identical numbers.
    guard old.funnelStages != new.funnelStages || old.clickedStage != new.clickedStage else {
      return countsNothing(at: m.pointee.sentAt)
    }
    let (tn, cn) = (m.pointee.template, m.pointee.campaign)
    guard tn != 0 || cn != 0 else {
      return count(at: m.pointee.sentAt) { $0.funnel.move(from: old, to: new) }
    }
    let template = tn == 0 ? nil : templateIDs.label(tn)
    let campaign = cn == 0 ? nil : campaignIDs.label(cn)
    count(at: m.pointee.sentAt) { m in
      m.funnel.move(from: old, to: new)
      if let template {
        m.templates.stats[m.templates.index(hash: template.hash) { template.name }]
          .move(from: old, to: new)
      }
      if let campaign {
        m.campaigns.stats[m.campaigns.index(hash: campaign.hash) { campaign.name }]
          .move(from: old, to: new)
      }
    }
  }

  /// Counts a failure of a template or campaign message under its code (`v` a
  /// `message.failed`, or nil for a failure that arrived before its `message.sent`).
  func countLabelFailure(_ slot: Int, _ v: ValidEvent?) {
    let m = messages.value(at: slot)
    let (tn, cn) = (m.pointee.template, m.pointee.campaign)
    guard tn != 0 || cn != 0 else { return }
    let template = tn == 0 ? nil : templateIDs.label(tn)
    let campaign = cn == 0 ? nil : campaignIDs.label(cn)
    count(at: m.pointee.sentAt) { m in
      func add(_ table: inout LabelCounts) {
        if let v {
          Self.countErrorCode(v, in: &table)
        } else {
          table.add(hash: Self.unspecifiedHash) { "unspecified" }
        }
      }
      if let template {
        add(
          &m.templates.stats[m.templates.index(hash: template.hash) { template.name }].failedByCode)
      }
      if let campaign {
        add(
          &m.campaigns.stats[m.campaigns.index(hash: campaign.hash) { campaign.name }].failedByCode)
      }
    }
  }

  /// Counts `user` (a person: see `Aggregator+Identity`) among the distinct users, overall,
  /// by the form it was first seen under, and in `country`; returns the country's index in
  /// `m`.
  @inline(__always)
  static func countUser(_ m: inout AggregateMetrics, _ user: Person, country: RegionCode) -> Int {
    let c = m.countries.index(country)
    m.users.add(hash: user.key)
    if user.isBSUID { m.bsuidUsers.add(hash: user.key) }
    m.countries.stats[c].users.add(hash: user.key)
    return c
  }

  /// An event's country (SPEC §5): `properties.countryCode`, else `context.countryCode`,
  /// else the region of `userId` (a BSUID's prefix), else `ZZ`.
  @inline(__always)
  func countryCode(_ v: ValidEvent) -> RegionCode {
    if let code = v.region(.countryCode) ?? v.region(.contextCountryCode) {
      return code
    }
    return v.event.userRegion ?? CountryTable.unknown
  }

  /// The hash a string field's value is counted under (`countLabel`); a missing one's is
  /// `"unspecified"`'s. Taken before a `count(at:)` closure, which runs twice with `--window`.
  @inline(__always)
  static func labelKey(_ v: ValidEvent, _ field: EventField) -> UInt64 {
    v.isString(field) ? v.labelHash(field) : unspecifiedHash
  }

  /// Counts a string field's value in `table` under `key` (`labelKey`); a missing one as
  /// `"unspecified"`.
  @inline(__always)
  static func countLabel(
    _ v: ValidEvent, _ field: EventField, key: UInt64, in table: inout LabelCounts
  ) {
    table.add(hash: key) { v.isString(field) ? v.label(field) : "unspecified" }
  }

  /// Counts a `message.failed` under its `errorCode`: an integer literal as written, another
  /// integral number (`131047.0`, `1.31047e5`) in its plain decimal form.
  static func countErrorCode(_ v: ValidEvent, in table: inout LabelCounts) {
    let ref = v[.errorCode]
    guard ref.kind == .number else {
      return table.add(hash: unspecifiedHash) { "unspecified" }
    }
    if ref.has(ValueRef.isIntegerLiteral) {
      let bytes = v.raw(ref)
      // `-0` is the one integer not written in its plain decimal form: keyed "0", as `-0.0`
      // and `0` are, not a code of its own.
      let negativeZero =
        bytes.count == 2 && bytes.first == UInt8(ascii: "-") && bytes.last == UInt8(ascii: "0")
      if bytes.count <= ValidEvent.labelBytes && !negativeZero {
        table.add(hash: Hash64.hash(bytes)) { String(decoding: bytes, as: UTF8.self) }
        return
      }
    }
    let value = v.double(.errorCode)
    let name = ValidEvent.capped(
      abs(value) < 9.0e18 ? String(Int64(value)) : String(decoding: v.raw(ref), as: UTF8.self))
    table.add(hash: Hash64.hash(name)) { name }
  }
}

/// The hashes of the current event's ids (`Aggregator.hashAndPrefetch`): `message` and
/// `chat` are meaningful only when the field is a string, `user` always.
struct EventKeys {
  var message: UInt64 = 0
  var user: UInt64 = 0
  var chat: UInt64 = 0
}
