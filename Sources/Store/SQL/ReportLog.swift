import Core
import Foundation
import Ledger

/// The report log's writes for one ingest transaction, in as few statements as each database
/// does best: SQLite (in process) a statement a row; PostgreSQL (a round trip a statement) a
/// statement per few hundred rows.
enum ReportLog {
    /// What ingest needs of a registered device.
    struct Sender: Sendable {
        var kind: DeviceKind
        /// The last nonce accepted from it.
        var lastReportNonce: UInt64
        /// When its row last recorded a report (`devices.last_report_ms`).
        var recordedMs: Int64?
    }

    /// How stale a device's `last_report_ms` may get before ingest writes it again.
    ///
    /// The last nonce a device had accepted is the largest in the log itself (its device index,
    /// `device_reports`, and the tail after it, `ReportLogTail`), written in the same transaction
    /// as the report, so the devices row need not be written with every report: it is a
    /// checkpoint, written when its time is this much behind (its nonce a floor under the log's).
    /// Writing it in every commit, one random row of the registry a device, was a third of
    /// SQLite's cost of a report; on PostgreSQL, about 4 µs a report in the server, and the page's
    /// image in the write-ahead log the first time a checkpoint let it change.
    static let activityResolutionMs: Int64 = 10_000

    /// PostgreSQL: for the rest of this transaction, an index page costs about what a table's
    /// page read in order does (the default, 4, is a spinning disk's seek). With 4 the planner
    /// joined a commit's few hundred devices to the registry, in `senders` and in `advance`, by
    /// reading all of it, where an index probe each takes a third of the time. An expression, to
    /// ride on the commit's first statement (`EpochFreeze.frozenThrough(in:alongside:)`); nil on
    /// SQLite.
    static func preferIndexProbes(_ dialect: SQLDialect) -> String? {
        dialect == .postgres ? "set_config('random_page_cost', '1.1', true)" : nil
    }

    /// The registered devices among `keys`. SQLite is asked in chunks of a power of two (the last
    /// padded with its first key), so that it compiles a handful of statements once; PostgreSQL
    /// is given all the keys as one array. Each row names its key by position, so the answer is
    /// integers only. `tail` is the log's end that its device index does not cover yet.
    static func senders(_ keys: some Collection<PublicKey>, tail: ReportLogTail, in db: any SQLSession) throws -> [PublicKey: Sender] {
        var senders: [PublicKey: Sender] = [:]
        let all = Array(keys)
        let sqlite = db.dialect == .sqlite
        let tailNonces = sqlite ? try tail.nonces(in: db) : try tail.sharedNonces(serial: db.writeSerial, in: db)
        let logged = "(SELECT MAX(nonce) FROM device_reports WHERE device_reports.device = devices.key)"
        // PostgreSQL takes the keys as one array, whatever their number.
        let chunkSize = sqlite ? 512 : max(all.count, 1)
        for start in stride(from: 0, to: all.count, by: chunkSize) {
            let chunk = Array(all[start..<min(start + chunkSize, all.count)])
            let wanted: String
            var arguments: [SQLValue] = []
            if sqlite {
                var slots = 1
                while slots < chunk.count { slots *= 2 }
                arguments.reserveCapacity(2 * slots)
                for slot in 0..<slots {
                    arguments += [.integer(Int64(slot)), .blob(chunk[slot < chunk.count ? slot : 0].rawRepresentation)]
                }
                wanted = "VALUES " + Array(repeating: "(?, ?)", count: slots).joined(separator: ", ")
            } else {
                arguments = [.blobs(chunk.map { $0.rawRepresentation })]
                wanted = "SELECT slot - 1, key FROM unnest(?::bytea[]) WITH ORDINALITY AS given (key, slot)"
            }
            try db.scanIntegers(
                sql: """
                    WITH wanted (slot, key) AS (\(wanted))
                    SELECT wanted.slot, devices.kind, devices.last_report_nonce, devices.last_report_ms, \(logged)
                    FROM wanted JOIN devices ON devices.key = wanted.key
                    """,
                arguments: SQLArguments(arguments)
            ) { row in
                guard let slot = row[0], Int(slot) < chunk.count, let kind = row[1], let recorded = row[2] else { return }
                let key = chunk[Int(slot)]
                let lastNonce = max(
                    UInt64(bitPattern: recorded), row[4].map { UInt64(bitPattern: $0) } ?? 0, tailNonces[key] ?? 0)
                senders[key] = Sender(
                    kind: DeviceKind(rawValue: Int(kind)) ?? .unspecified, lastReportNonce: lastNonce, recordedMs: row[3])
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
    /// latest report of the types in `latestKept` is noted as it goes. `tail` learns of them (and
    /// has them indexed by device when it is full).
    static func append(
        _ reports: [VerifiedReport], receivedMs: Int64, tail: ReportLogTail, in db: any SQLSession
    ) throws -> [Int64] {
        let ids = try appendRows(reports, receivedMs: receivedMs, in: db)
        if let first = ids.first, let end = ids.last {
            switch db.dialect {
            case .sqlite:
                try tail.appended(from: first, through: end, nonces: reports.map { ($0.device, $0.report.nonce) }, in: db)
            case .postgres:
                try tail.appendedShared(
                    through: end, nonces: reports.map { ($0.device, $0.report.nonce) }, serial: db.writeSerial, in: db)
            }
        }
        // By position: a copy of a report is a copy of its message, field by field.
        for position in reports.indices where latestKept.contains(reports[position].type) {
            try db.execute(
                sql: """
                    INSERT INTO latest_reports (type, device, report, epoch) VALUES (?, ?, ?, ?)
                    ON CONFLICT (type, device) DO UPDATE SET report = excluded.report, epoch = excluded.epoch
                    """,
                arguments: [
                    reports[position].type, reports[position].device.rawRepresentation, ids[position], reports[position].epoch,
                ])
        }
        return ids
    }

    private static func appendRows(_ reports: [VerifiedReport], receivedMs: Int64, in db: any SQLSession) throws -> [Int64] {
        guard !reports.isEmpty else { return [] }
        func values(_ verified: VerifiedReport) -> [SQLValue] {
            [
                .blob(verified.device.rawRepresentation), .integer(Int64(verified.report.nonce)),
                .integer(verified.report.timestampMs), .integer(receivedMs), .text(verified.type), .integer(verified.epoch),
                .blob(verified.report.canonicalBytes),
            ]
        }
        switch db.dialect {
        case .sqlite:
            let insert = try db.prepare(
                sql: """
                    INSERT INTO reports (device, nonce, timestamp_ms, received_ms, type, epoch, bytes)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            return try reports.map { verified in try insert.insertReturningID(arguments: SQLArguments(values(verified))) }
        case .postgres:
            // Ids taken from the sequence first (in order: writes hold the write lock), then the
            // rows in one insert of a column an array: one short statement, where a multi-row
            // VALUES of thousands of parameters was parsed and planned anew every commit.
            // As one array: a row an id was a DataRow for the driver to decode, and a row here.
            // The columns are mapped by closures: mapped by key paths, each element went through
            // KeyPath's projection at run time, about a microsecond a report in all.
            let taken = try db.rows(
                sql: "SELECT array_agg(nextval('reports_id')) FROM generate_series(1, ?)", arguments: [reports.count]
            ).first?.value(at: 0)
            guard case .integers(let unsorted)? = taken, unsorted.count == reports.count else {
                throw StoreError(.corrupt, "the report log's sequence gave \(String(describing: taken)) for \(reports.count) ids")
            }
            let ids = unsorted.sorted()
            try db.execute(
                sql: """
                    INSERT INTO reports (id, device, nonce, timestamp_ms, received_ms, type, epoch, bytes)
                    SELECT r.id, r.device, r.nonce, r.timestamp_ms, ?, r.type, r.epoch, r.bytes
                    FROM unnest(?::bigint[], ?::bytea[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::bytea[])
                        AS r (id, device, nonce, timestamp_ms, type, epoch, bytes)
                    """,
                arguments: SQLArguments([
                    .integer(receivedMs), .integers(ids), .blobs(reports.map { $0.device.rawRepresentation }),
                    .integers(reports.map { Int64($0.report.nonce) }), .integers(reports.map { $0.report.timestampMs }),
                    .texts(reports.map { $0.type }), .integers(reports.map { $0.epoch }),
                    .blobs(reports.map { $0.report.canonicalBytes }),
                ]))
            return ids
        }
    }

    /// Whether `sender`'s devices row is `activityResolutionMs` old or more at `nowMs`.
    static func checkpointDue(_ sender: Sender, nowMs: Int64) -> Bool {
        sender.recordedMs.map { nowMs - $0 >= activityResolutionMs } ?? true
    }

    /// Records, for those of `devices` whose record is `activityResolutionMs` old or more, the last
    /// accepted nonce, and `nowMs` as when it last reported. Returns the devices it recorded.
    static func advance(_ devices: [(PublicKey, Sender)], nowMs: Int64, in db: any SQLSession) throws -> [PublicKey] {
        let due = devices.filter { _, sender in checkpointDue(sender, nowMs: nowMs) }
        guard !due.isEmpty else { return [] }
        switch db.dialect {
        case .sqlite:
            let statement = try db.prepare(sql: "UPDATE devices SET last_report_nonce = ?, last_report_ms = ? WHERE key = ?")
            for (key, sender) in due {
                try statement.execute(arguments: [Int64(bitPattern: sender.lastReportNonce), nowMs, key.rawRepresentation])
            }
        case .postgres:
            try db.execute(
                sql: """
                    UPDATE devices SET last_report_nonce = v.nonce, last_report_ms = ?
                    FROM unnest(?::bytea[], ?::bigint[]) AS v (key, nonce) WHERE devices.key = v.key
                    """,
                arguments: SQLArguments([
                    .integer(nowMs), .blobs(due.map { $0.0.rawRepresentation }),
                    .integers(due.map { Int64(bitPattern: $0.1.lastReportNonce) }),
                ]))
        }
        return due.map(\.0)
    }
}
