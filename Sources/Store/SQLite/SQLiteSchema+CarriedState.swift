import GRDB

extension SQLiteSchema {
    /// What epochs carry from one to the next beyond money: each service's state after each
    /// epoch, the reports refused at ingest (a device's record), and customers' bounties.
    static func registerCarriedState(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v17-carried-state") { db in
            try db.execute(
                sql: """
                    CREATE TABLE service_states (
                        epoch INTEGER NOT NULL,
                        service TEXT NOT NULL,
                        state BLOB NOT NULL,
                        PRIMARY KEY (epoch, service)
                    );
                    CREATE TABLE report_refusals (
                        device BLOB NOT NULL,
                        nonce INTEGER NOT NULL,
                        epoch INTEGER NOT NULL,
                        type TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        received_ms INTEGER NOT NULL,
                        PRIMARY KEY (device, nonce)
                    );
                    CREATE INDEX report_refusals_by_epoch ON report_refusals(epoch);
                    CREATE TABLE bounties (
                        id TEXT PRIMARY KEY,
                        account TEXT NOT NULL,
                        service TEXT NOT NULL,
                        area TEXT NOT NULL,
                        credits TEXT NOT NULL,
                        first_epoch INTEGER NOT NULL,
                        epochs INTEGER NOT NULL,
                        created_ms INTEGER NOT NULL,
                        refunded TEXT NOT NULL DEFAULT '0'
                    );
                    CREATE INDEX bounties_by_epoch ON bounties(first_epoch);
                    CREATE INDEX bounties_by_account ON bounties(account);
                    """)
        }
        migrator.registerMigration("v18-telemetry-grants") { db in
            try db.execute(
                sql: """
                    CREATE TABLE telemetry_grants (
                        device BLOB NOT NULL,
                        grantee TEXT NOT NULL,
                        privileges TEXT NOT NULL,
                        expires_ms INTEGER NOT NULL,
                        granted_ms INTEGER NOT NULL,
                        PRIMARY KEY (device, grantee)
                    );
                    """)
        }
        // Operators' changes (the denylist, service parameters), an input of every epoch.
        migrator.registerMigration("v19-governance") { db in
            try db.execute(sql: GovernanceRows.createTable)
        }
        // Each device's latest report of the types read that way (the storage directory), kept as
        // reports arrive; the (type, device, id) index it replaces cost every report a fourth
        // index entry at ingest.
        migrator.registerMigration("v20-latest-reports") { db in
            try db.execute(sql: ReportLog.latestReportsMigration(blob: "BLOB"))
        }
    }
}
