import Core
import Foundation

extension SQLNetworkStore {
    public func storageNodes(limit: Int) async throws -> [StorageNodeListing] {
        try await writer.read { db in
            // The latest storage_status of each device, noted as it arrived (ReportLog.latestKept).
            let rows = try SQLRow.fetchAll(
                db,
                sql: """
                    SELECT r.device, r.bytes, r.timestamp_ms FROM latest_reports latest
                    JOIN reports r ON r.epoch = latest.epoch AND r.id = latest.report
                    WHERE latest.type = 'storage_status'
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
