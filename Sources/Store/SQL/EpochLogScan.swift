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
enum EpochLogScan {
    /// Ids a PostgreSQL query packs: a few megabytes of heartbeats.
    static let window: Int64 = 32_768

    static let packedWindow = """
        SELECT string_agg(int8send(id) || int4send(length(bytes)) || bytes, ''::bytea)
        FROM (SELECT id, bytes FROM reports WHERE epoch = ? AND id >= ? AND id < ? ORDER BY id) AS window_reports
        """

    /// Hands each report of `epoch`'s log to `visit`, in order (on PostgreSQL, `window` ids a query).
    static func forEachReport(
        epoch: Int64, in db: any SQLSession, window: Int64 = window, _ visit: (UnsafeRawBufferPointer) throws -> Void
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
                var at = 0
                while at < packed.count {
                    guard packed.count - at >= 12 else { throw corrupt(epoch, "a report's header is cut short") }
                    let id = Int64(bigEndian: packed.loadUnaligned(fromByteOffset: at, as: Int64.self))
                    let length = Int(UInt32(bigEndian: packed.loadUnaligned(fromByteOffset: at + 8, as: UInt32.self)))
                    at += 12
                    guard id > last else { throw corrupt(epoch, "report \(id) came after report \(last)") }
                    guard length <= packed.count - at else { throw corrupt(epoch, "report \(id) is cut short") }
                    last = id
                    try visit(UnsafeRawBufferPointer(rebasing: packed[at..<at + length]))
                    at += length
                }
            }
        }
    }

    private static func corrupt(_ epoch: Int64, _ what: String) -> StoreError {
        StoreError(.corrupt, "epoch \(epoch)'s packed report log: \(what)")
    }
}
