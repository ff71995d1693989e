/// What the validator learnt about a valid event, for the tools behind it (enrich,
/// aggregate): the fields themselves are read from the scanner by slot.
public struct EventView: Sendable {
  public var kind: EventKind = .received
  /// `timestamp`, when present and valid.
  public var timestamp: Timestamp? = nil
  /// `receivedAt`, when `timestamp` is not there to be used instead and `receivedAt` is a
  /// valid RFC 3339 string (it is not validated: an unusable one is simply not used).
  public var receivedAt: Timestamp? = nil
  /// The country calling code of `userId`.
  public var callingCode: UInt16 = 0
  /// The region of `userId` (nil for non-geographic codes such as +800).
  public var region: RegionCode? = nil

  public init() {}
}
