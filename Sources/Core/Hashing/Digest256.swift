import Foundation

/// A 256-bit digest held as four 64-bit words, most significant first, so that comparing two
/// digests as tuples of words orders them as their bytes would (lexicographically) and hashing
/// one allocates nothing. A Merkle tree of a million leaves keeps two million of them.
public struct Digest256: Hashable, Comparable, Sendable {
    /// The words, big-endian order: `w0` holds the first eight bytes.
    public var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// A digest from its four words.
    public init(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        (self.w0, self.w1, self.w2, self.w3) = (w0, w1, w2, w3)
    }

    /// The digest of 32 bytes; nil for another length.
    public init?(_ data: Data) {
        guard data.count == 32 else { return nil }
        func word(_ index: Int) -> UInt64 {
            data.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)) }
        }
        self.init(word(0), word(1), word(2), word(3))
    }

    /// The 32 bytes.
    public var data: Data {
        var words = (w0.bigEndian, w1.bigEndian, w2.bigEndian, w3.bigEndian)
        return withUnsafeBytes(of: &words) { Data($0) }
    }

    /// Byte order.
    public static func < (lhs: Digest256, rhs: Digest256) -> Bool {
        (lhs.w0, lhs.w1, lhs.w2, lhs.w3) < (rhs.w0, rhs.w1, rhs.w2, rhs.w3)
    }
}
