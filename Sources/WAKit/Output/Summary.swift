/// The end-of-run account of every line (SPEC §1: lines = blank + rejected + valid; with
/// batches and foreign lines, SPEC §2: lines − batches + batchItems = blank + rejected +
/// foreign + valid, where rejected, foreign and valid count batch elements one by one).
///
/// Counts by code are counts of problems: a line missing two fields adds two to
/// `missing_field`. `warnings` counts the warnings of valid lines; under `--strict` they
/// reject the line and are counted by code as `warning:<name>` instead.
struct Summary: Equatable, Sendable {
  var lines = 0
  var valid = 0
  var rejected = 0
  var blank = 0
  var warnings = 0
  /// Batch lines (`{"batch":[…]}`), and the elements they held.
  var batches = 0
  var batchItems = 0
  /// Foreign lines and elements (not WhatsApp track events) skipped or passed through
  /// under `--foreign skip|pass`.
  var foreign = 0
  /// Inputs that could not be opened or read.
  var unreadableInputs = 0
  var errorCounts = [Int](repeating: 0, count: ProblemCode.allCases.count)
  /// Warnings that rejected a line (`--strict`).
  var strictWarningCounts = [Int](repeating: 0, count: WarningCode.allCases.count)
  /// Warnings of valid lines.
  var warningCounts = [Int](repeating: 0, count: WarningCode.allCases.count)

  init() {}

  /// Counts the problems of a rejected line.
  mutating func countRejected(_ problems: [Problem]) {
    rejected += 1
    for p in problems {
      switch p.code {
      case .error(let c): errorCounts[Int(c.rawValue)] += 1
      case .warning(let w): strictWarningCounts[Int(w.rawValue)] += 1
      }
    }
  }

  /// Counts the warnings of a valid line.
  mutating func countWarnings(_ problems: [Problem]) {
    for p in problems {
      if case .warning(let w) = p.code {
        warnings += 1
        warningCounts[Int(w.rawValue)] += 1
      }
    }
  }

  /// Rejection codes with their counts, in the order of SPEC §2, non-zero only.
  var rejectedByCode: [(String, Int)] {
    var list: [(String, Int)] = []
    for c in ProblemCode.allCases where errorCounts[Int(c.rawValue)] > 0 {
      list.append((c.name, errorCounts[Int(c.rawValue)]))
    }
    for w in WarningCode.allCases where strictWarningCounts[Int(w.rawValue)] > 0 {
      list.append(("warning:" + w.name, strictWarningCounts[Int(w.rawValue)]))
    }
    return list
  }

  var warningsByCode: [(String, Int)] {
    WarningCode.allCases.filter { warningCounts[Int($0.rawValue)] > 0 }
      .map { ($0.name, warningCounts[Int($0.rawValue)]) }
  }

  /// The one summary line for stderr, e.g.
  /// `wa-validate: 3512 lines: 3420 valid, 80 rejected, 12 blank, 31 warnings; rejected:
  /// missing_field 20, invalid_json 12; warnings: unknown_content_type 9`.
  func text(tool: String, validWord: String = "valid") -> String {
    var s = "\(tool): \(lines) lines"
    // Batches and foreign lines only when there are some: the line stays as it was for the
    // streams of version 1.
    if batches > 0 {
      s += " (\(batches) batch\(batches == 1 ? "" : "es") of \(batchItems) items)"
    }
    s += ": \(valid) \(validWord), \(rejected) rejected, \(blank) blank, "
    if foreign > 0 { s += "\(foreign) foreign, " }
    s += "\(warnings) warning\(warnings == 1 ? "" : "s")"
    let codes = rejectedByCode
    if !codes.isEmpty {
      s += "; rejected: " + codes.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }
    let warned = warningsByCode
    if !warned.isEmpty {
      s += "; warnings: " + warned.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }
    if unreadableInputs > 0 { s += "; \(unreadableInputs) input(s) could not be read" }
    return s
  }

  /// The summary as one JSON object (`--summary-json`):
  /// `{"tool":…,"version":…,"lines":…,"valid":…,"rejected":…,"blank":…,"foreign":…,
  /// "batches":…,"batchItems":…,"warnings":…,"rejectedByCode":{…},"warningsByCode":{…},
  /// "unreadableInputs":…}`.
  func json(tool: String, version: String) -> String {
    let object = Self.countsObject
    return "{\"tool\":\"\(tool)\",\"version\":\"\(version)\",\"lines\":\(lines),\"valid\":\(valid),"
      + "\"rejected\":\(rejected),\"blank\":\(blank),\"foreign\":\(foreign),"
      + "\"batches\":\(batches),\"batchItems\":\(batchItems),\"warnings\":\(warnings),"
      + "\"rejectedByCode\":\(object(rejectedByCode)),\"warningsByCode\":\(object(warningsByCode)),"
      + "\"unreadableInputs\":\(unreadableInputs)}"
  }

  /// Counts by name as a JSON object, `{"missing_field":20,…}`, in the order given. The
  /// names are the tools' own codes and reasons, which need no escaping.
  static func countsObject(_ pairs: [(String, Int)]) -> String {
    "{" + pairs.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
  }
}
