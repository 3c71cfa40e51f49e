import Core
import Foundation
import GRDB
import Ledger

extension SQLiteNetworkStore {
    public func deviceDirectory() async throws -> [DeviceListing] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT key, kind, owner, latitude, longitude, last_report_ms FROM devices ORDER BY key"
            ).map { row in
                DeviceListing(
                    key: try PublicKey(rawRepresentation: row["key"]), kind: DeviceKind(rawValue: row["kind"]) ?? .unspecified,
                    owner: try Address(parsing: row["owner"]), latitude: row["latitude"], longitude: row["longitude"],
                    lastReportMs: row["last_report_ms"])
            }
        }
    }

    public func journal(involving account: Address, limit: Int) async throws -> [JournalEntry] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM journal WHERE postings LIKE ? ORDER BY sequence DESC LIMIT ?",
                arguments: ["%\(account.description)%", limit]
            ).map(SQLiteRows.journalEntry)
        }
    }
}
