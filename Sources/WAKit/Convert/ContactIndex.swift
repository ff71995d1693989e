/// The contacts of one `value`: those that carry a username, by the digits of their `wa_id`
/// and by their `user_id`, and the number–BSUID pairs each way (first contact wins, as in a
/// walk in document order): a `value` of many contacts is walked once, not once per item.
struct ContactIndex {
  typealias Entry = (order: Int, name: Int)

  /// Up to this many contacts a walk per message is cheaper than building the index (Meta
  /// sends one contact per message).
  static let walkLimit = 8

  /// The `contacts` node the tables were built for, or -1.
  var contacts = -1
  var byPhone: [[UInt8]: Entry] = [:]
  var byUser: [[UInt8]: Entry] = [:]
  /// Of the contacts with a valid `wa_id` and `user_id`: the `wa_id` node of the first with
  /// each `user_id`, and the `user_id` node of the first with each number (by its digits).
  var phoneByUser: [[UInt8]: Int] = [:]
  var userByPhone: [[UInt8]: Int] = [:]
  /// Contacts looked at since the converter was made: the work a test can bound.
  var visits = 0
}
