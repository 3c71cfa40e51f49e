import Core
import Foundation
import Ledger

/// The report log's writes for one ingest transaction, in as few statements as each database
/// does best: SQLite (in process) a statement a row; PostgreSQL (a round trip a statement) a
/// statement per few hundred rows.
enum ReportLog {
    /// What ingest needs of a registered device.
    struct Sender {
        var kind: DeviceKind
        var lastReportNonce: UInt64
    }

    /// The registered devices among `keys`.
    static func senders(_ keys: Set<PublicKey>, in db: any SQLSession) throws -> [PublicKey: Sender] {
        var senders: [PublicKey: Sender] = [:]
        let all = Array(keys)
        for start in stride(from: 0, to: all.count, by: 500) {
            let chunk = all[start..<min(start + 500, all.count)]
            let rows = try SQLRow.fetchAll(
                db,
                sql: "SELECT key, kind, last_report_nonce FROM devices WHERE key IN (" + placeholders(chunk.count) + ")",
                arguments: SQLArguments(chunk.map { $0.rawRepresentation }))
            for row in rows {
                senders[try PublicKey(rawRepresentation: row["key"])] = Sender(
                    kind: DeviceKind(rawValue: row["kind"]) ?? .unspecified,
                    lastReportNonce: UInt64(bitPattern: row["last_report_nonce"] as Int64))
            }
        }
        return senders
    }

    /// The report types whose latest report per device is kept in `latest_reports`.
    static let latestKept: Set<String> = ["storage_status"]

    /// The migration that made `latest_reports` on either database (`blob` names its bytes type):
    /// the table, what an existing log puts in it, and the index of the whole log it replaced.
    static func latestReportsMigration(blob: String) -> String {
        """
        CREATE TABLE latest_reports (
            type TEXT NOT NULL, device \(blob) NOT NULL, report BIGINT NOT NULL, epoch BIGINT NOT NULL,
            PRIMARY KEY (type, device)
        );
        INSERT INTO latest_reports (type, device, report, epoch)
            SELECT r.type, r.device, r.id, r.epoch FROM reports r
            JOIN (SELECT device, MAX(id) AS id FROM reports WHERE type = 'storage_status' GROUP BY device) m
                ON r.type = 'storage_status' AND r.device = m.device AND r.id = m.id;
        DROP INDEX reports_by_type;
        """
    }

    /// Appends `reports`, received at `receivedMs`, and returns their ids in order; each device's
    /// latest report of the types in `latestKept` is noted as it goes.
    static func append(_ reports: [VerifiedReport], receivedMs: Int64, in db: any SQLSession) throws -> [Int64] {
        let ids = try appendRows(reports, receivedMs: receivedMs, in: db)
        for (verified, id) in zip(reports, ids) where latestKept.contains(verified.type) {
            try db.execute(
                sql: """
                    INSERT INTO latest_reports (type, device, report, epoch) VALUES (?, ?, ?, ?)
                    ON CONFLICT (type, device) DO UPDATE SET report = excluded.report, epoch = excluded.epoch
                    """,
                arguments: [verified.type, verified.device.rawRepresentation, id, verified.epoch])
        }
        return ids
    }

    private static func appendRows(_ reports: [VerifiedReport], receivedMs: Int64, in db: any SQLSession) throws -> [Int64] {
        guard !reports.isEmpty else { return [] }
        func values(_ verified: VerifiedReport) -> [(any SQLValueConvertible)?] {
            [
                verified.device.rawRepresentation, Int64(verified.report.nonce), verified.report.timestampMs, receivedMs,
                verified.type, verified.epoch, verified.report.canonicalBytes,
            ]
        }
        switch db.dialect {
        case .sqlite:
            return try reports.map { verified in
                try db.insertReturningID(
                    sql: """
                        INSERT INTO reports (device, nonce, timestamp_ms, received_ms, type, epoch, bytes)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: SQLArguments(values(verified)))
            }
        case .postgres:
            // Ids taken from the sequence first (in order: writes hold the write lock), then the
            // rows in multi-row inserts.
            let ids = try Int64.fetchAll(
                db, sql: "SELECT nextval('reports_id') FROM generate_series(1, ?)", arguments: [reports.count]
            ).sorted()
            for start in stride(from: 0, to: reports.count, by: 1_000) {
                let end = min(start + 1_000, reports.count)
                var arguments: [(any SQLValueConvertible)?] = []
                arguments.reserveCapacity((end - start) * 8)
                for index in start..<end { arguments += [ids[index]] + values(reports[index]) }
                try db.execute(
                    sql: "INSERT INTO reports (id, device, nonce, timestamp_ms, received_ms, type, epoch, bytes) VALUES "
                        + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?)", count: end - start).joined(separator: ", "),
                    arguments: SQLArguments(arguments))
            }
            return ids
        }
    }

    /// Records each device's last accepted nonce, and `nowMs` as when it last reported.
    static func advance(_ nonces: [(PublicKey, UInt64)], nowMs: Int64, in db: any SQLSession) throws {
        switch db.dialect {
        case .sqlite:
            let statement = try db.prepare(sql: "UPDATE devices SET last_report_nonce = ?, last_report_ms = ? WHERE key = ?")
            for (key, nonce) in nonces {
                try statement.execute(arguments: [Int64(bitPattern: nonce), nowMs, key.rawRepresentation])
            }
        case .postgres:
            for start in stride(from: 0, to: nonces.count, by: 1_000) {
                let chunk = nonces[start..<min(start + 1_000, nonces.count)]
                var arguments: [(any SQLValueConvertible)?] = [nowMs]
                for (key, nonce) in chunk { arguments += [key.rawRepresentation, Int64(bitPattern: nonce)] }
                try db.execute(
                    sql: "UPDATE devices SET last_report_nonce = v.nonce, last_report_ms = ? FROM (VALUES "
                        + Array(repeating: "(?, ?)", count: chunk.count).joined(separator: ", ")
                        + ") AS v(key, nonce) WHERE devices.key = v.key",
                    arguments: SQLArguments(arguments))
            }
        }
    }

    static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }
}
