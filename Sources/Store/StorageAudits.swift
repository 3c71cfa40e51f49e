import Core

/// The storage network's audits and repair, as the node keeps them: which pieces a node holds,
/// every audit and each node's reputation after it, and the segments whose healthy pieces fell
/// below the repair threshold.
public protocol StorageAudits: Sendable {
    /// The storage nodes that hold pieces.
    func nodesHoldingPieces() async throws -> [Address]
    /// Whether the catalog still places piece `pieceID` on `node`.
    func holds(node: Address, pieceID: String) async throws -> Bool
    /// Up to `count` pieces `node` holds, drawn at random.
    func auditTargets(node: Address, count: Int) async throws -> [PiecePlacement]
    /// Records an audit and the node's reputation after it, computed by `update` from its
    /// reputation before (`initial` for a node never audited); returns the reputation after.
    func recordAudit(
        _ audit: StorageAuditRecord, initial: StorageReputation,
        update: @escaping @Sendable (StorageReputation) -> StorageReputation
    ) async throws -> StorageReputation
    /// Every audited node's reputation.
    func reputations() async throws -> [StorageReputation]
    /// `node`'s audits, newest first.
    func audits(node: Address, limit: Int) async throws -> [StorageAuditRecord]
    /// Up to `limit` segments with fewer than `threshold` pieces on `healthy` nodes, fewest first.
    func segmentsNeedingRepair(healthy: Set<Address>, threshold: Int, limit: Int) async throws -> [SegmentLocation]
    /// How many segments there are, and how many have fewer than `threshold` pieces on `healthy` nodes.
    func segmentHealth(healthy: Set<Address>, threshold: Int) async throws -> (segments: Int, belowThreshold: Int)
    /// Puts `pieces` in place of the segment's pieces with the same index (or as new ones);
    /// returns the placements they replaced.
    func replacePieces(blob: Int64, segment: Int, with pieces: [PiecePlacement]) async throws -> [PiecePlacement]
}
