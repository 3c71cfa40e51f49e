import Foundation

extension Data {
    /// Whether these bytes come before `other`'s in byte order (a shorter prefix first): the same
    /// answer as `lexicographicallyPrecedes`, by `memcmp` instead of element by element, which
    /// matters when an epoch sorts a million addresses.
    public func precedesBytewise(_ other: Data) -> Bool {
        let common = Swift.min(count, other.count)
        let order = withUnsafeBytes { mine in
            other.withUnsafeBytes { theirs in
                common == 0 ? 0 : memcmp(mine.baseAddress!, theirs.baseAddress!, common)
            }
        }
        return order != 0 ? order < 0 : count < other.count
    }
}
