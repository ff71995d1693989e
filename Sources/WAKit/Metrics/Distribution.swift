/// A distribution of non-negative values (response times, conversation lengths): count, sum
/// and maximum exactly, quantiles exact for the first `exactLimit` samples (2,048 unless
/// told otherwise) and from a DDSketch (≤ 1% relative error) beyond.
///
/// Exact small answers matter: a dashboard over a day's test traffic, the hand-computed
/// scenario tests and the golden snapshot all see true nearest-rank quantiles, and the sketch
/// takes over only when keeping every sample would cost memory. Mergeable: two exact parts
/// stay exact while they fit, otherwise both become sketches and their buckets add up.
struct Distribution: Sendable {
  /// Samples kept exactly before switching to the sketch, by default.
  static let defaultExactLimit = 2048

  /// Samples kept exactly before switching to the sketch.
  let exactLimit: Int
  private(set) var count = 0
  private(set) var sum = 0.0
  private(set) var max = 0.0
  private var exact: [Double] = []
  /// In use once `usesSketch`. Not an Optional: mutating a struct inside an Optional copied
  /// it (a retain and release of its buckets per sample, in the aggregator's hot path).
  private var sketch = DDSketch(relativeAccuracy: 0.01)
  private var usesSketch = false

  init(exactLimit: Int = Distribution.defaultExactLimit) { self.exactLimit = exactLimit }

  mutating func add(_ value: Double) {
    count += 1
    sum += value
    if value > max || count == 1 { max = value }
    if usesSketch {
      sketch.add(value)
      return
    }
    exact.append(value)
    if exact.count > exactLimit { switchToSketch() }
  }

  private mutating func switchToSketch() {
    for v in exact { sketch.add(v) }
    usesSketch = true
    exact = []
  }

  mutating func merge(_ other: Distribution) {
    guard other.count > 0 else { return }
    if count == 0 || other.max > max { max = other.max }
    count += other.count
    sum += other.sum
    if !usesSketch && !other.usesSketch && exact.count + other.exact.count <= exactLimit {
      exact += other.exact
      return
    }
    if !usesSketch { switchToSketch() }
    if other.usesSketch {
      sketch.merge(other.sketch)
    } else {
      for v in other.exact { sketch.add(v) }
    }
  }

  /// Whether the quantiles are exact (no sketch yet).
  var isExact: Bool { !usesSketch }

  var mean: Double? { count == 0 ? nil : sum / Double(count) }
  var maximum: Double? { count == 0 ? nil : max }

  /// The nearest-rank quantile: the smallest sample with at least `q · count` samples at or
  /// below it; nil when empty.
  func quantile(_ q: Double) -> Double? {
    quantiles([q])[0]
  }

  /// Several quantiles with one sort of the exact samples.
  func quantiles(_ qs: [Double]) -> [Double?] {
    guard count > 0 else { return qs.map { _ in nil } }
    if usesSketch { return qs.map { sketch.quantile($0) } }
    let sorted = exact.sorted()
    return qs.map { q in
      // A tiny epsilon keeps 0.9 × 10 from rounding up to rank 10.
      let rank = Int((q * Double(sorted.count) - 1e-9).rounded(.up))
      return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }
  }
}

extension Distribution {
  func encode(to e: inout StateEncoder) {
    e.int(count)
    e.double(sum)
    e.double(max)
    e.bool(usesSketch)
    if usesSketch {
      sketch.encode(to: &e)
    } else {
      e.u64(UInt64(exact.count))
      for v in exact { e.double(v) }
    }
  }

  /// `exactLimit` is the owner's (a run's distributions are made with it, not read back).
  init(from d: inout StateDecoder, exactLimit: Int = Distribution.defaultExactLimit)
    throws(StateError)
  {
    self.init(exactLimit: exactLimit)
    count = try d.count("a distribution's count")
    sum = Double(bitPattern: try d.u64())
    max = Double(bitPattern: try d.u64())
    usesSketch = try d.bool()
    if usesSketch {
      sketch = try DDSketch(from: &d)
    } else {
      let n = try d.length("exact samples", itemBytes: 8, limit: exactLimit)
      guard n == count else { throw .corrupt("a distribution holds \(n) of \(count) samples") }
      exact.reserveCapacity(n)
      for _ in 0..<n { exact.append(Double(bitPattern: try d.u64())) }
    }
  }
}
