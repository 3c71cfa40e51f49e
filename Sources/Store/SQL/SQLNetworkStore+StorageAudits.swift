import Core
import Foundation

extension SQLNetworkStore {
    public func nodesHoldingPieces() async throws -> [Address] {
        try await writer.read { db in
            try Data.fetchAll(db, sql: "SELECT DISTINCT node FROM s3_pieces ORDER BY node").map {
                try PublicKey(rawRepresentation: $0).address
            }
        }
    }

    public func holds(node: Address, pieceID: String) async throws -> Bool {
        try await writer.read { db in
            try Int.fetchOne(
                db, sql: "SELECT 1 FROM s3_pieces WHERE node = ? AND piece_id = ? LIMIT 1",
                arguments: [node.publicKey.rawRepresentation, pieceID]) != nil
        }
    }

    public func auditTargets(node: Address, count: Int) async throws -> [PiecePlacement] {
        try await writer.read { db in
            try SQLRow.fetchAll(
                db, sql: "SELECT * FROM s3_pieces WHERE node = ? AND root != '' ORDER BY random() LIMIT ?",
                arguments: [node.publicKey.rawRepresentation, max(count, 0)]
            ).map(ObjectRows.piece)
        }
    }

    public func recordAudit(
        _ audit: StorageAuditRecord, initial: StorageReputation, update: @escaping @Sendable (StorageReputation) -> StorageReputation
    ) async throws -> StorageReputation {
        try await writer.write { db in
            let node = audit.node.publicKey.rawRepresentation
            let before = try SQLRow.fetchOne(db, sql: "SELECT * FROM storage_reputation WHERE node = ?", arguments: [node])
                .map { try Self.reputation($0) } ?? initial
            let after = update(before)
            try db.execute(
                sql: """
                    INSERT INTO storage_reputation (node, alpha, beta, audits, failures, offline, disqualified_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (node) DO UPDATE SET alpha = excluded.alpha, beta = excluded.beta, audits = excluded.audits,
                        failures = excluded.failures, offline = excluded.offline, disqualified_ms = excluded.disqualified_ms
                    """,
                arguments: [node, after.alpha, after.beta, after.audits, after.failures, after.offline, after.disqualifiedMs])
            try db.execute(
                sql: "INSERT INTO storage_audits (node, piece_id, leaf, result, detail, score, ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [node, audit.pieceID, audit.leaf, audit.result, audit.detail, after.score, audit.ms])
            return after
        }
    }

    public func reputations() async throws -> [StorageReputation] {
        try await writer.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM storage_reputation ORDER BY node").map { try Self.reputation($0) }
        }
    }

    public func audits(node: Address, limit: Int) async throws -> [StorageAuditRecord] {
        try await writer.read { db in
            try SQLRow.fetchAll(
                db, sql: "SELECT * FROM storage_audits WHERE node = ? ORDER BY id DESC LIMIT ?",
                arguments: [node.publicKey.rawRepresentation, max(limit, 0)]
            ).map {
                StorageAuditRecord(
                    result: $0["result"], node: node, pieceID: $0["piece_id"], leaf: $0["leaf"], detail: $0["detail"],
                    score: $0["score"], ms: $0["ms"])
            }
        }
    }

    public func segmentsNeedingRepair(healthy: Set<Address>, threshold: Int, limit: Int) async throws -> [SegmentLocation] {
        try await writer.read { db in
            let rows = try SQLRow.fetchAll(db, sql: "SELECT * FROM (" + Self.healthSQL(healthy.count) + ") AS health WHERE good < ? ORDER BY good, blob, segment LIMIT ?",
                arguments: SQLArguments(healthy.map { $0.publicKey.rawRepresentation } + [threshold, max(limit, 0)]))
            return try rows.map { row in
                let blob: Int64 = row["blob"], number: Int = row["segment"]
                let pieces = try SQLRow.fetchAll(
                    db, sql: "SELECT * FROM s3_pieces WHERE blob = ? AND segment = ? ORDER BY idx", arguments: [blob, number]
                ).map(ObjectRows.piece)
                return SegmentLocation(blob: blob, number: number, k: row["k"], n: row["n"], length: row["length"], pieces: pieces)
            }
        }
    }

    public func segmentHealth(healthy: Set<Address>, threshold: Int) async throws -> (segments: Int, belowThreshold: Int) {
        try await writer.read { db in
            let segments = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM s3_segments") ?? 0
            let below = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM (" + Self.healthSQL(healthy.count) + ") AS health WHERE good < ?",
                arguments: SQLArguments(healthy.map { $0.publicKey.rawRepresentation } + [threshold])) ?? 0
            return (segments, below)
        }
    }

    public func replacePieces(blob: Int64, segment: Int, with pieces: [PiecePlacement]) async throws -> [PiecePlacement] {
        try await writer.write { db in
            var replaced: [PiecePlacement] = []
            for piece in pieces {
                if let old = try SQLRow.fetchOne(
                    db, sql: "SELECT * FROM s3_pieces WHERE blob = ? AND segment = ? AND idx = ?", arguments: [blob, segment, piece.index])
                {
                    replaced.append(try ObjectRows.piece(old))
                    try db.execute(
                        sql: "DELETE FROM s3_pieces WHERE blob = ? AND segment = ? AND idx = ?", arguments: [blob, segment, piece.index])
                }
                try ObjectRows.insertPiece(piece, blob: blob, segment: segment, in: db)
            }
            return replaced
        }
    }

    /// Segments with their count of pieces on the `count` healthy nodes bound first (`good`).
    static func healthSQL(_ count: Int) -> String {
        let healthy = count == 0 ? "1 = 0" : "p.node IN (" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
        return """
            SELECT s.blob AS blob, s.number AS segment, b.k, b.n, s.length, SUM(CASE WHEN \(healthy) THEN 1 ELSE 0 END) AS good
            FROM s3_segments s JOIN s3_blobs b ON b.id = s.blob
            LEFT JOIN s3_pieces p ON p.blob = s.blob AND p.segment = s.number
            GROUP BY s.blob, s.number, b.k, b.n, s.length
            """
    }

    static func reputation(_ row: SQLRow) throws -> StorageReputation {
        StorageReputation(
            node: try PublicKey(rawRepresentation: row["node"]).address, alpha: row["alpha"], beta: row["beta"],
            audits: row["audits"], failures: row["failures"], offline: row["offline"], disqualifiedMs: row["disqualified_ms"])
    }
}
