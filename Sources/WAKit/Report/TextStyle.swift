/// The look of the text dashboard: Unicode blocks or plain ASCII, with or without colour.
struct TextStyle: Equatable, Sendable {
  /// ANSI colours (only on a terminal, never with `NO_COLOR`; the caller decides).
  var color: Bool
  /// Only ASCII bytes in the output (`--ascii`).
  var ascii: Bool

  init(color: Bool = false, ascii: Bool = false) {
    self.color = color
    self.ascii = ascii
  }
}

/// The characters the dashboard draws with, in its two flavours.
struct Glyphs {
  /// Horizontal bar cells in eighths: index 8 is a full cell.
  let horizontal: [String]
  /// Vertical bar cells in eighths, bottom up.
  let vertical: [String]
  /// Heatmap cells: no activity, then four levels of intensity.
  let shades: [String]
  let arrow: String
  let separator: String
  let noData: String
  let ellipsis: String
  let axisTick: String
  let axisLine: String
  let axisCorner: String
  let axisRule: String
  let rule: String
  let times: String
  /// The sign of a change of zero (`±0`).
  let plusMinus: String

  static let unicode = Glyphs(
    horizontal: ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
    vertical: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
    shades: [" · ", "░░░", "▒▒▒", "▓▓▓", "███"],
    arrow: "→", separator: " · ", noData: "–", ellipsis: "…", axisTick: "┤", axisLine: "│",
    axisCorner: "└", axisRule: "─", rule: "─", times: "×", plusMinus: "±")

  static let ascii = Glyphs(
    horizontal: ["", "", "", "", "#", "#", "#", "#", "#"],
    vertical: [" ", ".", ".", ".", ":", ":", ":", "#", "#"],
    shades: [" . ", "---", "+++", "***", "###"],
    arrow: "->", separator: " | ", noData: "-", ellipsis: "~", axisTick: "+", axisLine: "|",
    axisCorner: "+", axisRule: "-", rule: "-", times: "x", plusMinus: "+/-")
}

/// What a piece of text means, which decides its colour.
enum Tone: Equatable {
  case plain, title, heading, label, value, received, sent, failed
  case heat(Int)

  var sgr: String {
    switch self {
    case .plain: return ""
    case .title: return "1;36"
    case .heading: return "1"
    case .label: return "2"
    case .value: return "1"
    case .received: return "36"
    case .sent: return "32"
    case .failed: return "31"
    case .heat(let level): return ["2", "32", "32", "33", "31"][min(max(level, 0), 4)]
    }
  }
}

/// One line of the dashboard under construction.
///
/// Tracks the display width apart from the colour codes, so columns line up with or without
/// colour, and never grows past the canvas width: text that would is cut. So the dashboard
/// fits its width whatever the input holds (very long agent ids, huge numbers).
struct Row {
  private(set) var text = ""
  private(set) var width = 0
  let limit: Int
  let color: Bool
  /// The tone of the last piece, so that a run of one colour gets one pair of codes.
  private var lastTone = Tone.plain

  init(limit: Int, color: Bool) {
    self.limit = limit
    self.color = color
  }

  /// Appends text, cut at the limit.
  mutating func put(_ s: String, _ tone: Tone = .plain) {
    guard width < limit, !s.isEmpty else { return }
    var piece = s
    var w = DisplayWidth.of(s)
    if width + w > limit {
      piece = DisplayWidth.truncate(s, to: limit - width, ellipsis: "")
      w = DisplayWidth.of(piece)
    }
    let reset = "\u{1B}[0m"
    if !color || tone.sgr.isEmpty {
      text += piece
    } else if tone == lastTone && text.hasSuffix(reset) {
      text.removeLast(reset.count)
      text += piece + reset
    } else {
      text += "\u{1B}[" + tone.sgr + "m" + piece + reset
    }
    lastTone = tone
    width += w
  }

  /// Spaces up to `column` (nothing if already there).
  mutating func pad(to column: Int) {
    if column > width { put(String(repeating: " ", count: column - width)) }
  }

  /// `s` left-aligned in `columns`, cut with `ellipsis` when longer.
  mutating func left(_ s: String, _ columns: Int, _ tone: Tone = .plain, ellipsis: String) {
    let start = width
    put(DisplayWidth.truncate(s, to: columns, ellipsis: ellipsis), tone)
    pad(to: start + columns)
  }

  /// `s` right-aligned in `columns` (numbers).
  mutating func right(_ s: String, _ columns: Int, _ tone: Tone = .plain) {
    let w = DisplayWidth.of(s)
    if w < columns { put(String(repeating: " ", count: columns - w)) }
    put(s, tone)
  }
}

/// The lines of one rendering.
struct Canvas {
  let width: Int
  let style: TextStyle
  let glyphs: Glyphs
  private(set) var lines: [String] = []

  init(width: Int, style: TextStyle) {
    self.width = width
    self.style = style
    self.glyphs = style.ascii ? .ascii : .unicode
  }

  func row() -> Row { Row(limit: width, color: style.color) }

  mutating func add(_ row: Row) {
    // Trailing spaces are invisible and would only make golden files fragile.
    var text = row.text
    while text.last == " " { text.removeLast() }
    lines.append(text)
  }

  mutating func add(_ text: String, _ tone: Tone = .plain) {
    var r = row()
    r.put(text, tone)
    add(r)
  }

  mutating func blank() { lines.append("") }

  /// A section title: `Title ───── note`, spanning the width.
  mutating func heading(_ title: String, note: String = "") {
    blank()
    var r = row()
    r.put(title, .heading)
    r.put(" ")
    let noteWidth = note.isEmpty ? 0 : DisplayWidth.of(note) + 1
    let ruleWidth = max(3, width - r.width - noteWidth)
    r.put(String(repeating: glyphs.rule, count: ruleWidth), .label)
    if !note.isEmpty {
      r.put(" ")
      r.put(note, .label)
    }
    add(r)
  }

  /// A bar of `value / maximum` of `columns` cells, in eighths of a cell (whole cells in
  /// ASCII). A value above zero always shows at least a sliver.
  func bar(_ value: Double, of maximum: Double, columns: Int) -> String {
    guard maximum > 0, value > 0 else { return "" }
    var eighths = Int((ReportNumbers.share(value, of: maximum) * Double(columns * 8)).rounded())
    if style.ascii { eighths = (eighths + 4) / 8 * 8 }
    eighths = max(eighths, style.ascii ? 8 : 1)
    let full = String(repeating: glyphs.horizontal[8], count: eighths / 8)
    return full + glyphs.horizontal[eighths % 8]
  }

  /// The rendering: lines ended by `\n`.
  var text: String { lines.map { $0 + "\n" }.joined() }
}
