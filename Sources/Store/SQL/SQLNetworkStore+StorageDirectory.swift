import Core
import Foundation

extension SQLNetworkStore {
    public func storageNodes(limit: Int) async throws -> [StorageNodeListing] {
        try await writer.read { db in
            // The latest storage_status of each device, from the report log (reports_by_type).
            let rows = try SQLRow.fetchAll(
                db,
                sql: """
                    SELECT r.device, r.bytes, r.timestamp_ms FROM reports r
                    JOIN (SELECT device, MAX(id) AS id FROM reports WHERE type = 'storage_status' GROUP BY device) latest
                        ON latest.id = r.id
                    ORDER BY r.timestamp_ms DESC, r.id DESC LIMIT ?
                    """,
                arguments: [max(limit, 0)])
            return try rows.map { row in
                let report = try Report(wireBytes: row["bytes"] as Data)
                let status = report.storageStatus
                return StorageNodeListing(
                    device: try PublicKey(rawRepresentation: row["device"]).address, url: status.url,
                    capacityBytes: status.capacityBytes, usedBytes: status.usedBytes, reportedMs: row["timestamp_ms"])
            }
        }
    }
}
