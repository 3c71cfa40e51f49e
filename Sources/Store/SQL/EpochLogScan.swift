import Core
import Foundation

/// An epoch's report log read in log order (by id), each report's signed bytes handed over in
/// place: what a close reads.
///
/// SQLite steps through the log's rows. PostgreSQL packs them: ten million rows, one DataRow
/// each, cost the driver more than anything the close then does with them (a fifth of the
/// machine, decoding and copying, in a profile at 100,000 devices). So the server concatenates
/// each window of `window` ids into one value, a report as its id (8 bytes, big-endian), its
/// length (4) and its bytes, and this side walks the values. The ids are checked to rise, so the
/// log's order is checked here rather than assumed of the server's plan.
///
/// A report longer than `packedLimit` (a request may be a megabyte) is packed as its id and a
/// length of all ones, and read on its own, `largeGroup` to a query, when the walk reaches it:
/// so a value stays within `window` times `packedLimit` bytes, far below PostgreSQL's limit of a
/// gigabyte a value, whatever the reports.
enum EpochLogScan {
    /// Ids a PostgreSQL query packs: about two megabytes of heartbeats.
    static let window: Int64 = 16_384
    /// The longest report packed with the others.
    static let packedLimit = 4_096
    /// Reports too long to pack, read a query at a time.
    static let largeGroup = 64

    static let packedWindow = """
        SELECT string_agg(int8send(id) || CASE WHEN length(bytes) <= \(packedLimit)
            THEN int4send(length(bytes)) || bytes ELSE int4send(-1) END, ''::bytea)
        FROM (SELECT id, bytes FROM reports WHERE epoch = ? AND id >= ? AND id < ? ORDER BY id) AS window_reports
        """

    /// Hands each report of `epoch`'s log to `visit`, in order (on PostgreSQL, `window` ids a query,
    /// and reports too long to pack `largeGroup` a query).
    static func forEachReport(
        epoch: Int64, in db: any SQLSession, window: Int64 = window, largeGroup: Int = largeGroup,
        _ visit: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard db.dialect == .postgres else {
            try db.scanBlobs(sql: "SELECT bytes FROM reports WHERE epoch = ? ORDER BY id", arguments: [epoch]) {
                try $0.withUnsafeBytes(visit)
            }
            return
        }
        let bounds = try db.rows(sql: "SELECT MIN(id), MAX(id) FROM reports WHERE epoch = ?", arguments: [epoch])
        guard let row = bounds.first, let low = Int64.fromSQL(row.value(at: 0)),
            let high = Int64.fromSQL(row.value(at: 1))
        else { return }
        let pages = stride(from: low, through: high, by: Int(window)).map { start -> SQLArguments in
            [epoch, start, start + min(window, high - start + 1)]
        }
        var last = Int64.min
        try db.scanBlobPages(sql: packedWindow, pages: pages) { page in
            try page.withUnsafeBytes { packed in
                // The window's reports: each one's id, and where its bytes lie (nil: too long to pack).
                var reports: [(id: Int64, bytes: Range<Int>?)] = []
                var at = 0
                while at < packed.count {
                    guard packed.count - at >= 12 else { throw corrupt(epoch, "a report's header is cut short") }
                    let id = Int64(bigEndian: packed.loadUnaligned(fromByteOffset: at, as: Int64.self))
                    let length = UInt32(bigEndian: packed.loadUnaligned(fromByteOffset: at + 8, as: UInt32.self))
                    at += 12
                    guard id > last else { throw corrupt(epoch, "report \(id) came after report \(last)") }
                    last = id
                    guard length != UInt32.max else {
                        reports.append((id, nil))
                        continue
                    }
                    guard Int(length) <= packed.count - at else { throw corrupt(epoch, "report \(id) is cut short") }
                    reports.append((id, at..<at + Int(length)))
                    at += Int(length)
                }
                var large = reports.lazy.filter { $0.bytes == nil }.map(\.id).makeIterator()
                var read: [Data] = []
                var next = 0
                for report in reports {
                    if let bytes = report.bytes {
                        try visit(UnsafeRawBufferPointer(rebasing: packed[bytes]))
                        continue
                    }
                    if next == read.count {
                        var ids: [Int64] = []
                        while ids.count < largeGroup, let id = large.next() { ids.append(id) }
                        read = try readLarge(ids, epoch: epoch, in: db)
                        next = 0
                    }
                    try read[next].withUnsafeBytes(visit)
                    next += 1
                }
            }
        }
    }

    /// The reports with these ids (in order) in `epoch`'s log, read in one query.
    private static func readLarge(_ ids: [Int64], epoch: Int64, in db: any SQLSession) throws -> [Data] {
        let rows = try db.rows(
            sql: "SELECT id, bytes FROM reports WHERE epoch = ? AND id = ANY(?::bigint[]) ORDER BY id",
            arguments: SQLArguments([.integer(epoch), .integers(ids)]))
        guard rows.map({ Int64.fromSQL($0.value(at: 0)) }) == ids else {
            throw corrupt(epoch, "reports \(ids.first ?? 0) to \(ids.last ?? 0) did not read back as packed")
        }
        return try rows.map { row in
            guard case .blob(let bytes) = row.value(at: 1) else { throw corrupt(epoch, "a report is not bytes") }
            return bytes
        }
    }

    private static func corrupt(_ epoch: Int64, _ what: String) -> StoreError {
        StoreError(.corrupt, "epoch \(epoch)'s packed report log: \(what)")
    }
}
