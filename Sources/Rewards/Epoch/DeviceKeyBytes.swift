import Foundation

/// A 32-byte key as four integers: a dictionary key that hashes and compares without the heap.
public struct DeviceKeyBytes: Hashable, Sendable {
    let words: (UInt64, UInt64, UInt64, UInt64)

    /// The key of 32 bytes; nil for any other length.
    public init?(_ bytes: Data) {
        guard let key = bytes.withUnsafeBytes({ DeviceKeyBytes($0) }) else { return nil }
        self = key
    }

    /// The key of 32 bytes; nil for any other length.
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 32 else { return nil }
        words = (
            bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
            bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
        )
    }

    public static func == (lhs: DeviceKeyBytes, rhs: DeviceKeyBytes) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
