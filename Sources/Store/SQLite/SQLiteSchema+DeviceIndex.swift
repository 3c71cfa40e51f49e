import GRDB

extension SQLiteSchema {
    /// The report log's index by device, kept apart from the log and brought up to date in sorted
    /// passes (`ReportLogTail`) instead of a row at a time: the table, filled from the index it
    /// replaces, and the mark of how much of the log it covers.
    static func registerDeviceIndex(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v21-device-index") { db in
            try db.execute(
                sql: """
                    CREATE TABLE device_reports (
                        device BLOB NOT NULL, nonce INTEGER NOT NULL, report INTEGER NOT NULL,
                        PRIMARY KEY (device, nonce)
                    ) WITHOUT ROWID;
                    INSERT INTO device_reports (device, nonce, report)
                        SELECT device, nonce, id FROM reports ORDER BY device, nonce;
                    INSERT INTO meta (key, value)
                        VALUES ('device_index_through', CAST(COALESCE((SELECT MAX(id) FROM reports), 0) AS TEXT));
                    DROP INDEX reports_by_device;
                    """)
        }
    }
}
