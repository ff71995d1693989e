/// `--rate-card FILE`: what a billable message costs, per country and pricing category (SPEC §5
/// version 2, `cost`).
///
/// A CSV file with the header `country,category,price,currency` (columns in any order, names
/// case-insensitive); lines that are blank or start with `#` are comments. `country` is an
/// ISO code or `*` (every country without a row of its own); `price` is a decimal number ≥ 0
/// per message with at most 6 decimals; one currency for the whole card. Prices are kept in
/// millionths of the currency unit, so sums are exact and shards merge without rounding.
struct RateCard: Sendable, Equatable {
  /// Micro-units per currency unit.
  static let scale = 1_000_000
  static let wildcard: UInt16 = 0

  let currency: String
  /// The card's content in one line for the state files' options fingerprint (`--merge` of
  /// shards priced with other cards is refused): currency, rows, and a hash of the sorted
  /// rows, so that reordering rows or comments changes nothing.
  private(set) var fingerprint = ""
  /// Prices in micro-units, keyed by `key(category:country:)`.
  private var prices: [UInt64: Int] = [:]

  var count: Int { prices.count }

  @inline(__always)
  static func key(category: UInt64, country: UInt16) -> UInt64 {
    category &+ UInt64(country) &* 0x9E37_79B9_7F4A_7C15
  }

  /// The price of a billable message of this category (hash of its bytes) in this country:
  /// the country's own row, else the `*` row, else nil (unpriced).
  @inline(__always)
  func price(category: UInt64, country: RegionCode) -> Int? {
    prices[Self.key(category: category, country: country.rawValue)]
      ?? prices[Self.key(category: category, country: Self.wildcard)]
  }

  /// Reads and checks a rate card file.
  static func load(path: String) throws(UsageError) -> RateCard {
    let bytes: [UInt8]
    do {
      bytes = try readFile(path)
    } catch {
      // An open failure names the file; a read failure (a directory, a card over 16 MiB)
      // did not: "--rate-card: read failed: Is a directory".
      if case .openFailed = error {
        throw UsageError("--rate-card: \(TerminalEscape.escape(error.message))")
      }
      throw UsageError(
        "--rate-card \(TerminalEscape.escape(path)): \(TerminalEscape.escape(error.message))")
    }
    return try parse(bytes, name: path)
  }

  /// Parses a rate card; errors name the file and line.
  static func parse(_ bytes: [UInt8], name: String) throws(UsageError) -> RateCard {
    let shown = TerminalEscape.escape(name)
    func fail(_ line: Int, _ message: String) -> UsageError {
      UsageError("--rate-card \(shown):\(line): \(message)")
    }
    var columns: [String: Int]? = nil
    var currency: String? = nil
    var prices: [UInt64: Int] = [:]
    var seen: [UInt64: Int] = [:]  // key → line, for duplicates
    var rows: [String] = []  // canonical, for the fingerprint
    var lineNumber = 0
    // A byte-order mark, kept, hid the header's first column.
    let body = LineReader.withoutByteOrderMark(bytes)
    for rawLine in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
      lineNumber += 1
      var text = String(decoding: rawLine, as: UTF8.self)
      if text.hasSuffix("\r") { text.removeLast() }
      let trimmed = trim(text)
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false).map {
        trim(String($0))
      }
      guard let cols = columns else {
        var found: [String: Int] = [:]
        for (i, f) in fields.enumerated() {
          // Two columns of one name: which one holds the prices would be a guess.
          guard found.updateValue(i, forKey: f.lowercased()) == nil || f.isEmpty else {
            throw fail(lineNumber, "column '\(TerminalEscape.escape(f))' twice in the header")
          }
        }
        for required in ["country", "category", "price", "currency"] where found[required] == nil {
          throw fail(
            lineNumber, "missing column '\(required)' (header: country,category,price,currency)")
        }
        columns = found
        continue
      }
      func field(_ name: String) -> String {
        let i = cols[name]!
        return i < fields.count ? fields[i] : ""
      }
      guard fields.count >= cols.count else {
        throw fail(lineNumber, "\(fields.count) fields where the header has \(cols.count)")
      }
      let countryText = field("country")
      let country: UInt16
      if countryText == "*" {
        country = wildcard
      } else if let code = RegionCode(countryText), ISO3166.isAssigned(code) {
        // Assigned codes only: a row for `UK` (Britain is GB) or `XX` would match no message
        // and leave its prices silently unused.
        country = code.rawValue
      } else {
        throw fail(
          lineNumber,
          "country '\(TerminalEscape.escape(countryText))' is not an assigned ISO 3166-1 code "
            + "nor *")
      }
      // Meta's webhooks write categories in lower case and its price list capitalises them
      // (`Marketing`): a row taken as written would match no message, its price unused.
      let category = field("category").lowercased()
      guard !category.isEmpty else { throw fail(lineNumber, "empty category") }
      let priceText = field("price")
      guard let price = micros(priceText) else {
        let what =
          priceText.hasPrefix("-") ? "is negative" : "is not a number ≥ 0 (6 decimals at most)"
        throw fail(lineNumber, "price '\(TerminalEscape.escape(priceText))' \(what)")
      }
      let unit = field("currency")
      guard !unit.isEmpty else { throw fail(lineNumber, "empty currency") }
      if let currency, currency != unit {
        throw fail(
          lineNumber,
          "currency \(TerminalEscape.escape(unit)) differs from \(TerminalEscape.escape(currency)) "
            + "(one currency per rate card)")
      }
      currency = unit
      let key = Self.key(category: Hash64.hash(category), country: country)
      if let first = seen[key] {
        throw fail(
          lineNumber,
          "a second row for \(TerminalEscape.escape(countryText))/"
            + "\(TerminalEscape.escape(category)) (first at line \(first))")
      }
      seen[key] = lineNumber
      prices[key] = price
      rows.append("\(countryText.uppercased()),\(category),\(price)")
    }
    guard columns != nil else {
      throw fail(lineNumber, "no header line (country,category,price,currency)")
    }
    guard let currency else { throw fail(lineNumber, "no rates") }
    var card = RateCard(currency: currency)
    card.prices = prices
    let digest = Hash64.hash(rows.sorted().joined(separator: "\n"), seed: Hash64.hash(currency))
    let hex = String(digest, radix: 16)
    card.fingerprint =
      "\(TerminalEscape.escape(currency)) \(rows.count) rows "
      + String(repeating: "0", count: 16 - hex.count) + hex
    return card
  }

  private init(currency: String) { self.currency = currency }

  /// A plain decimal (`0.0107`, `2`, `.5`) in micro-units; nil for anything else.
  static func micros(_ text: String) -> Int? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, !text.isEmpty, text != "." else { return nil }
    let whole = parts[0]
    let fraction = parts.count == 2 ? parts[1] : ""
    guard fraction.count <= 6, whole.count <= 12,
      whole.allSatisfy({ $0.isASCII && $0.isNumber }),
      fraction.allSatisfy({ $0.isASCII && $0.isNumber })
    else { return nil }
    let w = whole.isEmpty ? 0 : Int(whole)!
    let f =
      fraction.isEmpty ? 0 : Int(fraction + String(repeating: "0", count: 6 - fraction.count))!
    return w * scale + f
  }

  /// Micro-units as a plain decimal without trailing zeros (`32100` → `0.0321`).
  static func decimal(_ micros: Int) -> String {
    let sign = micros < 0 ? "-" : ""
    let m = micros.magnitude
    let whole = m / UInt(scale)
    var fraction = String(m % UInt(scale))
    fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
  }

  private static func trim(_ s: String) -> String {
    var t = Substring(s)
    while let c = t.first, c == " " || c == "\t" { t.removeFirst() }
    while let c = t.last, c == " " || c == "\t" { t.removeLast() }
    return String(t)
  }

  private static func readFile(_ path: String) throws(IOError) -> [UInt8] {
    let fd = try FileDescriptor.openForReading(path)
    defer { fd.close() }
    return try fd.readAll(limit: 16 << 20)  // a rate card is small: refuse what is not
  }
}

/// `pricing` (version 2): distinct messages with a `pricing` object, the first one per
/// message counting, at the event's own time.
struct PricingStats: Sendable {
  var billable = 0
  var free = 0
  var billableByCategory = LabelCounts(limit: 100)
  var freeByCategory = LabelCounts(limit: 100)

  var isEmpty: Bool { billable == 0 && free == 0 }

  mutating func merge(_ o: PricingStats) {
    billable += o.billable
    free += o.free
    billableByCategory.merge(o.billableByCategory)
    freeByCategory.merge(o.freeByCategory)
  }
}

/// `cost` (version 2, with `--rate-card`): amounts in micro-units of the card's currency.
struct CostStats: Sendable {
  /// The rate card's currency; nil without one (no `cost` section).
  var currency: String? = nil
  var total = 0
  var byCategory = LabelCounts(limit: 100)
  var byCountry = LabelCounts(limit: 1000)
  var byTemplate = LabelCounts()
  /// Billable messages with no matching rate (never priced at 0 silently).
  var unpriced = 0
  /// Of them, those of a template message, by template (a message whose `message.sent`
  /// names a template; state format 6): a template with unpriced messages has no known cost.
  var unpricedByTemplate = LabelCounts()

  /// Adds `price` to the total; false when the total is full, and the splits (by category,
  /// country, template) must not take it either.
  ///
  /// The total stays at most `StateDecoder.maxCount` micro-units (72 billion a currency
  /// unit): past it a state file is refused on load, and past Int.max the sum trapped (a
  /// card with a price in the billions, a phone number typed into the price column). Each
  /// split is at most the total, so while the total fits they do too.
  mutating func add(_ price: Int) -> Bool {
    guard total <= StateDecoder.maxCount - price else {
      total = StateDecoder.maxCount
      return false
    }
    total += price
    return true
  }

  mutating func merge(_ o: CostStats) {
    if currency == nil { currency = o.currency }
    unpriced += o.unpriced
    unpricedByTemplate.merge(o.unpricedByTemplate)
    // Full as in `add`: the splits stop with the total.
    guard add(o.total) else { return }
    byCategory.merge(o.byCategory)
    byCountry.merge(o.byCountry)
    byTemplate.merge(o.byTemplate)
  }
}

extension PricingStats {
  func encode(to e: inout StateEncoder) {
    e.int(billable)
    e.int(free)
    billableByCategory.encode(to: &e)
    freeByCategory.encode(to: &e)
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    billable = try d.count("pricing.billable")
    free = try d.count("pricing.free")
    billableByCategory = try LabelCounts(from: &d, limit: 100)
    freeByCategory = try LabelCounts(from: &d, limit: 100)
  }
}

extension CostStats {
  func encode(to e: inout StateEncoder) {
    e.optionalString(currency)
    e.int(total)
    byCategory.encode(to: &e)
    byCountry.encode(to: &e)
    byTemplate.encode(to: &e)
    e.int(unpriced)
    unpricedByTemplate.encode(to: &e)
  }

  init(from d: inout StateDecoder) throws(StateError) {
    self.init()
    currency = try d.optionalString("cost.currency")
    total = try d.count("cost.total")
    byCategory = try LabelCounts(from: &d, limit: 100)
    byCountry = try LabelCounts(from: &d, limit: 1000)
    byTemplate = try LabelCounts(from: &d)
    unpriced = try d.count("cost.unpriced")
    // Version 5 did not keep it: it counts from the next run on (`noteUpgrade`).
    if d.version >= 6 { unpricedByTemplate = try LabelCounts(from: &d) }
  }
}
