import Core

/// One erasure-coded piece on one storage node: its number in its segment's code, its id (the
/// SHA-256 of its bytes) and where it is.
public struct PiecePlacement: Sendable, Equatable, Hashable {
    /// Its row in the code, 0 ..< n.
    public var index: Int
    public var pieceID: String
    /// The storage node's device address.
    public var node: Address
    /// The storage node's piece server when the piece was placed.
    public var url: String
    /// The Merkle root of the piece's 1 KiB leaves, hex: what audits check answers against.
    public var root: String
    /// The piece's length, bytes.
    public var bytes: Int

    public init(index: Int, pieceID: String, node: Address, url: String, root: String = "", bytes: Int = 0) {
        self.index = index
        self.pieceID = pieceID
        self.node = node
        self.url = url
        self.root = root
        self.bytes = bytes
    }
}
