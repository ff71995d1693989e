import Testing

@testable import WAKit

/// SHA-256 and HMAC-SHA-256 against the published vectors: the examples of FIPS 180-4
/// (NIST's "SHA256.pdf" and "SHA2_Additional.pdf") and every HMAC-SHA-256 case of RFC 4231.
@Suite("crypto: SHA-256 and HMAC-SHA-256")
struct CryptoTests {
  static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
  }

  static func bytes(hex: String) -> [UInt8] {
    let chars = Array(hex.utf8)
    return stride(from: 0, to: chars.count, by: 2).map { i in
      UInt8(String(decoding: chars[i..<i + 2], as: UTF8.self), radix: 16)!
    }
  }

  static func sha(_ text: String) -> String { hex(SHA256.hash(Array(text.utf8))) }

  @Test func fipsOneBlockMessage() {
    #expect(
      Self.sha("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }

  @Test func fipsTwoBlockMessage() {
    // 448 bits: the padding no longer fits the first block.
    #expect(
      Self.sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test func fipsAdditionalVectors() {
    #expect(Self.sha("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      Self.sha(
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
          + "lmnopqrsmnopqrstnopqrstu")
        == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
  }

  @Test func fipsOneMillionAsFedInUnevenPieces() {
    // The long-message example, fed in pieces of 1 to 206 bytes: exercises the partial block
    // carried between updates.
    let a = [UInt8](repeating: 0x61, count: 256)
    var h = SHA256()
    var left = 1_000_000
    var piece = 1
    while left > 0 {
      let n = min(piece, left)
      h.update(Array(a[0..<n]))
      left -= n
      piece = piece % 200 + 7
    }
    #expect(
      Self.hex(h.digest()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test func paddingBoundaries() {
    // Lengths around the 55/56 and 64-byte edges of the padding; digests from Python's
    // hashlib (an independent implementation).
    let expected: [Int: String] = [
      55: "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
      56: "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
      63: "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34",
      64: "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
      65: "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0",
      119: "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb",
      120: "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c",
    ]
    for (n, digest) in expected {
      #expect(Self.sha(String(repeating: "a", count: n)) == digest, "length \(n)")
    }
  }

  /// RFC 4231 §4.2–§4.8: key, data, HMAC-SHA-256 (case 5 is truncated to 128 bits).
  static let rfc4231: [(key: [UInt8], data: [UInt8], mac: String)] = [
    (
      [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
    ),
    (
      Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    ),
    (
      [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
      "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
    ),
    (
      bytes(hex: "0102030405060708090a0b0c0d0e0f10111213141516171819"),
      [UInt8](repeating: 0xcd, count: 50),
      "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
    ),
    (
      [UInt8](repeating: 0x0c, count: 20), Array("Test With Truncation".utf8),
      "a3b6167473100ee06e0c796c2955552b"
    ),
    (
      [UInt8](repeating: 0xaa, count: 131),
      Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    ),
    (
      [UInt8](repeating: 0xaa, count: 131),
      Array(
        ("This is a test using a larger than block-size key and a larger than block-size data."
          + " The key needs to be hashed before being used by the HMAC algorithm.").utf8),
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
    ),
  ]

  @Test(arguments: 0..<7) func rfc4231TestCase(_ index: Int) {
    let c = Self.rfc4231[index]
    let mac = Self.hex(HMACSHA256(key: c.key).authenticate(c.data))
    // Case 5 publishes only the first 128 bits (truncated output, RFC 4231 §4.6).
    #expect(mac.hasPrefix(c.mac), "test case \(index + 1)")
    #expect(mac.count == 64)
  }

  @Test func oneKeyServesManyMessages() {
    // The precomputed key states are copied per message, never consumed.
    let mac = HMACSHA256(key: Array("Jefe".utf8))
    let first = mac.authenticate(Array("what do ya want for nothing?".utf8))
    _ = mac.authenticate(Array("something else".utf8))
    #expect(first == mac.authenticate(Array("what do ya want for nothing?".utf8)))
    #expect(
      Self.hex(first) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
  }
}
