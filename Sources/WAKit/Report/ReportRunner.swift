/// Runs wa-report: reads snapshot lines from the inputs and renders each one (SPEC §6).
///
/// - Every snapshot is rendered, in order: to standard output (text renderings separated by
///   a blank line), or with `--output` to FILE by atomic replace, so FILE always holds the
///   latest one. A stream of window records only (`--no-snapshots`) is rendered once at the
///   end (its latest window, with the trend), and with `--output` or `--watch` when it pauses.
/// - `--watch` on a terminal draws frames instead: the cursor goes home, each line clears
///   its rest, the screen below is cleared. Only the latest snapshot is drawn, once the
///   input has nothing more ready (a backlog is not animated), cut to the terminal's height.
/// - A line that is not a snapshot is reported with its file and line number; the next one
///   is still rendered; the exit status is then 1. An unreadable input or a failed write is
///   3; a closed pipe stops quietly (SPEC §8). A write to FILE that fails is reported and
///   retried at the next snapshot (a full disk may recover), and the status is 3.
struct ReportRunner {
  let tool: String
  let options: ReportOptions
  let terminal: ReportTerminal
  let stderr: OutputBuffer

  init(
    tool: String = "wa-report", options: ReportOptions, terminal: ReportTerminal,
    stderr: OutputBuffer
  ) {
    self.tool = tool
    self.options = options
    self.terminal = terminal
    self.stderr = stderr
  }

  /// How snapshots become text.
  var renderer: (ReportState) -> String {
    let toScreen = options.outputPath == nil && terminal.isTerminal
    switch options.format {
    case .text:
      let style = TextStyle(
        color: toScreen && !terminal.noColor && !terminal.dumb, ascii: options.ascii)
      let dashboard = TextDashboard(style: style)
      return { dashboard.render($0) }
    case .prometheus:
      let exposition = PrometheusExposition()
      return { exposition.render($0.current) }
    case .html:
      let page = HTMLDashboard(refreshSeconds: options.refreshSeconds)
      return { page.render($0) }
    case .csv:
      let table = CSVTable(name: options.table ?? .agents)
      return { table.render($0) }
    }
  }

  /// Reads every input and returns the exit status.
  func run(stdout: OutputBuffer) -> ExitStatus {
    let frames = options.watch && options.outputPath == nil && terminal.isTerminal && !terminal.dumb
    var handler = ReportHandler(
      tool: tool, render: renderer, stdout: stdout, stderr: stderr,
      outputPath: options.outputPath, separateTexts: options.format == .text,
      frameRows: frames ? (terminal.rows ?? 0) : nil,
      wholeState: options.format == .html || options.format == .csv, watch: options.watch,
      rendersWindows: options.format != .prometheus)
    guard let reader = LineReader(allocatingFor: options.maxLineBytes) else {
      stderr.write("\(tool): \(LineReader.allocationFailure(options.maxLineBytes))\n")
      stderr.flush()
      return .ioFailure
    }
    let outcome = InputLoop.read(
      options.inputs, with: reader, into: &handler, tool: tool, stderr: stderr)
    var ioFailed = outcome.unreadable > 0
    handler.writeWindows(atEnd: true)
    if handler.windowsNotRendered {
      stderr.write(
        "\(tool): the input holds window records and no snapshot: Prometheus output renders "
          + "snapshots only, its counters never going down (run wa-aggregate without "
          + "--no-snapshots)\n")
    }
    handler.drawFrame()
    handler.writeState(atEnd: true)
    stdout.flush()
    if let failure = stdout.failure, failure != .closedPipe {
      stderr.write("\(tool): \(failure.message)\n")
      ioFailed = true
    }
    stderr.flush()
    return ExitStatus.of(rejected: handler.badLines, ioFailed: ioFailed || handler.fileFailed)
  }
}

/// The per-line work of wa-report.
struct ReportHandler: InputLineHandler {
  let tool: String
  let decoder = SnapshotDecoder()
  let render: (ReportState) -> String
  let stdout: OutputBuffer
  let stderr: OutputBuffer
  let outputPath: String?
  /// Text dashboards on one stream are separated by a blank line.
  let separateTexts: Bool
  /// Terminal rows at start when drawing `--watch` frames (0: unknown), nil otherwise; each
  /// frame asks again, as the terminal may have been resized.
  let frameRows: Int?
  /// HTML and CSV render the whole state, not one snapshot: to standard output once, at the
  /// end of input (two pages or two CSV tables in one stream would be neither); with
  /// `--output`, FILE is replaced whenever the input pauses with something new, and at the
  /// end, so a backlog is not rendered line by line but a live pipeline stays current.
  let wholeState: Bool
  private var stateChanged = false
  /// A stream of window records only (`wa-aggregate --no-snapshots`) has no snapshot to
  /// render at: its latest window (and the trend) is rendered like the whole-state formats,
  /// once at the end of input, and when a live input pauses with `--output` or `--watch`, so
  /// a backlog of windows is not drawn once per record.
  private var windowsUnrendered = false
  /// `--watch`: off a terminal (or under `TERM=dumb`) it draws no frames but renders in turn,
  /// so a stream of window records only is rendered whenever the input pauses there too.
  let watch: Bool
  /// The Prometheus exposition renders snapshots only: its counters must never go down, and a
  /// window's numbers start again at each window (docs/windows.md). It rendered the latest
  /// window of a windows-only stream as `_total` counters, which then dropped at each window.
  let rendersWindows: Bool
  /// Window records came, no snapshot, and the format renders no windows: said at the end.
  var windowsNotRendered: Bool {
    !rendersWindows && !state.windows.isEmpty && state.snapshot == nil
  }
  var source = "<stdin>"
  var state = ReportState()
  var rendered = 0
  var badLines = 0
  var fileFailed = false
  private var lastFileError: String? = nil
  private var lastBadLine: String? = nil
  private var pendingFrame: String? = nil
  private var lastFrame: String? = nil

  init(
    tool: String, render: @escaping (ReportState) -> String, stdout: OutputBuffer,
    stderr: OutputBuffer, outputPath: String?, separateTexts: Bool, frameRows: Int?,
    wholeState: Bool = false, watch: Bool = false, rendersWindows: Bool = true
  ) {
    self.wholeState = wholeState
    self.rendersWindows = rendersWindows
    self.watch = watch
    self.tool = tool
    self.render = render
    self.stdout = stdout
    self.stderr = stderr
    self.outputPath = outputPath
    self.separateTexts = separateTexts
    self.frameRows = frameRows
  }

  mutating func handle(_ line: Line) -> Flow {
    if line.isBlank {
      return .proceed
    }
    let record: ReportRecord
    do throws(SnapshotError) {
      if line.isTruncated {
        throw SnapshotError("longer than --max-line-bytes (\(line.length) bytes)")
      }
      record = try decoder.decodeRecord(line.bytes)
    } catch {
      badLines += 1
      let place = "\(TerminalEscape.escape(source)):\(line.number)"
      let text = "\(place): not a snapshot: \(TerminalEscape.escape(error.message))"
      stderr.write("\(tool): \(text)\n")
      lastBadLine = text
      // Redraw the last frame so that its notice of bad lines is up to date.
      if frameRows != nil, pendingFrame == nil { pendingFrame = lastFrame }
      return .proceed
    }
    state.add(record)
    if wholeState {
      stateChanged = true
      return .proceed
    }
    // The text dashboard and the exposition render each snapshot; window and conversation
    // records are kept in the state for the renderers that show them.
    guard case .snapshot = record else {
      if case .window = record, state.snapshot == nil { windowsUnrendered = rendersWindows }
      return .proceed
    }
    windowsUnrendered = false
    emit(render(state))
    return stdout.failure == nil ? .proceed : .stop
  }

  private mutating func emit(_ text: String) {
    defer { rendered += 1 }
    if frameRows != nil {
      pendingFrame = text
      return
    }
    guard let path = outputPath else {
      if separateTexts && rendered > 0 { stdout.write(byte: 0x0A) }
      stdout.write(text)
      return
    }
    do {
      try AtomicFile.replace(path, with: text)
      lastFileError = nil
    } catch {
      fileFailed = true
      let message = TerminalEscape.escape(error.message)
      if message != lastFileError { stderr.write("\(tool): \(message)\n") }
      lastFileError = message
    }
  }

  /// Draws the latest `--watch` frame, if a new one is waiting.
  mutating func drawFrame() {
    guard let knownRows = frameRows, let text = pendingFrame else { return }
    let size = ReportTerminal.currentSize()
    let rows = size.rows ?? knownRows
    pendingFrame = nil
    lastFrame = text
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last == "" { lines.removeLast() }
    // Diagnostics on stderr are overwritten by the next frame: say so at the top of it.
    if let bad = lastBadLine {
      let plural = badLines == 1 ? " was" : "s were"
      let notice = "\(tool): \(badLines) line\(plural) not a snapshot; last: \(bad)"
      let cut = DisplayWidth.truncate(notice, to: TextDashboard.defaultWidth, ellipsis: "...")
      lines.insert(Substring(cut), at: 0)
    }
    // The dashboard is 100 columns wide: on a narrower terminal a line wraps onto two rows,
    // and a frame cut by its count of lines scrolled the screen.
    let columns = size.columns ?? 0
    let heights = lines.map { ReportTerminal.rowsTaken(by: $0, columns: columns) }
    if rows > 1 && heights.reduce(0, +) > rows - 1 {
      var kept = 0
      var used = 0
      while kept < lines.count, used + heights[kept] <= rows - 2 {
        used += heights[kept]
        kept += 1
      }
      let hidden = lines.count - kept
      lines = Array(lines.prefix(kept))
      lines.append("... \(hidden) more lines: a taller terminal shows them")
    }
    stdout.write("\u{1B}[H")
    for line in lines {
      stdout.write(String(line))
      stdout.write("\u{1B}[K\n")
    }
    stdout.write("\u{1B}[J")
  }

  /// Renders the whole state (HTML, CSV) if it changed: at the end of input, and with
  /// `--output` whenever the input pauses.
  mutating func writeState(atEnd: Bool) {
    guard wholeState, stateChanged || (atEnd && rendered == 0) else { return }
    guard atEnd || outputPath != nil else { return }
    stateChanged = false
    emit(render(state))
  }

  /// Renders a stream that has window records but no snapshot, if a new window arrived.
  mutating func writeWindows(atEnd: Bool) {
    guard windowsUnrendered, atEnd || outputPath != nil || frameRows != nil || watch else {
      return
    }
    windowsUnrendered = false
    emit(render(state))
  }

  mutating func inputIdle() -> Int32 {
    writeState(atEnd: false)
    writeWindows(atEnd: false)
    drawFrame()
    stdout.flush()
    stderr.flush()
    return -1
  }
}
