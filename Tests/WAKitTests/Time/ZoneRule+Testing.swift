@testable import WAKit

// The tools read hours and weekdays through `LocalClock`; the tests check zones in civil time.
extension ZoneRule {
  /// Local civil time of an instant in this zone.
  func civil(atEpochSeconds t: Int64) -> CivilTime {
    CivilTime(epochSeconds: t &+ Int64(offset(atEpochSeconds: t)))
  }
}
