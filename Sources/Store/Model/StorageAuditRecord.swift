import Core

/// One audit of one piece on one storage node, as the node's audit log keeps it.
public struct StorageAuditRecord: Sendable, Equatable, Codable {
    /// "passed", "failed" (a wrong or missing answer) or "offline" (no answer in time).
    public var result: String
    public var node: Address
    public var pieceID: String
    public var leaf: Int
    /// Why, for people.
    public var detail: String
    /// The node's reputation score after it.
    public var score: Double
    public var ms: Int64

    public init(result: String, node: Address, pieceID: String, leaf: Int, detail: String, score: Double = 0, ms: Int64) {
        self.result = result
        self.node = node
        self.pieceID = pieceID
        self.leaf = leaf
        self.detail = detail
        self.score = score
        self.ms = ms
    }
}
