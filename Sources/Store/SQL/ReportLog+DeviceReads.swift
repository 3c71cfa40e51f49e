import Core
import Foundation
import Ledger

/// The reads of one device's log that are not ingest's (a device's page, its owner's list, what
/// its agent asks at start-up): the device index (`device_reports`) up to its mark, and the tail
/// after it (`ReportLogTail`), read in one transaction so that the two agree.
extension ReportLog {
    /// The last nonce accepted from `key`, whose devices row records `recorded`: the larger of
    /// that and the log's (see `activityResolutionMs`). On PostgreSQL, in a transaction, so that
    /// the mark and the log agree.
    static func lastNonce(of key: PublicKey, recorded: UInt64, in db: any SQLSession) throws -> UInt64 {
        var logged: [Int64?]
        switch db.dialect {
        case .sqlite:
            logged = [
                try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT MAX(nonce) FROM (
                            SELECT MAX(nonce) AS nonce FROM device_reports WHERE device = ?1
                            UNION ALL
                            SELECT MAX(nonce) FROM reports WHERE id > (\(ReportLogTail.markQuery)) AND device = ?1)
                        """,
                    arguments: [key.rawRepresentation])
            ]
        case .postgres:
            let mark = try ReportLogTail.mark(in: db)
            logged = try ReportLogTail.tailEpochs(in: db).map { epoch in
                try Int64.fetchOne(
                    db, sql: "SELECT MAX(nonce) FROM reports WHERE epoch = ? AND id > ? AND device = ?",
                    arguments: [epoch, mark, key.rawRepresentation])
            }
            logged.append(
                try Int64.fetchOne(db, sql: "SELECT MAX(nonce) FROM device_reports WHERE device = ?", arguments: [key.rawRepresentation]))
        }
        return logged.compactMap { $0.map { UInt64(bitPattern: $0) } }.reduce(recorded, max)
    }

    /// `devices` (rows of the registry), each with its last nonce as `lastNonce` reads it, for
    /// many at once: the tail after the device index's mark read once, grouped by device, then the
    /// index's largest nonce for each. In a read transaction, so that the mark and the log agree.
    static func withLastNonces(_ devices: [DeviceRecord], in db: any SQLSession) throws -> [DeviceRecord] {
        guard devices.count > 1 else {
            return try devices.map { device in
                var device = device
                device.lastReportNonce = try lastNonce(of: device.key, recorded: device.lastReportNonce, in: db)
                return device
            }
        }
        let wanted = Set(devices.map(\.key))
        var logged: [PublicKey: UInt64] = [:]
        func note(_ row: SQLRow) throws {
            let key = try PublicKey(rawRepresentation: row[0] as Data)
            guard wanted.contains(key) else { return }
            let nonce: Int64 = row[1]
            logged[key] = max(logged[key] ?? 0, UInt64(bitPattern: nonce))
        }
        let mark = try ReportLogTail.mark(in: db)
        switch db.dialect {
        case .sqlite:
            try db.forEachRow(sql: "SELECT device, MAX(nonce) FROM reports WHERE id > ? GROUP BY device", arguments: [mark], note)
        case .postgres:
            for epoch in try ReportLogTail.tailEpochs(in: db) {
                try db.forEachRow(
                    sql: "SELECT device, MAX(nonce) FROM reports WHERE epoch = ? AND id > ? GROUP BY device", arguments: [epoch, mark],
                    note)
            }
        }
        return try devices.map { device in
            var device = device
            let indexed = try Int64.fetchOne(
                db, sql: "SELECT MAX(nonce) FROM device_reports WHERE device = ?", arguments: [device.key.rawRepresentation])
            device.lastReportNonce = max(
                device.lastReportNonce, logged[device.key] ?? 0, indexed.map { UInt64(bitPattern: $0) } ?? 0)
            return device
        }
    }

    /// The last `limit` reports of `device`, the latest first: those after the device index's
    /// mark (`ReportLogTail`), which came after all of its indexed ones with larger nonces, then
    /// the indexed ones. Run in a read transaction, so the mark and the log agree.
    static func recent(device: PublicKey, limit: Int, in db: any SQLSession) throws -> [SQLRow] {
        let mark = try ReportLogTail.mark(in: db)
        let key = device.rawRepresentation
        var rows: [SQLRow]
        switch db.dialect {
        case .sqlite:
            rows = try SQLRow.fetchAll(
                db, sql: "SELECT * FROM reports WHERE id > ? AND device = ? ORDER BY nonce DESC LIMIT ?",
                arguments: [mark, key, limit])
        case .postgres:
            rows = []
            for epoch in try ReportLogTail.tailEpochs(in: db) {
                rows += try SQLRow.fetchAll(
                    db, sql: "SELECT * FROM reports WHERE epoch = ? AND id > ? AND device = ? ORDER BY nonce DESC LIMIT ?",
                    arguments: [epoch, mark, key, limit])
            }
            func nonce(_ row: SQLRow) -> Int64 { row["nonce"] }
            rows = Array(rows.sorted { nonce($0) > nonce($1) }.prefix(limit))
        }
        guard rows.count < limit else { return rows }
        // On PostgreSQL the log's key is (epoch, id): the index keeps each report's epoch.
        let join = db.dialect == .sqlite ? "reports.id = device_reports.report"
            : "reports.epoch = device_reports.epoch AND reports.id = device_reports.report"
        rows += try SQLRow.fetchAll(
            db,
            sql: """
                SELECT reports.* FROM device_reports JOIN reports ON \(join)
                WHERE device_reports.device = ? ORDER BY device_reports.nonce DESC LIMIT ?
                """,
            arguments: [key, limit - rows.count])
        return rows
    }
}
