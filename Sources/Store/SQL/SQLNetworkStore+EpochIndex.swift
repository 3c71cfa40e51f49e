import Core
import Foundation
import Geo
import Rewards

/// Reads of the epoch index that `StoreRows.saveEpochIndex` writes when an epoch commits: the
/// explorer's pages and the claim route read these instead of decoding a whole epoch.
extension SQLNetworkStore {
    public func digest(epoch: Int64) async throws -> EpochDigest? {
        try await writer.read { db in
            guard
                let summary = try SQLRow.fetchOne(
                    db,
                    sql: """
                        SELECT e.epoch, e.start_ms, e.end_ms, e.emission, e.minted, e.burned, e.root, e.closed_ms,
                            (SELECT COUNT(*) FROM epoch_signatures s WHERE s.epoch = e.epoch) AS signatures
                        FROM epochs e WHERE epoch = ?
                        """, arguments: [epoch]
                ).map(Self.summary)
            else { return nil }
            let decoder = JSONDecoder()
            let pools = try String.fetchOne(db, sql: "SELECT pools FROM epochs WHERE epoch = ?", arguments: [epoch]).map {
                try decoder.decode([EpochResult.Pool].self, from: Data($0.utf8))
            }
            let services = try String.fetchAll(
                db, sql: "SELECT totals FROM epoch_services WHERE epoch = ? ORDER BY service", arguments: [epoch]
            ).map { try decoder.decode(EpochDigest.ServiceTotals.self, from: Data($0.utf8)) }
            return EpochDigest(summary: summary, pools: pools ?? [], services: services)
        }
    }

    public func rewards(epoch: Int64, service: String?, offset: Int, limit: Int) async throws -> [EpochResult.DeviceReward] {
        try await writer.read { db in
            let order = "ORDER BY amount_high DESC, amount_middle DESC, amount_low DESC, device LIMIT ? OFFSET ?"
            let texts =
                if let service {
                    try String.fetchAll(
                        db, sql: "SELECT reward FROM device_rewards WHERE epoch = ? AND service = ? \(order)",
                        arguments: [epoch, service, max(limit, 0), max(offset, 0)])
                } else {
                    try String.fetchAll(
                        db, sql: "SELECT reward FROM device_rewards WHERE epoch = ? \(order)",
                        arguments: [epoch, max(limit, 0), max(offset, 0)])
                }
            let decoder = JSONDecoder()
            return try texts.map { try decoder.decode(EpochResult.DeviceReward.self, from: Data($0.utf8)) }
        }
    }

    public func claim(epoch: Int64, payout: EVMAddress) async throws -> PayoutClaim? {
        // One statement: the entry, the root, and the sibling of every node on the leaf's path up
        // the tree (`StandardMerkleTree.proofPositions`, walked by a recursive query), nearest
        // first, each looked up by its key (a join here let PostgreSQL hash the epoch's whole
        // tree). The last row is the root's own (no sibling); no rows, no entry.
        try await writer.readStatement { db in
            let rows = try SQLRow.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE entry AS (
                        SELECT m.cumulative, m.position, e.root FROM manifest_entries m JOIN epochs e ON e.epoch = m.epoch
                        WHERE m.epoch = ? AND m.address = ?
                    ), path(node, depth) AS (
                        SELECT position, 0 FROM entry
                        UNION ALL
                        SELECT (node - 1) / 2, depth + 1 FROM path WHERE node > 0
                    )
                    SELECT entry.cumulative, entry.root, path.node,
                        (SELECT n.hash FROM merkle_nodes n
                         WHERE n.epoch = ? AND n.position = CASE WHEN path.node % 2 = 1 THEN path.node + 1 ELSE path.node - 1 END)
                        AS hash
                    FROM entry CROSS JOIN path
                    ORDER BY path.depth
                    """,
                arguments: [epoch, payout.description, epoch])
            guard let first = rows.first else { return nil }
            let proof = try rows.filter { $0["node"] as Int64 > 0 }.map { row -> Data in
                guard let hash = row["hash"] as Data? else {
                    throw StoreError(.corrupt, "epoch \(epoch)'s Merkle tree lacks the sibling of node \(row["node"] as Int64)")
                }
                return hash
            }
            return PayoutClaim(
                epoch: epoch, address: payout, cumulative: try Amount(parsing: first["cumulative"]), root: first["root"],
                proof: proof)
        }
    }

    public func rewardsByCell(epoch: Int64, resolution: Int) async throws -> [UInt64: Amount] {
        let bits = H3Cell.parentBits(resolution: min(max(resolution, 0), StoreRows.cellResolution))
        return try await writer.read { db in
            // One pass over the covering index, summed here: cheaper than the database's GROUP BY, which
            // sorts every row by the computed parent first.
            var sums: [UInt64: Amount] = [:]
            try db.scanIntegers(
                sql: """
                    SELECT cell, amount_high, amount_middle, amount_low FROM device_rewards
                    WHERE epoch = ? AND cell IS NOT NULL
                    """, arguments: [epoch]
            ) { row in
                let parent = UInt64(bitPattern: row[0] ?? 0) & bits.keep | bits.set
                let amount = try AmountColumns.join(high: row[1] ?? 0, middle: row[2] ?? 0, low: row[3] ?? 0)
                sums[parent] = try (sums[parent] ?? .zero).adding(amount)
            }
            return sums
        }
    }
}
