/// Persons, not identifiers (SPEC §2 BSUID paragraph, §5 "Identity").
///
/// A user may appear under a phone number, under a BSUID, or under both: an event whose
/// `context.bsuid` differs from its `userId` says the two name one person, and from then on
/// every event under either joins the same per-user state (reply matching, response clocks,
/// the `contact.created` key) and counts once among distinct users.
///
/// The person's key is the hash of the identifier it was first known by (its *root*). An
/// alias table maps every other identifier of a linked person to that root: a `StateTable`
/// like the others, so it is bounded by `--max-state`, evicted by `--state-horizon` (an alias
/// lives while it is used), its evictions counted in `input.evicted`, and it can be saved
/// with the rest of the state. When two persons who each have state are linked, the second
/// one's state is folded into the first's and its identifiers point there (through a short
/// chain, shortened as it is walked).
///
/// Cost: an event without `context.bsuid` in a stream that has never linked anything pays
/// one comparison; once aliases exist, one lookup in a small table.
extension Aggregator {
  /// The longest alias chain followed (chains grow only when two linked persons are linked
  /// again, and are shortened as they are walked): a bound, not a limit met in practice.
  static let maxAliasHops = 8

  /// Works out the current event's person (`who`): the root of its `userId`, linked first
  /// with `context.bsuid` when that names another identifier.
  @inline(__always)
  func identify(_ v: ValidEvent, at t: Int64) {
    let key = keys.user
    let isBSUID = v.event.userIdForm == .bsuid
    if v[.bsuid].kind == .string, v.event.userIdForm != .other {
      return link(v, key, isBSUID: isBSUID, at: t)
    }
    if aliases.count == 0 {
      who = Person(key: key, isBSUID: isBSUID)
      return
    }
    who = root(of: key, isBSUID: isBSUID, at: t)
  }

  /// The root of an identifier and the form of that root; touches the aliases walked.
  func root(of key: UInt64, isBSUID: Bool, at t: Int64) -> Person {
    guard let first = aliases.slot(of: key) else { return Person(key: key, isBSUID: isBSUID) }
    var entry = aliases.value(at: first)
    if t > entry.pointee.touched { entry.pointee.touched = t }
    var person = entry.pointee.person
    var hops = 1
    while hops < Self.maxAliasHops, let next = aliases.slot(of: person.key) {
      entry = aliases.value(at: next)
      if t > entry.pointee.touched { entry.pointee.touched = t }
      person = entry.pointee.person
      hops += 1
    }
    if hops > 1 { aliases.value(at: first).pointee.person = person }  // shorten the chain
    return person
  }

  /// An event naming two identifiers of one person: links them, and sets `who`.
  @inline(never)
  func link(_ v: ValidEvent, _ key: UInt64, isBSUID: Bool, at t: Int64) {
    let other = v.hash(.bsuid)
    let mine = root(of: key, isBSUID: isBSUID, at: t)
    guard other != key else {
      who = mine
      return
    }
    let theirs = root(of: other, isBSUID: true, at: t)
    guard theirs.key != mine.key else {
      who = mine
      return
    }
    // The root is the person already known (so that a BSUID-only user who later shows a
    // phone number keeps being counted once); when both or neither are, userId's side.
    let mineKnown = mine.key != key || users.slot(of: mine.key) != nil
    let theirsKnown = theirs.key != other || users.slot(of: theirs.key) != nil
    let (root, absorbed) = !mineKnown && theirsKnown ? (theirs, mine) : (mine, theirs)
    let (slot, evicted) = aliases.touch(absorbed.key, at: t)
    metrics.input.evicted += evicted
    aliases.value(at: slot).pointee.person = root
    absorb(absorbed.key, into: root.key, at: t)
    who = root
  }

  /// Folds the per-user state of `from` (if any) into that of `into`: the later inbound
  /// time, the earlier running clocks, both lists of messages waiting for a reply, the
  /// `contact.created` mark. The old entry is left empty, to be evicted in time.
  func absorb(_ from: UInt64, into: UInt64, at t: Int64) {
    guard let f = users.slot(of: from) else { return }
    let old = users.value(at: f).pointee
    users.value(at: f).pointee.pendingHead = 0
    users.value(at: f).pointee.pendingCount = 0
    users.value(at: f).pointee.clockStart = UserState.none
    users.value(at: f).pointee.agentClockStart = UserState.none
    let u = users.value(at: userSlot(into, at: max(t, old.touched)))
    u.pointee.lastInbound = max(u.pointee.lastInbound, old.lastInbound)
    u.pointee.clockStart = Self.earlier(u.pointee.clockStart, old.clockStart)
    u.pointee.agentClockStart = Self.earlier(u.pointee.agentClockStart, old.agentClockStart)
    u.pointee.contactCreated = u.pointee.contactCreated || old.contactCreated
    guard old.pendingHead != 0 else { return }
    // Append the absorbed list after the last entry of this one.
    var key = u.pointee.pendingHead
    guard key != 0 else {
      u.pointee.pendingHead = old.pendingHead
      u.pointee.pendingCount = old.pendingCount
      return
    }
    // Bounded like every walk of a list: a message evicted from a list's middle and sent
    // again under its id closes a circle (see `waitingSlot`), which has no last entry.
    var steps = 0
    while steps <= Self.maxPending, let slot = messages.slot(of: key) {
      steps += 1
      let m = messages.value(at: slot)
      if m.pointee.nextPending == 0 {
        m.pointee.nextPending = old.pendingHead
        break
      }
      key = m.pointee.nextPending
    }
    u.pointee.pendingCount &+= old.pendingCount
    if u.pointee.pendingCount > Self.maxPending { trimPending(u, keep: Self.maxPending) }
  }

  /// The earlier of two clock starts, `UserState.none` meaning no clock.
  @inline(__always)
  static func earlier(_ a: Int64, _ b: Int64) -> Int64 {
    if a == UserState.none { return b }
    if b == UserState.none { return a }
    return min(a, b)
  }
}

/// A person: the hash of its root identifier, and whether that identifier is a BSUID
/// (`users.byIdentity` counts persons by the form they were first seen under).
struct Person: Equatable {
  var key: UInt64
  var isBSUID: Bool
}

/// One alias: an identifier of a person other than its root.
struct AliasState: TimedState {
  var touched: Int64
  var person = Person(key: 0, isBSUID: false)

  init(touched: Int64) { self.touched = touched }
}

extension AliasState: StateEntry {
  func encode(to e: inout StateEncoder) {
    e.i64(touched)
    e.u64(person.key)
    e.bool(person.isBSUID)
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init(touched: try d.time("an alias's touched time"))
    person = Person(key: try d.u64(), isBSUID: try d.bool())
  }
}
