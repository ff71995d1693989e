#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Relative-error quantile sketch (DDSketch, Masson, Rim & Lee, PVLDB 2019): every quantile is
/// within `relativeAccuracy` (default 1%) of the exact nearest-rank value, and sketches merge
/// exactly by adding bucket counts, so shards combine into the sketch of the whole stream.
///
/// Values fall into logarithmic buckets `(γ^(i-1), γ^i]`, `γ = (1+α)/(1-α)`, counted in a dense
/// array indexed from `offset`; the array grows in steps of at least 32 buckets, so adding
/// allocates only while the covered range widens (α = 1%: 1 s … 1 day needs ~570 buckets,
/// 1 ms … 30 days ~1,090, 8 bytes each plus growth slack). A bucket's representative
/// `2γ^i/(γ+1)` is within α of every value in it.
///
/// Edge cases, chosen so that `add` never traps and memory stays bounded:
/// - values below `zeroThreshold` (1e-9), including 0 and negative values (clamped to 0, as
///   durations cannot be negative) count in a zero bucket and are reported as 0;
/// - NaN and +infinity are ignored (not counted); -infinity clamps to 0 like any negative;
/// - at most `maxBuckets` (4,096, a span of ~10^35) are kept: when the values span more, the
///   lowest buckets fold into the lowest kept one (low quantiles lose accuracy first, as in
///   the paper). The fold depends only on the largest value, so merges stay exact.
struct DDSketch: Sendable, Equatable {
  /// The α this sketch guarantees.
  let relativeAccuracy: Double
  /// Bucket growth factor γ and `1/ln γ`, from an α shaved by 1e-7 so that rounding in `log`
  /// and `exp` near bucket edges cannot push an answer past the promised α.
  let gamma: Double
  let inverseLogGamma: Double
  /// Counts for buckets `offset ..< offset + buckets.count`.
  var buckets: [Int] = []
  var offset = 0
  /// The highest bucket index ever counted (`Int.min` when none): it fixes the fold floor.
  var maxIndex = Int.min
  var zeroCount = 0
  private(set) var count = 0
  /// Running sum and its Neumaier compensation: `sum` is then the correctly rounded total in
  /// practice, whatever the order of adds and merges, so merged shards report the same mean.
  var rawSum: Double = 0
  var sumCompensation: Double = 0
  var minValue = Double.infinity
  var maxValue = -Double.infinity

  static let zeroThreshold = 1e-9
  static let maxBuckets = 4096

  init(relativeAccuracy: Double = 0.01) {
    precondition(relativeAccuracy > 0 && relativeAccuracy < 1, "relativeAccuracy in (0, 1)")
    self.relativeAccuracy = relativeAccuracy
    let alpha = relativeAccuracy * (1 - 1e-7)
    gamma = (1 + alpha) / (1 - alpha)
    inverseLogGamma = 1 / log(gamma)
  }

  /// Smallest value added (after clamping negatives to 0); nil when empty.
  var min: Double? { count > 0 ? minValue : nil }
  /// Largest value added; nil when empty.
  var max: Double? { count > 0 ? maxValue : nil }
  /// Sum of the values added (after clamping), kept exactly rather than read from buckets.
  var sum: Double { rawSum + sumCompensation }

  /// Counts one value (see the type's notes for 0, negatives, NaN and infinity).
  @inline(__always)
  mutating func add(_ value: Double) {
    guard value < .infinity else { return }  // also false for NaN
    let v = value > 0 ? value : 0
    count += 1
    addToSum(v)
    if v < minValue { minValue = v }
    if v > maxValue { maxValue = v }
    if v < DDSketch.zeroThreshold {
      zeroCount += 1
      return
    }
    let index = Int((log(v) * inverseLogGamma).rounded(.up))
    let k = index &- offset
    if k >= 0 && k < buckets.count && index <= maxIndex {
      buckets[k] &+= 1  // the common case: a bucket inside the covered range
    } else {
      add(count: 1, atIndex: index)
    }
  }

  /// Adds `other`'s counts. Both must have the same accuracy; the result equals (`==`) the
  /// sketch of both inputs, whatever the order of adds and merges.
  mutating func merge(_ other: DDSketch) {
    precondition(gamma == other.gamma, "DDSketch.merge: different relative accuracy")
    guard other.count > 0 else { return }
    count += other.count
    addToSum(other.rawSum)
    addToSum(other.sumCompensation)
    zeroCount += other.zeroCount
    minValue = Swift.min(minValue, other.minValue)
    maxValue = Swift.max(maxValue, other.maxValue)
    if other.maxIndex > maxIndex { add(count: 0, atIndex: other.maxIndex) }  // fold once
    for (k, c) in other.buckets.enumerated() where c != 0 {
      add(count: c, atIndex: other.offset + k)
    }
  }

  /// Neumaier's compensated summation step.
  @inline(__always)
  mutating func addToSum(_ v: Double) {
    let t = rawSum + v
    if Swift.abs(rawSum) >= Swift.abs(v) {
      sumCompensation += (rawSum - t) + v
    } else {
      sumCompensation += (v - t) + rawSum
    }
    rawSum = t
  }

  /// Nearest-rank quantile: the value of rank `ceil(q·count)` (at least 1), within the
  /// relative accuracy and clamped to `[min, max]`; ranks 1 and `count` give the exact min
  /// and max. `q` is clamped to 0...1; nil when empty or `q` is NaN. Linear in the number of
  /// buckets: meant for snapshots, not per event.
  func quantile(_ q: Double) -> Double? {
    guard count > 0, !q.isNaN else { return nil }
    let rank = DDSketch.nearestRank(q, count: count)
    if rank == 1 { return minValue }  // the extremes are known exactly
    if rank == count { return maxValue }
    if rank <= zeroCount { return minValue }  // 0, or a value below the zero threshold
    var seen = zeroCount
    for (k, c) in buckets.enumerated() {
      seen += c
      if seen >= rank {
        let value = 2 * exp(Double(offset + k) / inverseLogGamma) / (gamma + 1)
        return Swift.min(Swift.max(value, minValue), maxValue)
      }
    }
    return maxValue
  }

  /// `ceil(q·n)` in 1...n, immune to `q·n` landing a rounding error above an integer
  /// (0.07 × 100 is 7.000000000000001 in binary floating point, and must give rank 7).
  static func nearestRank(_ q: Double, count n: Int) -> Int {
    let x = Swift.min(Swift.max(q, 0), 1) * Double(n)
    let rank = Int((x - x * 1e-12).rounded(.up))
    return Swift.min(Swift.max(rank, 1), n)
  }

  /// The slow path of `add`: raises the fold floor when `index` is a new maximum, widens the
  /// array when `index` is outside it, then counts.
  mutating func add(count c: Int, atIndex index: Int) {
    if index > maxIndex {
      maxIndex = index
      let floor = index - DDSketch.maxBuckets + 1
      if !buckets.isEmpty, floor > offset { fold(below: floor) }
    }
    let floor = maxIndex - DDSketch.maxBuckets + 1
    let i = Swift.max(index, floor)
    let slack = Swift.max(32, buckets.count / 2)
    if buckets.isEmpty {
      offset = Swift.max(i - slack, floor)
      buckets = Array(repeating: 0, count: i - offset + 1 + slack)
    } else if i < offset {
      let newOffset = Swift.max(floor, Swift.min(i, offset - slack))
      buckets.insert(contentsOf: repeatElement(0, count: offset - newOffset), at: 0)
      offset = newOffset
    } else if i >= offset + buckets.count {
      let needed = i - (offset + buckets.count) + 1
      let room = Swift.max(needed, DDSketch.maxBuckets + 64 - buckets.count)
      buckets.append(contentsOf: repeatElement(0, count: Swift.min(Swift.max(needed, slack), room)))
    }
    buckets[i - offset] += c
  }

  /// Moves the counts of buckets below `floor` into bucket `floor` and drops them.
  mutating func fold(below floor: Int) {
    let cut = Swift.min(floor - offset, buckets.count)
    let folded = buckets[0..<cut].reduce(0, +)
    buckets.removeFirst(cut)
    offset = floor
    if buckets.isEmpty { buckets = [0] }
    buckets[0] += folded
  }

  /// Count in bucket `index` (0 outside the array).
  func bucketCount(_ index: Int) -> Int {
    let k = index - offset
    return k >= 0 && k < buckets.count ? buckets[k] : 0
  }

  /// Same distribution: accuracy, count, min, max and every bucket count. Not `sum`, whose
  /// last bit may depend on the order of additions (so merge-equals-whole holds exactly), and
  /// not the array's extent or offset, which are artefacts of insertion order.
  static func == (a: DDSketch, b: DDSketch) -> Bool {
    guard a.gamma == b.gamma, a.count == b.count, a.zeroCount == b.zeroCount,
      a.min == b.min, a.max == b.max
    else { return false }
    let low = Swift.min(a.offset, b.offset)
    let high = Swift.max(a.offset + a.buckets.count, b.offset + b.buckets.count)
    return (low..<high).allSatisfy { a.bucketCount($0) == b.bucketCount($0) }
  }
}

extension DDSketch {
  func encode(to e: inout StateEncoder) {
    e.double(relativeAccuracy)
    e.int(offset)
    e.int(maxIndex)
    e.int(zeroCount)
    e.int(count)
    e.double(rawSum)
    e.double(sumCompensation)
    e.double(minValue)
    e.double(maxValue)
    e.u64(UInt64(buckets.count))
    for c in buckets { e.int(c) }
  }

  /// Indexes and counts are checked so that nothing a later `add`, `merge` or `quantile`
  /// computes from them can overflow: bucket indexes stay far inside `Int`, and the buckets
  /// and the zero count add up to `count`.
  init(from d: inout StateDecoder) throws(StateError) {
    let accuracy = Double(bitPattern: try d.u64())
    // Sketches merge only with equal accuracy, and every sketch a run makes has 1%.
    guard accuracy == 0.01 else { throw .corrupt("a sketch's accuracy is \(accuracy)") }
    self.init(relativeAccuracy: accuracy)
    let bound = 1 << 40
    offset = try d.i64().intValue
    maxIndex = try d.i64().intValue
    guard abs(offset) <= bound, maxIndex == Int.min || abs(maxIndex) <= bound else {
      throw .corrupt("a sketch's bucket index is out of range")
    }
    zeroCount = try d.count("a sketch's zero count")
    count = try d.count("a sketch's count")
    rawSum = Double(bitPattern: try d.u64())
    sumCompensation = Double(bitPattern: try d.u64())
    minValue = Double(bitPattern: try d.u64())
    maxValue = Double(bitPattern: try d.u64())
    let n = try d.length("sketch buckets", itemBytes: 8, limit: 2 * DDSketch.maxBuckets + 64)
    buckets.reserveCapacity(n)
    var total = zeroCount
    for _ in 0..<n {
      let c = try d.count("a bucket count")
      total += c
      guard total <= StateDecoder.maxCount else { throw .corrupt("sketch counts overflow") }
      buckets.append(c)
    }
    guard total == count else { throw .corrupt("a sketch's buckets do not add up to its count") }
  }
}

extension Int64 {
  var intValue: Int { Int(self) }
}
