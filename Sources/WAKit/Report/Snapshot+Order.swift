/// The order in which every renderer lists a snapshot's rows, so the text dashboard, the page
/// and the exposition's "top N" agree on who is at the top. Ties end on the id, so the order
/// is total and the golden files are stable.
extension Snapshot {
  /// Countries by messages (received + sent), then contacts, then code.
  var countriesByTraffic: [Country] {
    countries.sorted { a, b in
      if a.traffic != b.traffic { return a.traffic > b.traffic }
      if a.contacts != b.contacts { return a.contacts > b.contacts }
      return a.code < b.code
    }
  }

  /// Agents by chats resolved, then messages sent, then id.
  var agentsByChatsResolved: [Agent] {
    agents.sorted { a, b in
      if a.chatsResolved != b.chatsResolved { return a.chatsResolved > b.chatsResolved }
      if a.messagesSent != b.messagesSent { return a.messagesSent > b.messagesSent }
      return a.id < b.id
    }
  }

  /// Templates by messages sent, then id; nil when the snapshot has no templates section.
  var templatesBySent: [Template]? {
    templates?.sorted { $0.sent != $1.sent ? $0.sent > $1.sent : $0.id < $1.id }
  }

  /// Campaigns by messages sent, then id; nil when the snapshot has no campaigns section.
  var campaignsBySent: [Campaign]? {
    campaigns?.sorted { a, b in
      a.funnel.sent != b.funnel.sent ? a.funnel.sent > b.funnel.sent : a.id < b.id
    }
  }
}

extension Snapshot.Country {
  /// Messages received from and sent to the country: what the countries table ranks by.
  var traffic: Double { received + sent }
}
