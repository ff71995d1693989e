/// How the dashboard writes numbers, shares and durations.
///
/// Written by hand because the tools use no Foundation (no `NumberFormatter`, no
/// `String(format:)`); every function is locale-independent, so a dashboard is the same on
/// every machine and the golden files stay stable.
enum ReportNumbers {
  /// A count rounded to an integer, with thousands separators: `12,345`.
  static func grouped(_ value: Double) -> String {
    guard value.isFinite, abs(value) < 9e18 else { return String(value) }
    let n = Int64(value.rounded())
    let digits = Array(String(n.magnitude))
    var out = n < 0 ? "-" : ""
    for (i, d) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(d)
    }
    return out
  }

  /// A count in at most six characters, for a column too narrow for `grouped`: `999`,
  /// `12.3k`, `123k`, `1.2M`, `12.3B`, `1.0T`.
  static func compact(_ value: Double) -> String {
    guard value.isFinite, value.magnitude >= 999.5 else { return grouped(value) }
    var scaled = value
    for unit in ["k", "M", "B"] {
      scaled /= 1000
      // Decided on the figure as written: 99,960 is `100k`, 999,600 is `1.0M`.
      if scaled.magnitude < 99.95 { return fixed(scaled, 1) + unit }
      if scaled.magnitude < 999.5 { return fixed(scaled, 0) + unit }
    }
    scaled /= 1000
    return (scaled.magnitude < 99.95 ? fixed(scaled, 1) : fixed(scaled, 0)) + "T"
  }

  /// A count on a chart's axis: `grouped`, with one decimal when it has a fraction and is
  /// under 1,000. The middle of an axis whose top is odd is `37.5`, not `38`: at a top of 1
  /// both the top and the middle line read `1`. From 1,000 the fraction is too small to
  /// matter and would only widen the label; from 100,000 the label is `compact` (`1.2M`,
  /// `617k`: six characters at most), as `1,234,567` reached past the page's left edge on a
  /// 375 px screen.
  static func axis(_ value: Double) -> String {
    if value.isFinite, value >= 99_999.5 { return compact(value) }
    guard value.isFinite, value >= 0, value < 999.95, value != value.rounded() else {
      return grouped(value)
    }
    return fixed(value, 1)
  }

  /// A number with a fixed count of decimals: `fixed(71.345, 1)` is `71.3`.
  static func fixed(_ value: Double, _ decimals: Int) -> String {
    let scale = (0..<decimals).reduce(1.0) { p, _ in p * 10 }
    guard value.isFinite, abs(value * scale) < 9e15 else { return String(value) }
    let n = Int64((value * scale).rounded())
    guard decimals > 0 else { return String(n) }
    let unit = Int64(scale)
    var fraction = String(n.magnitude % UInt64(unit))
    fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
    return (n < 0 ? "-" : "") + String(n.magnitude / UInt64(unit)) + "." + fraction
  }

  /// A change with its sign: `+12.3`, `-4.0`, `±0.0` (no sign on zero: nothing moved).
  static func signed(_ value: Double, decimals: Int) -> String {
    let text = fixed(abs(value), decimals)
    if text == fixed(0, decimals) { return "±" + text }
    return (value < 0 ? "-" : "+") + text
  }

  /// `value / top` within 0…1, for the length of a bar or the shade of a cell. Counts are
  /// finite, but a sum of two (received + sent in a heatmap cell) can overflow to infinity,
  /// and infinity over infinity is NaN, which no bar length can be made of: a value at the
  /// top is the whole bar.
  static func share(_ value: Double, of top: Double) -> Double {
    guard value > 0, top > 0 else { return 0 }
    let ratio = value / top
    return ratio.isNaN ? 1 : min(ratio, 1)
  }

  /// A ratio as a percentage with one decimal (`0.7326` is `73.3%`), or nil for no data.
  static func percent(_ ratio: Double?) -> String? {
    guard let ratio, ratio.isFinite else { return nil }
    return fixed(ratio * 100, 1) + "%"
  }

  /// A mean such as 9.42 messages: one decimal.
  static func decimal(_ value: Double?) -> String? {
    value.map { fixed($0, 1) }
  }

  /// A duration in the unit a person reads at a glance: `4.2s`, `42s`, `4m 05s`, `2h 05m`,
  /// `3d 04h`. Sub-second precision matters only under ten seconds.
  static func duration(seconds: Double?) -> String? {
    guard let seconds, seconds.isFinite, seconds >= 0 else { return nil }
    if seconds < 9.95 { return fixed(seconds, 1) + "s" }
    guard seconds < 9e15 else { return String(seconds) + "s" }
    let s = Int64(seconds.rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m " + twoDigits(s % 60) + "s" }
    let m = (s + 30) / 60
    if m < 24 * 60 { return "\(m / 60)h " + twoDigits(m % 60) + "m" }
    // From the seconds, not from the rounded minutes: rounding twice made 2h 29m 45s an hour
    // longer (6d 02h 29m 45s was "6d 03h").
    let h = (s + 1800) / 3600
    return "\(h / 24)d " + twoDigits(h % 24) + "h"
  }

  private static func twoDigits(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
}

/// How many terminal columns text takes.
///
/// Most characters take one; East Asian wide characters and emoji take two; combining marks
/// and zero-width characters take none. This is enough to keep a table aligned when an agent
/// id holds such characters (control characters never get here: they are escaped first).
enum DisplayWidth {
  static func of(_ text: String) -> Int {
    var width = 0
    for scalar in text.unicodeScalars { width += of(scalar) }
    return width
  }

  static func of(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v < 0x300 { return 1 }
    switch v {
    case 0x300...0x36F, 0x200B...0x200D, 0x20D0...0x20FF, 0xFE00...0xFE0F, 0xE0100...0xE01EF:
      return 0
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
      return 2
    default:
      return 1
    }
  }

  /// The longest prefix of `text` that fits `width` columns; when text had to be cut, the
  /// prefix ends with `ellipsis` (which is counted in the width).
  static func truncate(_ text: String, to width: Int, ellipsis: String) -> String {
    guard of(text) > width else { return text }
    let room = width - of(ellipsis)
    guard room >= 0 else { return "" }
    var out = String.UnicodeScalarView()
    var used = 0
    for scalar in text.unicodeScalars {
      let w = of(scalar)
      if used + w > room { break }
      out.append(scalar)
      used += w
    }
    return String(out) + ellipsis
  }
}

/// Text from the input made safe for the dashboard: terminal controls escaped (SPEC §8), and
/// with `--ascii`, non-ASCII characters folded to ASCII.
enum ReportText {
  static func safe(_ text: String, ascii: Bool) -> String {
    let escaped = TerminalEscape.escape(unblank(text))
    return ascii ? fold(escaped) : escaped
  }

  /// A label that would show as nothing, made visible: when every character of a non-empty
  /// text is whitespace or invisible (U+0020, U+00A0, U+200B, U+2060, U+FEFF, U+3164, …:
  /// white space, format and control characters, default-ignorable code points), each is
  /// written `\u200B` (`\u{E0020}` past U+FFFF), as the tools write control characters. An
  /// agent id of U+200B and a template named with three spaces were rows with no name in the
  /// text dashboard, on the page and in the CSV tables (where an empty field means "no
  /// value"); they are `\u200B` and `\u0020\u0020\u0020` in all three now. A text with one
  /// visible character is kept as it is, and an empty one stays empty (no value).
  static func unblank(_ text: String) -> String {
    guard !text.isEmpty, text.unicodeScalars.allSatisfy(isInvisible) else { return text }
    return text.unicodeScalars.map { scalar in
      let hex = String(scalar.value, radix: 16, uppercase: true)
      return scalar.value > 0xFFFF
        ? "\\u{" + hex + "}" : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }.joined()
  }

  private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
    let p = scalar.properties
    switch p.generalCategory {
    case .format, .control, .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
    default: return p.isWhitespace || p.isDefaultIgnorableCodePoint || scalar.value == 0x2800
    }
  }

  /// Latin letters lose their accents (`Côte d'Ivoire` → `Cote d'Ivoire`, `Åland` →
  /// `Aland`); any other non-ASCII character becomes `?`, so `--ascii` output is pure ASCII.
  static func fold(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if scalar.isASCII {
        out.append(scalar)
      } else if let folded = latin(scalar.value) {
        out.append(contentsOf: folded.unicodeScalars)
      } else if DisplayWidth.of(scalar) > 0 {
        out.append("?")
      }
    }
    return String(out)
  }

  /// Latin-1 Supplement letters (U+00C0–U+00FF) without their marks.
  private static let supplement = Array(
    "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTs" + "aaaaaaaceeeeiiiidnooooo/ouuuuyty")
  /// Latin Extended-A (U+0100–U+017F), 64 letters a line.
  private static let extendedA = Array(
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlL"
      + "lNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs")

  private static func latin(_ v: UInt32) -> String? {
    switch v {
    case 0xC6: return "AE"
    case 0xE6: return "ae"
    case 0xDF: return "ss"
    case 0xC0...0xFF: return String(supplement[Int(v - 0xC0)])
    case 0x100...0x17F: return String(extendedA[Int(v - 0x100)])
    default: return nil
    }
  }
}
