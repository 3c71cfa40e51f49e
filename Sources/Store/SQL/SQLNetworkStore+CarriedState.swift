import Core
import Foundation
import Ledger

extension SQLNetworkStore {
    public func serviceState(_ service: String, epoch: Int64) async throws -> Data? {
        try await writer.read { db in try CarriedStateRows.state(of: service, after: epoch, in: db) }
    }

    public func bounties(service: String, inForce epoch: Int64?, limit: Int) async throws -> [BountyRecord] {
        try await writer.read { db in
            let rows =
                if let epoch {
                    try SQLRow.fetchAll(
                        db,
                        sql: """
                            SELECT * FROM bounties WHERE service = ? AND first_epoch <= ? AND first_epoch + epochs > ?
                            ORDER BY created_ms DESC, id LIMIT ?
                            """, arguments: [service, epoch, epoch, limit])
                } else {
                    try SQLRow.fetchAll(
                        db, sql: "SELECT * FROM bounties WHERE service = ? ORDER BY created_ms DESC, id LIMIT ?",
                        arguments: [service, limit])
                }
            return try rows.map { row in
                BountyRecord(
                    id: row["id"], account: try Address(parsing: row["account"]), service: row["service"], area: row["area"],
                    credits: try Amount(parsing: row["credits"]), firstEpoch: row["first_epoch"], epochs: row["epochs"],
                    createdMs: row["created_ms"], refunded: try Amount(parsing: row["refunded"]))
            }
        }
    }
}
