import Core
import Foundation

/// A manifest's entries in the order its Merkle tree takes them: by the payout address's bytes.
/// A million entries sorted by comparing their addresses' `Data` spend seconds in retains and
/// closures; the same order comes from sorting each address's twenty bytes as three integers.
enum ManifestOrder {
    /// `entries` ordered by address bytes (ties, which a manifest does not have, keep their order).
    static func sorted(_ entries: [EpochResult.ManifestEntry]) -> [EpochResult.ManifestEntry] {
        var keys: [(high: UInt64, middle: UInt64, low: UInt32, index: Int)] = []
        keys.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            entry.address.bytes.withUnsafeBytes { bytes in
                var high: UInt64 = 0
                var middle: UInt64 = 0
                var low: UInt32 = 0
                for offset in 0..<8 { high = high << 8 | UInt64(bytes[offset]) }
                for offset in 8..<16 { middle = middle << 8 | UInt64(bytes[offset]) }
                for offset in 16..<20 { low = low << 8 | UInt32(bytes[offset]) }
                keys.append((high, middle, low, index))
            }
        }
        keys.sort { ($0.high, $0.middle, $0.low, $0.index) < ($1.high, $1.middle, $1.low, $1.index) }
        return keys.map { entries[$0.index] }
    }
}
