/// What the validator learnt about a valid event, for the tools behind it (enrich,
/// aggregate): the fields themselves are read from the scanner by slot.
struct EventView: Sendable {
  var kind: EventKind = .received
  /// `timestamp`, when present and valid.
  var timestamp: Timestamp? = nil
  /// `receivedAt`, when `timestamp` is not there to be used instead and `receivedAt` is a
  /// valid RFC 3339 string (it is not validated: an unusable one is simply not used).
  var receivedAt: Timestamp? = nil
  /// The country calling code of `userId`.
  var callingCode: UInt16 = 0
  /// The region of a phone-number `userId` (nil for non-geographic codes such as +800, and
  /// for a BSUID: see `bsuidRegion`).
  var region: RegionCode? = nil
  /// Which form `userId` has.
  var userIdForm = UserIdForm.phone
  /// The country prefix of a BSUID `userId` (`ZZ` included, which no phone number has);
  /// nil for a phone number.
  var bsuidRegion: RegionCode? = nil

  /// The user's country as SPEC §4 and §5 define it from `userId` alone: the phone number's
  /// region, else the BSUID's prefix (which may be `ZZ`, unknown), else nil.
  @inline(__always)
  var userRegion: RegionCode? { region ?? bsuidRegion }

  init() {}
}

/// The form of an event's `userId` (SPEC §2).
enum UserIdForm: UInt8, Sendable {
  /// E.164: `callingCode` and `region` describe it.
  case phone
  /// A business-scoped user ID: `bsuidRegion` is its prefix.
  case bsuid
  /// Neither, which only `campaign.sent` allows (its `userId` may be absent or any non-empty
  /// string, such as the collector's `"system"`): not a user.
  case other
}
