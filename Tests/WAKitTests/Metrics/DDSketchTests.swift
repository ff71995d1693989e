import Foundation
import Testing

@testable import WAKit

private enum Distribution: String, CaseIterable, Sendable {
  case uniform, exponential, pareto, logNormal, wideRange, integerSeconds

  func sample(_ g: inout SeededGenerator) -> Double {
    switch self {
    case .uniform: return 1 + 999 * g.unit()  // 1 … 1000 s
    case .exponential: return -60 * log(g.unit())  // mean one minute
    case .pareto: return 0.5 * pow(g.unit(), -1 / 1.1)  // heavy tail, α = 1.1
    case .logNormal:
      let normal = sqrt(-2 * log(g.unit())) * cos(2 * Double.pi * g.unit())
      return exp(3 + 2 * normal)
    case .wideRange: return pow(10, -3 + 12 * g.unit())  // 1e-3 … 1e9
    case .integerSeconds: return Double(g.next() % 86_400)  // includes zeros
    }
  }
}

private let quantiles = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]

@Suite("DDSketch")
struct DDSketchTests {
  @Test func emptySketchHasNoQuantiles() {
    let sketch = DDSketch()
    #expect(sketch.count == 0 && sketch.sum == 0)
    #expect(sketch.min == nil && sketch.max == nil)
    for q in quantiles { #expect(sketch.quantile(q) == nil) }
  }

  @Test(arguments: Distribution.allCases, [1, 2, 10, 1000, 100_000])
  fileprivate func quantilesWithinOnePercentOfExactNearestRank(_ d: Distribution, _ n: Int) {
    var g = SeededGenerator(seed: UInt64(n) &* 31 &+ UInt64(d.rawValue.utf8.count))
    var sketch = DDSketch()
    var values: [Double] = []
    for _ in 0..<n {
      let v = d.sample(&g)
      values.append(v)
      sketch.add(v)
    }
    values.sort()
    #expect(sketch.count == n)
    #expect(sketch.min == values.first && sketch.max == values.last)
    let exactSum = values.reduce(0, +)
    #expect(abs(sketch.sum - exactSum) <= 1e-9 * exactSum)
    for q in quantiles {
      let rank = max(1, Int((q * Double(n)).rounded(.up)))
      let exact = values[min(rank, n) - 1]
      guard let estimate = sketch.quantile(q) else {
        Issue.record("nil quantile")
        return
      }
      #expect(abs(estimate - exact) <= 0.01 * exact, "q=\(q) exact=\(exact) got=\(estimate)")
    }
  }

  @Test func nearestRankIsCeilingOfQTimesCount() {
    #expect(DDSketch.nearestRank(0.07, count: 100) == 7)  // 0.07 × 100 = 7.000000000000001
    #expect(DDSketch.nearestRank(0.5, count: 3) == 2)
    #expect(DDSketch.nearestRank(0, count: 10) == 1)
    #expect(DDSketch.nearestRank(1, count: 10) == 10)
    #expect(DDSketch.nearestRank(-3, count: 10) == 1)
    #expect(DDSketch.nearestRank(7, count: 10) == 10)
  }

  @Test func medianOfSmallSetsIsTheLowerMiddle() throws {
    var sketch = DDSketch()
    for v in [10.0, 20, 30, 40] { sketch.add(v) }
    let median = try #require(sketch.quantile(0.5))
    #expect(abs(median - 20) <= 0.2)  // rank 2 of 4
    #expect(sketch.quantile(1) == 40 && sketch.quantile(0) == 10)  // clamped to max/min
  }

  @Test func zeroNegativeAndNonFiniteValues() {
    var sketch = DDSketch()
    sketch.add(0)
    sketch.add(-5)  // clamped to 0
    sketch.add(-.infinity)  // clamped to 0
    sketch.add(.nan)  // ignored
    sketch.add(.infinity)  // ignored
    sketch.add(1e-12)  // below the threshold: the zero bucket
    sketch.add(100)
    #expect(sketch.count == 5)
    #expect(sketch.min == 0 && sketch.max == 100)
    #expect(sketch.zeroCount == 4)
    #expect(sketch.quantile(0.8) == 0)
    #expect(sketch.quantile(1) == 100)
    #expect(sketch.sum == 100 + 1e-12)
    #expect(sketch.quantile(.nan) == nil)
  }

  @Test func mergeEqualsOneSketchOverTheUnion() {
    var g = SeededGenerator(seed: 7)
    var whole = DDSketch()
    var parts = [DDSketch](repeating: DDSketch(), count: 3)
    for i in 0..<30_000 {
      let v = Distribution.allCases[i % Distribution.allCases.count].sample(&g)
      whole.add(v)
      parts[Int(g.next() % 3)].add(v)
    }
    var merged = parts[2]
    merged.merge(parts[0])
    merged.merge(parts[1])
    merged.merge(DDSketch())
    #expect(merged == whole)
    let low = min(merged.offset, whole.offset)
    let high = max(merged.offset + merged.buckets.count, whole.offset + whole.buckets.count)
    for i in low..<high { #expect(merged.bucketCount(i) == whole.bucketCount(i)) }
    #expect(merged.count == whole.count && merged.zeroCount == whole.zeroCount)
    #expect(abs(merged.sum - whole.sum) <= 1e-12 * whole.sum)
    for q in quantiles { #expect(merged.quantile(q) == whole.quantile(q)) }

    var intoEmpty = DDSketch()
    intoEmpty.merge(whole)
    #expect(intoEmpty == whole)
  }

  @Test func integerSumsAreExactWhateverTheMergeOrder() {
    var a = DDSketch()
    var b = DDSketch()
    var whole = DDSketch()
    for i in 0..<10_000 {
      let v = Double(i * 37 % 9_973) + 0.25
      whole.add(v)
      if i % 3 == 0 { a.add(v) } else { b.add(v) }
    }
    var ab = a
    ab.merge(b)
    var ba = b
    ba.merge(a)
    #expect(ab.sum == whole.sum && ba.sum == whole.sum)
    #expect(ab == ba && ab == whole)
  }

  @Test func differentDataIsNotEqual() {
    var a = DDSketch()
    var b = DDSketch()
    a.add(1)
    b.add(2)
    #expect(a != b)
    b = a
    b.add(1)
    #expect(a != b)
  }

  @Test func rangeFromMillisecondsToABillionStaysCompact() {
    var sketch = DDSketch()
    var v = 1e-3
    while v <= 1e9 {
      sketch.add(v)
      v *= 1.001
    }
    // ln(1e12) / ln(γ) ≈ 1,382 buckets, plus at most half again of growth slack.
    #expect(sketch.buckets.count < 2_200)
    let buckets = sketch.buckets.count
    for i in 0..<100_000 { sketch.add(1e-3 * pow(1e12, Double(i) / 100_000)) }
    #expect(sketch.buckets.count == buckets, "no growth once the range is covered")
  }

  @Test func extremeSpansFoldTheLowestBucketsAndStillMergeExactly() throws {
    var whole = DDSketch()
    var a = DDSketch()
    var b = DDSketch()
    let values = [1e-9, 1e-5, 1, 1e10, 1e40, 1e100, 1e300, 2e-9, 5, 1e300]
    for (i, v) in values.enumerated() {
      whole.add(v)
      if i % 2 == 0 { a.add(v) } else { b.add(v) }
    }
    #expect(whole.buckets.count <= DDSketch.maxBuckets + 64)
    a.merge(b)
    #expect(a == whole)
    let top = try #require(whole.quantile(1))
    #expect(abs(top - 1e300) <= 0.01 * 1e300 && top <= 1e300)
    let p90 = try #require(whole.quantile(0.9))
    #expect(abs(p90 - 1e300) <= 0.01 * 1e300)
  }

  @Test func otherAccuraciesKeepTheirPromise() throws {
    var g = SeededGenerator(seed: 99)
    var values: [Double] = []
    var sketch = DDSketch(relativeAccuracy: 0.05)
    for _ in 0..<5000 {
      let v = Distribution.logNormal.sample(&g)
      values.append(v)
      sketch.add(v)
    }
    values.sort()
    for q in quantiles {
      let exact = values[DDSketch.nearestRank(q, count: values.count) - 1]
      let estimate = try #require(sketch.quantile(q))
      #expect(abs(estimate - exact) <= 0.05 * exact)
    }
  }
}
