/// PostgreSQL keeps the report log in partitions by epoch, a day of epochs each (at least one):
/// an epoch's close reads one partition, and an old day can be detached or dropped whole. A
/// partition is made when its first report arrives, under the write lock.
enum ReportPartitions {
    /// How many epochs a partition holds for epochs `lengthSeconds` long: a day's worth.
    static func span(epochSeconds lengthSeconds: Int) -> Int64 { max(1, 86_400 / Int64(max(lengthSeconds, 1))) }

    /// Makes the partitions that `epochs` fall in where they are missing. Does nothing on SQLite,
    /// whose report log is one table.
    static func ensure(_ epochs: Set<Int64>, in db: any SQLSession) throws {
        guard db.dialect == .postgres, !epochs.isEmpty else { return }
        let span = try Int64.fetchOne(db, sql: "SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'report_partition_epochs'") ?? 1
        for block in Set(epochs.map { $0 >= 0 ? $0 / span : ($0 - span + 1) / span }) {
            let name = block >= 0 ? "reports_\(block)" : "reports_m\(-block)"
            guard try String.fetchOne(db, sql: "SELECT CAST(to_regclass(?) AS TEXT)", arguments: [name]) == nil else { continue }
            try db.execute(
                sql: "CREATE TABLE \(name) PARTITION OF reports FOR VALUES FROM (\(block * span)) TO (\((block + 1) * span))")
        }
    }
}
