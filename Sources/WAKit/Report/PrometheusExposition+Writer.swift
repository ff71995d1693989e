extension PrometheusExposition {
  /// Writes metric families in the text format: `# HELP`, `# TYPE`, then the samples, each
  /// family in one block (promtool rejects a family split in two).
  struct Writer {
    enum Kind: String {
      case counter, gauge, summary
    }

    /// One labelled summary: quantile samples (nil: no sample), `_sum` and `_count`.
    struct Summary {
      var labels: [(String, String)]
      var quantiles: [(String, Double?)]
      var sum: Double
      var count: Double
    }

    /// Label pairs and a value; a nil value is no sample.
    typealias Sample = (labels: [(String, String)], value: Double?)

    private(set) var text = ""

    init() {
      text.reserveCapacity(1 << 15)
    }

    /// A family with a single unlabelled sample.
    mutating func one(_ name: String, _ kind: Kind, _ help: String, _ value: Double?) {
      family(name, kind, help, [([], value)])
    }

    mutating func family(_ name: String, _ kind: Kind, _ help: String, _ samples: [Sample]) {
      guard samples.contains(where: { $0.value != nil }) else { return }
      text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
      for sample in samples { write(name, sample) }
    }

    /// A summary family: for each label set, its quantiles, then `_sum` and `_count`.
    mutating func summary(_ name: String, _ help: String, _ items: [Summary]) {
      guard !items.isEmpty else { return }
      text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) summary\n"
      for item in items {
        for (q, v) in item.quantiles { write(name, (item.labels + [("quantile", q)], v)) }
        write(name + "_sum", (item.labels, item.sum))
        write(name + "_count", (item.labels, item.count))
      }
    }

    private mutating func write(_ name: String, _ sample: Sample) {
      guard let value = sample.value else { return }
      text += name
      if !sample.labels.isEmpty {
        text += "{"
        for (i, (label, v)) in sample.labels.enumerated() {
          if i > 0 { text += "," }
          text += label + "=\"" + labelValue(v) + "\""
        }
        text += "}"
      }
      text += " " + Self.value(value) + "\n"
    }

    /// A label value: every one goes through `PrometheusExposition.input` (its controls
    /// written `\u0007`, its backslashes doubled), then is escaped as the format requires
    /// (`\\`, `\"`, `\n`). One rule for every label, whatever the output: agents and countries
    /// kept control characters raw in a file while templates and campaigns escaped them.
    func labelValue(_ raw: String) -> String {
      Self.escapeLabel(PrometheusExposition.input(raw))
    }

    static func escapeLabel(_ s: String) -> String {
      guard s.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return s }
      var out = ""
      for ch in s.unicodeScalars {
        switch ch {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        default: out.unicodeScalars.append(ch)
        }
      }
      return out
    }

    /// HELP text escapes only `\` and newline.
    static func escapeHelp(_ s: String) -> String {
      var out = ""
      for ch in s.unicodeScalars {
        switch ch {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        default: out.unicodeScalars.append(ch)
        }
      }
      return out
    }

    /// Integers without a fraction (`42`, not `42.0`); other values in Swift's shortest
    /// round-trip form, which Go's `ParseFloat` reads back exactly.
    static func value(_ v: Double) -> String {
      if v.isNaN { return "NaN" }
      if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
      if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
      return String(v)
    }
  }
}
