import Core
import Foundation

/// A Merkle commitment over a piece's fixed-size leaves: what a storage node proves it still
/// holds when audited. The node keeps the root with the piece's metadata; an audit names a leaf
/// (drawn from epoch entropy, `PieceAudit`), and the storage node answers with the leaf and its
/// path, which anyone can check against the root without the piece.
///
/// Leaves are `leafSize` bytes (the last may be shorter). A leaf hashes as SHA-256(0x00 ‖ leaf)
/// and an inner node as SHA-256(0x01 ‖ left ‖ right), so a leaf can never pass for a node; a
/// level with an odd count carries its last node up unchanged.
public struct PieceCommitment: Sendable, Equatable {
    /// Bytes per leaf.
    public let leafSize: Int
    /// The piece's length in bytes.
    public let length: Int
    /// The Merkle root.
    public let root: Data
    /// Every level, leaves first; kept to answer audits.
    let levels: [[Data]]

    /// Storj audits stripes of a few hundred bytes to a few KiB; 1 KiB leaves keep a proof of a
    /// 2 MiB piece to 11 hashes.
    public static let defaultLeafSize = 1_024

    /// The commitment to `piece`.
    public init(piece: [UInt8], leafSize: Int = PieceCommitment.defaultLeafSize) {
        precondition(leafSize > 0, "a leaf holds at least one byte")
        self.leafSize = leafSize
        length = piece.count
        var level = stride(from: 0, to: max(piece.count, 1), by: leafSize).map { start in
            Self.leafHash(piece[start..<min(start + leafSize, piece.count)])
        }
        var levels = [level]
        while level.count > 1 {
            level = stride(from: 0, to: level.count, by: 2).map { index in
                index + 1 < level.count ? Self.nodeHash(level[index], level[index + 1]) : level[index]
            }
            levels.append(level)
        }
        self.levels = levels
        root = level[0]
    }

    /// Leaves in a piece of `length` bytes.
    public static func leafCount(length: Int, leafSize: Int) -> Int { max((length + leafSize - 1) / leafSize, 1) }

    /// The leaf count.
    public var leafCount: Int { levels[0].count }

    /// The path from leaf `index` to the root: the sibling at each level where there is one.
    public func path(leaf index: Int) -> [Data] {
        precondition((0..<leafCount).contains(index), "leaf \(index) of \(leafCount)")
        var siblings: [Data] = []
        var position = index
        for level in levels.dropLast() {
            let sibling = position ^ 1
            if sibling < level.count { siblings.append(level[sibling]) }
            position /= 2
        }
        return siblings
    }

    /// Whether `leaf`, at `index` of a piece of `length` bytes in `leafSize` leaves, is under
    /// `root` by `path`.
    public static func verify(root: Data, length: Int, leafSize: Int, index: Int, leaf: [UInt8], path: [Data]) -> Bool {
        let count = leafCount(length: length, leafSize: leafSize)
        guard (0..<count).contains(index) else { return false }
        let expectedLeafLength = index == count - 1 ? length - index * leafSize : leafSize
        guard leaf.count == max(expectedLeafLength, 0) else { return false }
        var hash = leafHash(leaf[...])
        var position = index
        var width = count
        var remaining = path[...]
        while width > 1 {
            let sibling = position ^ 1
            if sibling < width {
                guard let next = remaining.popFirst() else { return false }
                hash = position & 1 == 0 ? nodeHash(hash, next) : nodeHash(next, hash)
            }
            position /= 2
            width = (width + 1) / 2
        }
        return remaining.isEmpty && hash == root
    }

    static func leafHash(_ bytes: ArraySlice<UInt8>) -> Data { SHA256Digest.hash(Data([0]) + Data(bytes)) }

    static func nodeHash(_ left: Data, _ right: Data) -> Data { SHA256Digest.hash(Data([1]) + left + right) }
}
