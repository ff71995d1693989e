/// The dashboard as one self-contained HTML page (`wa-report --format html`, SPEC §6).
///
/// One file, nothing fetched: the style sheet is inline, the charts are inline SVG drawn
/// here, there is no script, font or image, so the page works offline, from a file server,
/// in a mail attachment and on paper. The sections follow the text dashboard's order, and
/// every number is formatted by `ReportNumbers` exactly as the terminal shows it. Each chart
/// has a text alternative (`<title>`/`<desc>`) and its numbers in a table next to it. Text
/// from the input (agent ids, template and campaign names, country codes, chat ids) is
/// escaped with `HTMLText.escape`. Layout: one column on a phone, two on a desktop; charts
/// are `break-inside: avoid` for print (A4); colours are the Okabe–Ito palette, which
/// colour-blind readers can tell apart, with a dark variant for `prefers-color-scheme`.
struct HTMLDashboard {
  /// Seconds between reloads (`--refresh`), or nil for none.
  var refreshSeconds: Int? = nil
  /// The English name of an ISO 3166-1 alpha-2 code, or nil to show the code alone.
  var countryName: (String) -> String? = TextDashboard.isoName
  /// Rows of a long table (agents, templates, campaigns) before the rest is summed.
  var topRows = 25
  var topCountries = 15
  /// Windows drawn in the trend and listed in its table (the latest ones).
  var trendWindows = 60
  /// Conversation records listed (the latest ones).
  var latestConversations = 20

  static let noData = "–"

  func render(_ state: ReportState) -> String {
    let s = state.current
    var h = HTMLWriter()
    h.add("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
    h.add("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
    h.add("<meta name=\"color-scheme\" content=\"light dark\">\n")
    if let refreshSeconds { h.add("<meta http-equiv=\"refresh\" content=\"\(refreshSeconds)\">\n") }
    h.add("<meta name=\"generator\" content=\"wa-report \(WATools.version)\">\n")
    h.add("<title>WhatsApp Analytics")
    if !s.generatedAt.isEmpty { h.add(" · " + h.text(s.generatedAt)) }
    h.add("</title>\n<style>\n" + Self.style + "</style>\n</head>\n<body>\n")
    header(s, state, &h)
    h.add("<main>\n")
    headline(s, state.windows.comparison, &h)
    funnel(s, &h)
    volumeByHour(s, &h)
    heatmap(s, &h)
    countries(s, &h)
    agents(s, &h)
    responseTimes(s, &h)
    conversations(s, state, &h)
    sla(s, &h)
    templates(s, &h)
    campaigns(s, &h)
    cost(s, &h)
    trend(state.windows, &h)
    details(s, &h)
    h.add("</main>\n<footer><p>Made by wa-report \(WATools.version) from wa-aggregate's ")
    h.add("records: one self-contained page, no script, nothing fetched. Tables for ")
    h.add("spreadsheets: <code>wa-report --format csv --table NAME</code>.</p></footer>\n")
    h.add("</body>\n</html>\n")
    return h.out
  }

  // MARK: Formatting (the text dashboard's)

  func count(_ v: Double) -> String { ReportNumbers.grouped(v) }
  func percent(_ ratio: Double?) -> String { ReportNumbers.percent(ratio) ?? Self.noData }
  func duration(_ seconds: Double?) -> String {
    ReportNumbers.duration(seconds: seconds) ?? Self.noData
  }
  func share(_ part: Double, _ whole: Double) -> String {
    percent(whole > 0 ? part / whole : nil)
  }

  // MARK: Header and headline numbers

  private func header(_ s: Snapshot, _ state: ReportState, _ h: inout HTMLWriter) {
    h.add("<header>\n<h1>WhatsApp Analytics</h1>\n<p class=\"meta\">")
    if let w = s.window, state.snapshot == nil {
      h.add("window \(h.text(w.start)) → \(h.text(w.end))")
    } else {
      h.add("snapshot \(count(s.seq))")
    }
    if s.isFinal { h.add(" · final") }
    if !s.generatedAt.isEmpty { h.add(" · generated " + h.text(s.generatedAt)) }
    if let w = s.window, state.snapshot == nil {
      // A window record carries no event times: not "events none yet" above its numbers.
      h.add("<br>\(h.text(w.size)) window, \(h.text(w.tz)), \(w.complete ? "complete" : "open")")
    } else {
      h.add("<br>events ")
      if let first = s.firstEventTime, let last = s.lastEventTime {
        h.add(h.text(first) + " → " + h.text(last))
      } else {
        h.add("none yet")
      }
    }
    h.add("</p>\n</header>\n")
  }

  private func headline(_ s: Snapshot, _ comparison: WindowComparison?, _ h: inout HTMLWriter) {
    let failedRatio = s.funnel.sent > 0 ? s.funnel.failed / s.funnel.sent : nil
    let frt = s.firstResponseTime ?? s.responseTime
    let cards: [(String, String, String)] = [
      ("Received", count(s.messages.received), "users " + count(s.uniqueUsers)),
      ("Sent", count(s.messages.sent), "by agents " + count(s.messages.sentByAgent)),
      ("Read rate", percent(s.rates.read), "delivered " + percent(s.rates.delivery)),
      ("Reply rate", percent(s.rates.reply), "failed " + percent(failedRatio)),
      ("First response", duration(frt.p50), "median; p90 " + duration(frt.p90)),
      ("Chats resolved", count(s.conversations.resolved), "contacts " + count(s.contacts.created)),
    ]
    let metrics = comparison?.metrics ?? []
    h.section("headline", "Headline numbers", wide: true)
    if let comparison, let w = comparison.current.window {
      let window = "the latest complete window (\(h.text(w.size)) from \(h.text(w.start)))"
      if let before = comparison.previous?.window {
        // Named, as in the text dashboard: a quiet window has no record, so the one before
        // may be further back than the calendar's.
        h.add("<p class=\"note\">Changes: \(window) against the one before it (from ")
        h.add(h.text(before.start) + ").</p>\n")
      } else {
        // The input's first window has none before it, so no card has a change: said so,
        // as the text dashboard does ("against none"), rather than announcing changes.
        h.add("<p class=\"note\">No changes yet: \(window) has no window before it.</p>\n")
      }
    }
    h.add("<div class=\"cards\">\n")
    for (i, card) in cards.enumerated() {
      h.add("<div class=\"card\"><h3>\(card.0)</h3><p class=\"v\">\(card.1)</p>")
      h.add("<p class=\"n\">\(card.2)</p>")
      if i < metrics.count, let change = metrics[i].changeText {
        let m = metrics[i]
        let arrow = (m.absolute ?? 0) > 0 ? "▲ " : (m.absolute ?? 0) < 0 ? "▼ " : ""
        // Both windows' values: the card's number is the whole input's, so "+56.0% vs
        // previous window (1m 55s)" under a card of 1m 52s read as a rise from 1m 55s to
        // 1m 52s; the change is the latest complete window's (2m 59s).
        let value = { (v: Double?) -> String in
          switch m.kind {
          case .count: return v.map(count) ?? Self.noData
          case .rate: return percent(v)
          case .duration: return duration(v)
          }
        }
        h.add("<p class=\"d\">\(arrow)\(change) <span>latest window \(value(m.current)) ")
        h.add("vs previous \(value(m.previous))</span></p>")
      }
      h.add("</div>\n")
    }
    h.add("</div>\n</section>\n")
  }

  // MARK: Funnel

  private func funnel(_ s: Snapshot, _ h: inout HTMLWriter) {
    let f = s.funnel
    h.section("funnel", "Message funnel")
    h.add("<p class=\"note\">Sent → Delivered → Read → Replied: each sent message at the ")
    h.add("highest stage it reached.</p>\n")
    h.add("<table class=\"bars\"><thead><tr><th>stage</th><th class=\"barcol\"><span class=\"sr\">")
    h.add("bar</span></th><th class=\"n\">messages</th><th class=\"n\">of sent</th>")
    h.add("<th class=\"n\">of previous</th></tr></thead><tbody>\n")
    let stages: [(String, Double, Double?, String)] = [
      ("Sent", f.sent, nil, "sent"), ("Delivered", f.delivered, f.sent, "sent"),
      ("Read", f.read, f.delivered, "sent"), ("Replied", f.replied, f.read, "replied"),
      ("Failed", f.failed, nil, "failed"),
    ]
    for (name, value, previous, tone) in stages {
      h.add("<tr><th scope=\"row\">\(name)</th><td class=\"barcol\">")
      h.bar(value, of: f.sent, tone: tone)
      h.add("</td><td class=\"n\">\(count(value))</td><td class=\"n\">\(share(value, f.sent))</td>")
      h.add("<td class=\"n\">\(previous.map { share(value, $0) } ?? "")</td></tr>\n")
    }
    h.add("</tbody></table>\n</section>\n")
  }
}

/// The page being written, with the helpers every section uses.
struct HTMLWriter {
  var out = ""

  init() { out.reserveCapacity(1 << 16) }

  mutating func add(_ raw: String) { out += raw }

  /// Input text made safe for the page (see `HTMLText.escape`).
  func text(_ s: String) -> String { HTMLText.escape(s) }

  /// Opens a `<section>` with its heading; `wide` spans both columns on a desktop.
  mutating func section(_ id: String, _ title: String, wide: Bool = false) {
    add("<section id=\"\(id)\"\(wide ? " class=\"wide\"" : "")>\n<h2>\(title)</h2>\n")
  }

  /// A horizontal bar in a table cell: `value` as a share of `top`.
  mutating func bar(_ value: Double, of top: Double, tone: String) {
    let width = ReportNumbers.share(value, of: top) * 100
    add("<span class=\"bar\"><span class=\"\(tone)\" style=\"width:")
    add(ReportNumbers.fixed(width, 1) + "%\"></span></span>")
  }

  /// A table cell with a number, right-aligned; `optional` cells hide on a narrow screen.
  mutating func cell(_ text: String, optional: Bool = false) {
    add(optional ? "<td class=\"n o\">" : "<td class=\"n\">")
    add(text + "</td>")
  }

  mutating func headerCells(_ names: [String], optionalFrom: Set<Int> = []) {
    for (i, name) in names.enumerated() {
      add(optionalFrom.contains(i) ? "<th class=\"n o\">" : "<th class=\"n\">")
      add(name + "</th>")
    }
  }
}

/// Input text as it may appear in the page.
enum HTMLText {
  /// A text with no visible character is shown as escapes (`ReportText.unblank`), terminal
  /// controls and bidirectional overrides too (the text dashboard's rules, SPEC §8), then `& < > " '` become character references, and
  /// Unicode noncharacters (a parse error in HTML) become U+FFFD. The result is inert in
  /// element content and in quoted attribute values.
  static func escape(_ text: String) -> String {
    let visible = TerminalEscape.escape(ReportText.unblank(text))
    var out = String.UnicodeScalarView()
    for scalar in visible.unicodeScalars {
      switch scalar {
      case "&": out.append(contentsOf: "&amp;".unicodeScalars)
      case "<": out.append(contentsOf: "&lt;".unicodeScalars)
      case ">": out.append(contentsOf: "&gt;".unicodeScalars)
      case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
      case "'": out.append(contentsOf: "&#39;".unicodeScalars)
      default:
        let v = scalar.value
        if (0xFDD0...0xFDEF).contains(v) || v & 0xFFFE == 0xFFFE {
          out.append("\u{FFFD}")
        } else {
          out.append(scalar)
        }
      }
    }
    return String(out)
  }
}
