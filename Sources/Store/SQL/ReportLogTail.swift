import Core
import Foundation

/// The end of the report log that its device index does not cover yet.
///
/// Ingest appends reports in the order they arrive, from devices all over the registry. An index
/// by device kept up to date row by row took one random page of that index a report, and every
/// commit wrote each of those pages to the write-ahead log whole: about half of the writer's cost
/// of a report. So on SQLite the index (`device_reports`: device, nonce, report id) covers the log
/// up to a mark (`meta.device_index_through`), and the reports after it, at most `limit`, are
/// added to it in one sorted pass, which writes each page of the index once for all of them.
///
/// What ingest needs of the tail, the last nonce of each device in it, is kept here between its
/// write transactions. Only those transactions (one at a time: the database's writer) read or
/// change it, and each first checks that the log still ends where this copy says it does; when
/// it does not (a transaction that rolled back, another process that appended), the copy is read
/// again from the log. Reads that are not ingest's ask the log itself (`ReportLog.lastNonce`,
/// `ReportLog.recent`).
///
/// PostgreSQL keeps its index the same way (`device_reports` with each report's epoch, to find
/// its row in the partitioned log), and a device's row is a checkpoint there too. Several nodes
/// append to one log, so the copy cannot be checked against the log's last id (a partition's key
/// is (epoch, id)); it is checked against the database's write serial instead
/// (`SQLSession.writeSerial`). A copy is true after one write; a transaction numbered one more may
/// use it as it is, since no write came between. Any other finds what came between: the reports
/// after the copy's end (another node's appends: ids are taken under the write lock, so they
/// follow the order of the commits), or, when the mark moved (another node's pass), the whole tail
/// again. What a transaction makes of the copy is used by the next only once that transaction is
/// known to have committed (`committedShared`): one that rolled back may have appended reports
/// that are not in the log, or given its number to another node's write. The log there is found
/// by epoch, so with the mark goes a floor (`meta.device_index_floor`): the epoch every report
/// after the mark is at or above, the first epoch not frozen when the mark was set, since a
/// frozen epoch's reports are refused (`EpochFreeze`).
final class ReportLogTail: @unchecked Sendable {
    /// The most reports the tail holds before they are indexed. The larger, the fewer times each
    /// page of the index is written (in `depin bench ingest` the store's writer spent 21 µs a
    /// report at 16,384, 20 to 22 µs at 32,768 and 18 µs at 65,536), and the longer a read of one
    /// device's nonce or recent reports scans the tail (about 2, 4 and 8 ms).
    let limit: Int64

    private struct Copy {
        /// The last report the device index covers.
        var through: Int64
        /// The last report in the log.
        var end: Int64
        /// The last nonce of each device with reports after `through`.
        var nonces: [PublicKey: UInt64]
        /// PostgreSQL: the write after which it is true, if that write was numbered.
        var serial: Int64? = nil
        /// PostgreSQL: whether that write is known to have committed.
        var committed = false
    }

    private let lock = NSLock()
    private var copy: Copy?

    /// A tail indexed once it holds `limit` reports.
    init(limit: Int64 = 32_768) {
        precondition(limit > 0, "a tail holds at least one report")
        self.limit = limit
    }

    /// The last nonce of each device in the tail, read again from the log if this copy is not the
    /// log's. Called inside a write transaction.
    func nonces(in db: any SQLSession) throws -> [PublicKey: UInt64] {
        let copy = try current(before: .max, in: db)
        lock.withLock { self.copy = copy }
        return copy.nonces
    }

    /// Records what a write transaction appended: the reports from `first` to `end`, and the last
    /// nonce of each device that sent some. Once the tail holds `limit` reports they are indexed,
    /// in the same transaction.
    func appended(from first: Int64, through end: Int64, nonces: [(PublicKey, UInt64)], in db: any SQLSession) throws {
        var copy = try current(before: first, in: db)
        copy.end = end
        for (key, nonce) in nonces { copy.nonces[key] = nonce }
        if end - copy.through >= limit {
            try Self.index(after: copy.through, through: end, in: db)
            copy = Copy(through: end, end: end, nonces: [:])
        }
        lock.withLock { self.copy = copy }
    }

    /// PostgreSQL: the last nonce of each device in the tail, in the write transaction numbered
    /// `serial` (nil: not numbered, and the tail is read from the log).
    func sharedNonces(serial: Int64?, in db: any SQLSession) throws -> [PublicKey: UInt64] {
        let copy = try currentShared(serial: serial, in: db)
        lock.withLock { self.copy = copy }
        return copy.nonces
    }

    /// PostgreSQL: records what the write transaction numbered `serial` appended: reports up to
    /// `end`, and the last nonce of each device that sent some. Once the tail holds `limit`
    /// reports they are indexed, in the same transaction. What it records is used by the next
    /// write only after `committedShared(serial:)`.
    func appendedShared(through end: Int64, nonces: [(PublicKey, UInt64)], serial: Int64?, in db: any SQLSession) throws {
        var copy = try currentShared(serial: serial, in: db)
        copy.end = max(copy.end, end)
        for (key, nonce) in nonces { copy.nonces[key] = nonce }
        if end - copy.through >= limit {
            try Self.indexShared(after: copy.through, through: end, in: db)
            copy = Copy(through: end, end: end, nonces: [:])
        }
        copy.serial = serial
        copy.committed = false
        lock.withLock { self.copy = copy }
    }

    /// PostgreSQL: the write transaction numbered `serial` has committed; what it recorded is
    /// true after it.
    func committedShared(serial: Int64) {
        lock.withLock {
            if copy?.serial == serial { copy?.committed = true }
        }
    }

    /// PostgreSQL: the copy, if it is true after the write just before the one numbered `serial`;
    /// else the copy brought up to date from the log: by the reports after its end if the mark
    /// has not moved since it was true, else by the whole tail. A copy made from the log is true
    /// after the last write committed before this one, numbered `serial - 1`.
    private func currentShared(serial: Int64?, in db: any SQLSession) throws -> Copy {
        // Taken out, so that changing it copies nothing; put back by the caller.
        let kept = lock.withLock {
            defer { self.copy = nil }
            return self.copy
        }
        if let kept, kept.committed, let keptSerial = kept.serial, let serial, serial == keptSerial + 1 { return kept }
        let mark = try Self.mark(in: db)
        var copy = Copy(through: mark, end: mark, nonces: [:])
        if let kept, kept.committed, kept.serial != nil, kept.through == mark { copy = kept }
        let after = copy.end
        for epoch in try Self.tailEpochs(in: db) {
            try db.forEachRow(
                sql: "SELECT device, MAX(nonce) AS nonce, MAX(id) AS id FROM reports WHERE epoch = ? AND id > ? GROUP BY device",
                arguments: [epoch, after]
            ) { row in
                let key = try PublicKey(rawRepresentation: row[0] as Data)
                let (nonce, id): (Int64, Int64) = (row[1], row[2])
                copy.nonces[key] = max(copy.nonces[key] ?? 0, UInt64(bitPattern: nonce))
                copy.end = max(copy.end, id)
            }
        }
        copy.serial = serial.map { $0 - 1 }
        copy.committed = serial != nil
        return copy
    }

    /// PostgreSQL: indexes the reports after `mark` up to `end`, sorted by device, and moves the
    /// mark to `end` and the floor to the first epoch not frozen now: every report appended from
    /// here on is at or above it.
    static func indexShared(after mark: Int64, through end: Int64, in db: any SQLSession) throws {
        for epoch in try tailEpochs(in: db) {
            // One range of the partition's primary key, (epoch, id): the tail and nothing before.
            try db.execute(
                sql: """
                    INSERT INTO device_reports (device, nonce, report, epoch)
                    SELECT device, nonce, id, epoch FROM reports WHERE epoch = ? AND id > ? AND id <= ?
                    ORDER BY device, nonce
                    """,
                arguments: [epoch, mark, end])
        }
        try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'device_index_through'", arguments: [String(end)])
        if let frozen = try EpochFreeze.frozenThrough(in: db) {
            try db.execute(
                sql: """
                    INSERT INTO meta (key, value) VALUES ('device_index_floor', ?)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """,
                arguments: [String(frozen + 1)])
        }
    }

    /// PostgreSQL: the epochs the reports after the mark can be in, from the floor the last pass
    /// set (before any pass after a freeze, the log's first epoch) to the log's last; empty when
    /// the log is. The log is found by epoch there, one range of a partition's key an epoch.
    static func tailEpochs(in db: any SQLSession) throws -> [Int64] {
        guard let last = try Int64.fetchOne(db, sql: "SELECT MAX(epoch) FROM reports") else { return [] }
        let kept = try Int64.fetchOne(db, sql: "SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'device_index_floor'")
        guard let floor = try kept ?? Int64.fetchOne(db, sql: "SELECT MIN(epoch) FROM reports"), floor <= last else { return [] }
        return Array(floor...last)
    }

    /// Indexes the reports after `mark` up to `end`, sorted by device (so each page of the
    /// index is written once), and moves the mark to `end`.
    static func index(after mark: Int64, through end: Int64, in db: any SQLSession) throws {
        try db.execute(
            sql: """
                INSERT INTO device_reports (device, nonce, report)
                SELECT device, nonce, id FROM reports WHERE id > ? AND id <= ? ORDER BY device, nonce
                """,
            arguments: [mark, end])
        try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'device_index_through'", arguments: [String(end)])
    }

    /// The last report the device index covers (`meta.device_index_through`).
    static func mark(in db: any SQLSession) throws -> Int64 {
        try Int64.fetchOne(db, sql: markQuery) ?? 0
    }

    /// The query of `mark`, to be a subquery.
    static let markQuery = "SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'device_index_through'"

    /// This copy, taken out (so that changing it copies nothing), if the log's last report
    /// before `first` is where it says the log ends; else the tail read again from the log.
    private func current(before first: Int64, in db: any SQLSession) throws -> Copy {
        let end = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM reports WHERE id < ?", arguments: [first]) ?? 0
        let kept = lock.withLock {
            defer { self.copy = nil }
            return self.copy
        }
        if let kept, kept.end == end { return kept }
        let through = try Self.mark(in: db)
        var nonces: [PublicKey: UInt64] = [:]
        try db.forEachRow(
            sql: "SELECT device, MAX(nonce) AS nonce FROM reports WHERE id > ? GROUP BY device", arguments: [through]
        ) { row in
            let nonce: Int64 = row[1]
            nonces[try PublicKey(rawRepresentation: row[0])] = UInt64(bitPattern: nonce)
        }
        return Copy(through: through, end: try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM reports") ?? 0, nonces: nonces)
    }
}
