import Core
import Foundation
import Ledger

extension SQLNetworkStore {
    public func recordEgress(account: Address, bytes: Int64, served: [Address: Int64]) async throws {
        try await writer.write { db in
            let key = account.publicKey.rawRepresentation
            try StorageBillingRows.ensureBilling(key, nowMs: nil, in: db)
            try db.execute(sql: "UPDATE s3_billing SET egress_bytes = egress_bytes + ? WHERE account = ?", arguments: [bytes, key])
            for (node, count) in served where count > 0 {
                try db.execute(
                    sql: """
                        INSERT INTO s3_node_egress (node, bytes) VALUES (?, ?)
                        ON CONFLICT(node) DO UPDATE SET bytes = s3_node_egress.bytes + excluded.bytes
                        """,
                    arguments: [node.publicKey.rawRepresentation, count])
            }
        }
    }

    public func chargeStorage(
        nowMs: Int64, epoch: Int64, service: String, creditsPerGBMonth: Int64, creditsPerGBEgress: Int64,
        excluded: Set<Address>
    ) async throws -> StorageBill {
        try await writer.write { db in
            try StorageBillingRows.charge(
                nowMs: nowMs, epoch: epoch, service: service, creditsPerGBMonth: creditsPerGBMonth, creditsPerGBEgress: creditsPerGBEgress,
                excluded: excluded, in: db)
        }
    }

    public func unpaidStorageCredits(_ account: Address) async throws -> Amount {
        try await writer.read { db in
            try Amount(
                parsing: try String.fetchOne(
                    db, sql: "SELECT unpaid FROM s3_billing WHERE account = ?", arguments: [account.publicKey.rawRepresentation]) ?? "0")
        }
    }

    public func storageAccount(_ account: Address) async throws -> StorageAccount {
        try await writer.read { db in
            let key = account.publicKey.rawRepresentation
            let stored = try SQLRow.fetchOne(
                db,
                sql: "SELECT COALESCE(SUM(o.size), 0) AS size, COUNT(o.key) AS count FROM s3_objects o JOIN s3_buckets b ON b.name = o.bucket WHERE b.owner = ?",
                arguments: [key])
            let billing = try SQLRow.fetchOne(db, sql: "SELECT * FROM s3_billing WHERE account = ?", arguments: [key])
            return StorageAccount(
                account: account, storedBytes: stored?["size"] ?? 0, objects: stored?["count"] ?? 0,
                unbilledEgressBytes: billing?["egress_bytes"] ?? 0, paid: try Amount(parsing: billing?["paid"] ?? "0"),
                unpaid: try Amount(parsing: billing?["unpaid"] ?? "0"))
        }
    }
}
