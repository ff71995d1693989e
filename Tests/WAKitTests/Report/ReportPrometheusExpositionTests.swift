import Testing

@testable import WAKit

@Suite("PrometheusExposition")
struct ReportPrometheusExpositionTests {
  /// One sample read back from the text format.
  struct Sample: Equatable {
    var name: String
    var labels: [String: String]
    var value: Double
  }

  /// A small reader of the text format (what Prometheus's own parser does with a line).
  static func parse(_ text: String) -> (samples: [Sample], types: [(String, String)]) {
    var samples: [Sample] = []
    var types: [(String, String)] = []
    for line in text.split(separator: "\n") {
      if line.hasPrefix("# TYPE ") {
        let parts = line.split(separator: " ")
        types.append((String(parts[2]), String(parts[3])))
        continue
      }
      if line.hasPrefix("#") { continue }
      var chars = Array(line.unicodeScalars)[...]
      var name = ""
      while let c = chars.first, c != "{", c != " " {
        name.unicodeScalars.append(c)
        chars.removeFirst()
      }
      var labels: [String: String] = [:]
      if chars.first == "{" {
        chars.removeFirst()
        while chars.first != "}" {
          var key = ""
          while let c = chars.first, c != "=" {
            key.unicodeScalars.append(c)
            chars.removeFirst()
          }
          chars.removeFirst(2)  // ="
          var value = ""
          while let c = chars.first, c != "\"" {
            chars.removeFirst()
            if c == "\\", let next = chars.popFirst() {
              value.unicodeScalars.append(next == "n" ? "\n" : next)
            } else {
              value.unicodeScalars.append(c)
            }
          }
          chars.removeFirst()
          labels[key] = value
          if chars.first == "," { chars.removeFirst() }
        }
        chars.removeFirst()
      }
      let number = String(String.UnicodeScalarView(chars.dropFirst()))
      samples.append(Sample(name: name, labels: labels, value: Double(number) ?? .nan))
    }
    return (samples, types)
  }

  static func value(_ samples: [Sample], _ name: String, _ labels: [String: String] = [:])
    -> Double?
  {
    samples.first { $0.name == name && $0.labels == labels }?.value
  }

  @Test func valuesReadBackAreTheSnapshotsValues() throws {
    let s = try ReportFixtures.snapshot("snapshot.ndjson")
    let (samples, _) = Self.parse(PrometheusExposition().render(s))
    #expect(Self.value(samples, "wa_messages_received_total") == 7234)
    #expect(Self.value(samples, "wa_read_ratio") == s.rates.read)
    #expect(Self.value(samples, "wa_funnel_messages_total", ["stage": "replied"]) == 2455)
    #expect(Self.value(samples, "wa_first_response_seconds", ["quantile": "0.9"]) == 812.9)
    #expect(Self.value(samples, "wa_first_response_seconds_count") == 4817)
    #expect(Self.value(samples, "wa_first_response_seconds_sum") == 1_533_732.8)
    #expect(
      Self.value(samples, "wa_country_messages_total", ["country": "KE", "direction": "sent"])
        == 2643)
    #expect(Self.value(samples, "wa_agent_chats_resolved_total", ["agent": "agent_789"]) == 96)
    #expect(Self.value(samples, "wa_agent_resolution_mean_seconds", ["agent": "agent_789"]) == 876)
    #expect(
      Self.value(samples, "wa_messages_by_hour_total", ["direction": "received", "hour": "11"])
        == 768)
    let heat = ["direction": "sent", "day": "sun", "hour": "23"]
    #expect(Self.value(samples, "wa_messages_by_day_hour_total", heat) == s.heatmap.sent[6][23])
    #expect(samples.filter { $0.name == "wa_messages_by_day_hour_total" }.count == 2 * 7 * 24)
    #expect(Self.value(samples, "wa_conversation_duration_seconds", ["quantile": "0.5"]) == 690)
    #expect(samples.allSatisfy { $0.name.hasPrefix("wa_") && $0.value.isFinite })
  }

  @Test(arguments: ["snapshot.ndjson", "empty.ndjson", "hostile.ndjson"])
  func eachFamilyIsOneBlockWithOneType(_ fixture: String) throws {
    let text = PrometheusExposition().render(try ReportFixtures.snapshot(fixture))
    let (samples, types) = Self.parse(text)
    #expect(Set(types.map(\.0)).count == types.count)
    let kinds = Dictionary(types, uniquingKeysWith: { a, _ in a })
    var seen: [String] = []
    for sample in samples {
      var family = sample.name
      for suffix in ["_sum", "_count"] where kinds[family] == nil && family.hasSuffix(suffix) {
        family.removeLast(suffix.count)
      }
      let kind = try #require(kinds[family], "\(sample.name) has no TYPE")
      #expect((kind == "counter") == family.hasSuffix("_total"), "\(family)")
      if seen.last != family {
        #expect(!seen.contains(family), "\(family) is split")
        seen.append(family)
      }
    }
  }

  @Test func nullValuesAreLeftOutNotZero() throws {
    let (samples, types) = Self.parse(
      PrometheusExposition().render(try ReportFixtures.snapshot("empty.ndjson")))
    #expect(Self.value(samples, "wa_read_ratio") == nil)
    #expect(!types.contains { $0.0 == "wa_first_response_max_seconds" })
    #expect(!samples.contains { $0.labels["quantile"] != nil })
    #expect(Self.value(samples, "wa_first_response_seconds_count") == 0)
    #expect(Self.value(samples, "wa_messages_received_total") == 0)
  }

  @Test func labelValuesRoundTrip() throws {
    let s = try ReportFixtures.snapshot("hostile.ndjson")
    let (samples, _) = Self.parse(PrometheusExposition().render(s))
    let agents = Set(
      samples.filter { $0.name == "wa_agent_chats_resolved_total" }.compactMap {
        $0.labels["agent"]
      })
    // As written: controls as `\u001B`, a backslash doubled (the rule of every label).
    #expect(agents == Set(s.agents.map { PrometheusExposition.input($0.id) }))
    #expect(
      Self.value(samples, "wa_country_users", ["country": "K\"E"]) == 2
        && Self.value(samples, "wa_users_unique") == 1234.6)
  }

  @Test func controlsInLabelsAreEscapedOnATerminalAndInAFile() throws {
    let s = try ReportFixtures.snapshot("hostile.ndjson")
    let text = PrometheusExposition().render(s)
    #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    #expect(text.contains(#"agent="esc\\u001B[31mred""#))
    #expect(text.contains(#"agent="line\\u000Abreak""#))
  }

  @Test func escapingFollowsTheFormat() {
    typealias W = PrometheusExposition.Writer
    #expect(W.escapeLabel(#"a"b\c"# + "\nd") == #"a\"b\\c\nd"#)
    #expect(W.escapeHelp("x\\y\nz\"") == "x\\\\y\\nz\"")
    #expect(W.value(42) == "42" && W.value(0.5) == "0.5" && W.value(1e20) == "1e+20")
    #expect(W.value(.infinity) == "+Inf" && W.value(.nan) == "NaN")
  }
}
