import Foundation

/// PostgreSQL keeps the report log in partitions by epoch, a day of epochs each (at least one):
/// an epoch's close reads one partition, and an old day can be detached or dropped whole. A
/// partition is made when its first report arrives, under the write lock.
///
/// Each store remembers the span (fixed at bootstrap) and the partitions it has seen exist, so
/// that a commit asks the database about a partition only the first time one of its epochs
/// arrives: two round trips of a commit's dozen, in every commit, before. A partition seen is
/// remembered once the transaction that found or made it commits, and taken to stay; if an
/// operator drops one whose epochs are still open, the insert fails, and a failed commit forgets
/// what was seen (`forget`).
final class ReportPartitions: @unchecked Sendable {
    private let lock = NSLock()
    private var span: Int64?
    private var seen: Set<Int64> = []

    init() {}

    /// How many epochs a partition holds for epochs `lengthSeconds` long: a day's worth.
    static func span(epochSeconds lengthSeconds: Int) -> Int64 { max(1, 86_400 / Int64(max(lengthSeconds, 1))) }

    /// Makes the partitions that `epochs` fall in where they are missing, in a write transaction,
    /// and returns those it did not know of, to be remembered once it commits (`remember`). Does
    /// nothing on SQLite, whose report log is one table.
    func ensure(_ epochs: some Sequence<Int64>, in db: any SQLSession) throws -> Set<Int64> {
        guard db.dialect == .postgres else { return [] }
        let (known, remembered) = lock.withLock { (span, seen) }
        let width = try known ?? Int64.fetchOne(db, sql: "SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'report_partition_epochs'") ?? 1
        lock.withLock { span = width }
        var blocks: Set<Int64> = []
        for epoch in epochs {
            let block = epoch >= 0 ? epoch / width : (epoch - width + 1) / width
            if !remembered.contains(block) { blocks.insert(block) }
        }
        for block in blocks {
            let name = block >= 0 ? "reports_\(block)" : "reports_m\(-block)"
            guard try String.fetchOne(db, sql: "SELECT CAST(to_regclass(?) AS TEXT)", arguments: [name]) == nil else { continue }
            try db.execute(
                sql: "CREATE TABLE \(name) PARTITION OF reports FOR VALUES FROM (\(block * width)) TO (\((block + 1) * width))")
        }
        return blocks
    }

    /// Remembers `blocks`' partitions, now that the transaction that found or made them committed.
    func remember(_ blocks: Set<Int64>) {
        guard !blocks.isEmpty else { return }
        lock.withLock { seen.formUnion(blocks) }
    }

    /// Whether the partition of `block` (epochs `block` × the span onwards) is remembered.
    func remembers(_ block: Int64) -> Bool { lock.withLock { seen.contains(block) } }

    /// Forgets what was seen, after a commit failed (an operator may have dropped a partition).
    func forget() {
        lock.withLock {
            span = nil
            seen = []
        }
    }
}
