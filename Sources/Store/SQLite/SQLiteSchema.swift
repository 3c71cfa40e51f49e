import GRDB

/// The SQLite schema, as ordered migrations.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE accounts (
                        address TEXT PRIMARY KEY,
                        tokens TEXT NOT NULL,
                        credits TEXT NOT NULL,
                        nonce INTEGER NOT NULL
                    );
                    CREATE TABLE devices (
                        key BLOB PRIMARY KEY,
                        kind INTEGER NOT NULL,
                        owner TEXT NOT NULL,
                        maker BLOB NOT NULL,
                        latitude REAL,
                        longitude REAL,
                        onboarded_ms INTEGER NOT NULL,
                        last_report_nonce INTEGER NOT NULL
                    );
                    CREATE INDEX devices_by_owner ON devices(owner);
                    CREATE TABLE journal (
                        sequence INTEGER PRIMARY KEY,
                        timestamp_ms INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        tx BLOB NOT NULL,
                        reference TEXT NOT NULL,
                        postings TEXT NOT NULL,
                        previous_hash BLOB NOT NULL,
                        hash BLOB NOT NULL
                    );
                    CREATE TABLE reports (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        device BLOB NOT NULL,
                        nonce INTEGER NOT NULL,
                        timestamp_ms INTEGER NOT NULL,
                        received_ms INTEGER NOT NULL,
                        type TEXT NOT NULL,
                        epoch INTEGER NOT NULL,
                        bytes BLOB NOT NULL
                    );
                    CREATE UNIQUE INDEX reports_by_device ON reports(device, nonce);
                    CREATE INDEX reports_by_epoch ON reports(epoch, id);
                    """)
        }
        return migrator
    }
}
