import Foundation
import GRDB
import Rewards

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
        migrator.registerMigration("v2-epochs") { db in
            try db.execute(
                sql: """
                    ALTER TABLE accounts ADD COLUMN payout TEXT;
                    CREATE TABLE device_owners (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        device BLOB NOT NULL,
                        owner TEXT NOT NULL,
                        since_ms INTEGER NOT NULL
                    );
                    CREATE INDEX device_owners_by_device ON device_owners(device, since_ms);
                    CREATE TABLE payout_history (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        account TEXT NOT NULL,
                        payout TEXT NOT NULL,
                        since_ms INTEGER NOT NULL
                    );
                    CREATE INDEX payout_history_by_account ON payout_history(account, since_ms);
                    CREATE TABLE epochs (
                        epoch INTEGER PRIMARY KEY,
                        start_ms INTEGER NOT NULL,
                        end_ms INTEGER NOT NULL,
                        emission TEXT NOT NULL,
                        minted TEXT NOT NULL,
                        burned TEXT NOT NULL,
                        root TEXT NOT NULL,
                        closed_ms INTEGER NOT NULL,
                        result TEXT NOT NULL
                    );
                    CREATE TABLE epoch_signatures (
                        epoch INTEGER NOT NULL,
                        oracle TEXT NOT NULL,
                        signature TEXT NOT NULL,
                        PRIMARY KEY (epoch, oracle)
                    );
                    CREATE INDEX journal_by_kind_time ON journal(kind, timestamp_ms);
                    """)
        }
        migrator.registerMigration("v3-prices") { db in
            try db.execute(
                sql: """
                    CREATE TABLE prices (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        timestamp_ms INTEGER NOT NULL,
                        credits_per_token TEXT NOT NULL,
                        oracle TEXT NOT NULL,
                        bytes BLOB NOT NULL
                    );
                    CREATE INDEX prices_by_time ON prices(timestamp_ms);
                    """)
        }
        migrator.registerMigration("v4-usage") { db in
            try db.execute(
                sql: """
                    CREATE TABLE usage (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        epoch INTEGER NOT NULL,
                        service TEXT NOT NULL,
                        device BLOB NOT NULL,
                        credits TEXT NOT NULL,
                        timestamp_ms INTEGER NOT NULL
                    );
                    CREATE INDEX usage_by_epoch ON usage(epoch, device);
                    """)
        }
        migrator.registerMigration("v5-locations") { db in
            try db.execute(
                sql: """
                    ALTER TABLE devices ADD COLUMN antenna_gain_dbi REAL NOT NULL DEFAULT 0;
                    ALTER TABLE devices ADD COLUMN elevation_m REAL NOT NULL DEFAULT 0;
                    ALTER TABLE devices ADD COLUMN location_reasserted_ms INTEGER;
                    CREATE TABLE device_locations (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        device BLOB NOT NULL,
                        latitude REAL NOT NULL,
                        longitude REAL NOT NULL,
                        antenna_gain_dbi REAL NOT NULL,
                        elevation_m REAL NOT NULL,
                        reasserted INTEGER NOT NULL,
                        since_ms INTEGER NOT NULL
                    );
                    CREATE INDEX device_locations_by_device ON device_locations(device, since_ms);
                    INSERT INTO device_locations (device, latitude, longitude, antenna_gain_dbi, elevation_m, reasserted, since_ms)
                        SELECT key, latitude, longitude, 0, 0, 0, onboarded_ms FROM devices WHERE latitude IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v6-activity") { db in
            try db.execute(sql: "ALTER TABLE devices ADD COLUMN last_report_ms INTEGER")
        }
        migrator.registerMigration("v7-device-rewards") { db in
            try db.execute(
                sql: """
                    CREATE TABLE device_rewards (
                        epoch INTEGER NOT NULL,
                        device TEXT NOT NULL,
                        reward TEXT NOT NULL,
                        PRIMARY KEY (device, epoch)
                    );
                    """)
            // v8 rebuilds this table with more columns and fills it from the stored results.
        }
        migrator.registerMigration("v8-explorer-index") { db in
            try db.execute(
                sql: """
                    ALTER TABLE devices ADD COLUMN cell INTEGER;
                    ALTER TABLE epochs ADD COLUMN pools TEXT;
                    ALTER TABLE epochs ADD COLUMN carried TEXT;
                    DROP TABLE device_rewards;
                    CREATE TABLE device_rewards (
                        epoch INTEGER NOT NULL,
                        device TEXT NOT NULL,
                        service TEXT NOT NULL,
                        cell INTEGER,
                        amount_high INTEGER NOT NULL,
                        amount_middle INTEGER NOT NULL,
                        amount_low INTEGER NOT NULL,
                        reward TEXT NOT NULL,
                        PRIMARY KEY (device, epoch)
                    );
                    CREATE INDEX device_rewards_by_amount
                        ON device_rewards(epoch, amount_high DESC, amount_middle DESC, amount_low DESC, device);
                    CREATE INDEX device_rewards_by_service
                        ON device_rewards(epoch, service, amount_high DESC, amount_middle DESC, amount_low DESC, device);
                    CREATE INDEX device_rewards_by_cell
                        ON device_rewards(epoch, cell, amount_high, amount_middle, amount_low);
                    CREATE TABLE epoch_services (
                        epoch INTEGER NOT NULL,
                        service TEXT NOT NULL,
                        totals TEXT NOT NULL,
                        PRIMARY KEY (epoch, service)
                    );
                    CREATE TABLE manifest_entries (
                        epoch INTEGER NOT NULL,
                        address TEXT NOT NULL,
                        cumulative TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        PRIMARY KEY (epoch, address)
                    ) WITHOUT ROWID;
                    CREATE TABLE merkle_nodes (
                        epoch INTEGER NOT NULL,
                        position INTEGER NOT NULL,
                        hash BLOB NOT NULL,
                        PRIMARY KEY (epoch, position)
                    ) WITHOUT ROWID;
                    """)
            // Each located device's cell, then what earlier epochs need, from their stored results.
            let located = try Row.fetchAll(db, sql: "SELECT key, latitude, longitude FROM devices WHERE latitude IS NOT NULL")
            for row in located {
                try db.execute(
                    sql: "UPDATE devices SET cell = ? WHERE key = ?",
                    arguments: [StoreRows.cell(latitude: row["latitude"], longitude: row["longitude"]), row["key"] as Data])
            }
            for text in try String.fetchAll(db, sql: "SELECT result FROM epochs ORDER BY epoch") {
                let result = try JSONDecoder().decode(EpochResult.self, from: Data(text.utf8))
                try StoreRows.saveEpochIndex(result, in: GRDBSession(db: db))
            }
        }
        migrator.registerMigration("v9-journal-accounts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE journal_accounts (
                        account TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        PRIMARY KEY (account, sequence)
                    ) WITHOUT ROWID;
                    """)
            let entries = try Row.fetchCursor(db, sql: "SELECT sequence, postings FROM journal ORDER BY sequence")
            while let entry = try entries.next() {
                try StoreRows.indexJournalAccounts(
                    sequence: entry["sequence"], postings: try StoreRows.postings(entry["postings"]), in: GRDBSession(db: db))
            }
        }
        migrator.registerMigration("v10-render") { db in
            try db.execute(
                sql: """
                    CREATE TABLE render_jobs (
                        id TEXT PRIMARY KEY,
                        creator TEXT NOT NULL,
                        service TEXT NOT NULL,
                        scene TEXT NOT NULL,
                        frame_start INTEGER NOT NULL,
                        frame_end INTEGER NOT NULL,
                        samples INTEGER NOT NULL,
                        format TEXT NOT NULL,
                        tier TEXT NOT NULL,
                        cap TEXT NOT NULL,
                        spent TEXT NOT NULL,
                        refunded TEXT NOT NULL,
                        state TEXT NOT NULL,
                        created_ms INTEGER NOT NULL,
                        finished_ms INTEGER
                    );
                    CREATE INDEX render_jobs_by_creator ON render_jobs(creator, created_ms);
                    CREATE TABLE render_tasks (
                        job TEXT NOT NULL,
                        frame INTEGER NOT NULL,
                        state TEXT NOT NULL,
                        node BLOB,
                        lease_until INTEGER,
                        output TEXT,
                        render_ms INTEGER,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        paid TEXT,
                        queued_ms INTEGER NOT NULL,
                        PRIMARY KEY (job, frame)
                    );
                    CREATE INDEX render_tasks_by_state ON render_tasks(state, queued_ms);
                    CREATE TABLE render_nodes (
                        device BLOB PRIMARY KEY,
                        benchmark_ms INTEGER NOT NULL,
                        renderer TEXT NOT NULL,
                        reputation INTEGER NOT NULL,
                        verified INTEGER NOT NULL DEFAULT 0,
                        failed INTEGER NOT NULL DEFAULT 0,
                        updated_ms INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v11-render-results") { db in
            try db.execute(
                sql: """
                    CREATE TABLE render_results (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        job TEXT NOT NULL,
                        frame INTEGER NOT NULL,
                        node BLOB NOT NULL,
                        role TEXT NOT NULL,
                        output TEXT NOT NULL,
                        render_ms INTEGER NOT NULL,
                        price TEXT NOT NULL,
                        paid TEXT,
                        verdict TEXT NOT NULL,
                        created_ms INTEGER NOT NULL
                    );
                    CREATE INDEX render_results_by_frame ON render_results(job, frame);
                    CREATE INDEX render_results_by_node ON render_results(job, node);
                    """)
        }
        migrator.registerMigration("v12-render-benchmark-checks") { db in
            try db.execute(
                sql: """
                    ALTER TABLE render_nodes ADD COLUMN scene TEXT;
                    ALTER TABLE render_nodes ADD COLUMN output TEXT;
                    ALTER TABLE render_nodes ADD COLUMN leases INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE render_nodes ADD COLUMN asked_ms INTEGER;
                    ALTER TABLE render_nodes ADD COLUMN check_due INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE render_nodes ADD COLUMN check_seed INTEGER;
                    ALTER TABLE render_nodes ADD COLUMN check_asked_ms INTEGER;
                    ALTER TABLE render_nodes ADD COLUMN check_until INTEGER;
                    ALTER TABLE render_nodes ADD COLUMN checks_passed INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE render_nodes ADD COLUMN checks_failed INTEGER NOT NULL DEFAULT 0;
                    CREATE INDEX render_nodes_by_asked ON render_nodes(asked_ms);
                    CREATE INDEX render_tasks_by_node ON render_tasks(node) WHERE node IS NOT NULL;
                    CREATE TABLE render_reference (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        scene TEXT NOT NULL,
                        device BLOB NOT NULL,
                        pinned_ms INTEGER NOT NULL
                    );
                    CREATE TABLE render_benchmark_checks (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        device BLOB NOT NULL,
                        seed INTEGER NOT NULL,
                        asked_ms INTEGER NOT NULL,
                        answered_ms INTEGER NOT NULL,
                        claimed_ms INTEGER NOT NULL,
                        reported_ms INTEGER NOT NULL,
                        output TEXT NOT NULL,
                        psnr REAL,
                        verdict TEXT NOT NULL,
                        benchmark_after_ms INTEGER NOT NULL,
                        penalty INTEGER NOT NULL
                    );
                    CREATE INDEX render_benchmark_checks_by_device ON render_benchmark_checks(device, id);
                    """)
        }
        migrator.registerMigration("v13-reports-by-type") { db in
            // The storage directory reads each device's latest report of one type.
            try db.execute(sql: "CREATE INDEX reports_by_type ON reports(type, device, id)")
        }
        migrator.registerMigration("v14-objects") { db in
            // The S3 gateway's metadata (ObjectCatalog). Objects and upload parts refer to blobs;
            // a blob's segments and pieces say where its bytes are.
            try db.execute(
                sql: """
                    CREATE TABLE s3_access_keys (
                        id TEXT PRIMARY KEY,
                        secret TEXT NOT NULL,
                        account BLOB NOT NULL,
                        created_ms INTEGER NOT NULL
                    );
                    CREATE INDEX s3_access_keys_by_account ON s3_access_keys(account, created_ms);
                    CREATE TABLE s3_key_requests (account BLOB PRIMARY KEY, last_ms INTEGER NOT NULL);
                    CREATE TABLE s3_buckets (name TEXT PRIMARY KEY, owner BLOB NOT NULL, created_ms INTEGER NOT NULL);
                    CREATE INDEX s3_buckets_by_owner ON s3_buckets(owner, name);
                    CREATE TABLE s3_blobs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        k INTEGER NOT NULL,
                        n INTEGER NOT NULL,
                        size INTEGER NOT NULL,
                        segment_bytes INTEGER NOT NULL,
                        created_ms INTEGER NOT NULL
                    );
                    CREATE TABLE s3_segments (
                        blob INTEGER NOT NULL,
                        number INTEGER NOT NULL,
                        length INTEGER NOT NULL,
                        PRIMARY KEY (blob, number)
                    ) WITHOUT ROWID;
                    CREATE TABLE s3_pieces (
                        blob INTEGER NOT NULL,
                        segment INTEGER NOT NULL,
                        idx INTEGER NOT NULL,
                        piece_id TEXT NOT NULL,
                        node BLOB NOT NULL,
                        url TEXT NOT NULL,
                        PRIMARY KEY (blob, segment, idx)
                    ) WITHOUT ROWID;
                    CREATE INDEX s3_pieces_by_node ON s3_pieces(node, piece_id);
                    CREATE TABLE s3_objects (
                        bucket TEXT NOT NULL,
                        key TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        etag TEXT NOT NULL,
                        content_type TEXT NOT NULL,
                        metadata TEXT NOT NULL,
                        created_ms INTEGER NOT NULL,
                        PRIMARY KEY (bucket, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE s3_object_parts (
                        bucket TEXT NOT NULL,
                        key TEXT NOT NULL,
                        ordinal INTEGER NOT NULL,
                        blob INTEGER NOT NULL,
                        size INTEGER NOT NULL,
                        PRIMARY KEY (bucket, key, ordinal)
                    ) WITHOUT ROWID;
                    CREATE INDEX s3_object_parts_by_blob ON s3_object_parts(blob);
                    CREATE TABLE s3_uploads (
                        id TEXT PRIMARY KEY,
                        bucket TEXT NOT NULL,
                        key TEXT NOT NULL,
                        owner BLOB NOT NULL,
                        content_type TEXT NOT NULL,
                        metadata TEXT NOT NULL,
                        created_ms INTEGER NOT NULL
                    );
                    CREATE INDEX s3_uploads_by_bucket ON s3_uploads(bucket, created_ms);
                    CREATE TABLE s3_upload_parts (
                        upload TEXT NOT NULL,
                        number INTEGER NOT NULL,
                        blob INTEGER NOT NULL,
                        size INTEGER NOT NULL,
                        etag TEXT NOT NULL,
                        created_ms INTEGER NOT NULL,
                        PRIMARY KEY (upload, number)
                    ) WITHOUT ROWID;
                    CREATE INDEX s3_upload_parts_by_blob ON s3_upload_parts(blob);
                    """)
        }
        migrator.registerMigration("v15-storage-audits") { db in
            // Audits check a piece's answers against its Merkle root; every audit is kept, with
            // each storage node's Beta reputation after it.
            try db.execute(
                sql: """
                    ALTER TABLE s3_pieces ADD COLUMN root TEXT NOT NULL DEFAULT '';
                    ALTER TABLE s3_pieces ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
                    CREATE TABLE storage_reputation (
                        node BLOB PRIMARY KEY,
                        alpha REAL NOT NULL,
                        beta REAL NOT NULL,
                        audits INTEGER NOT NULL,
                        failures INTEGER NOT NULL,
                        offline INTEGER NOT NULL,
                        disqualified_ms INTEGER
                    );
                    CREATE TABLE storage_audits (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        node BLOB NOT NULL,
                        piece_id TEXT NOT NULL,
                        leaf INTEGER NOT NULL,
                        result TEXT NOT NULL,
                        detail TEXT NOT NULL,
                        score REAL NOT NULL,
                        ms INTEGER NOT NULL
                    );
                    CREATE INDEX storage_audits_by_node ON storage_audits(node, id);
                    """)
        }
        migrator.registerMigration("v16-storage-billing") { db in
            // Each storage customer's billing state (byte-ms and egress carried as fractions of a
            // credit, the request that authorised charges), and egress served per storage node.
            try db.execute(
                sql: """
                    ALTER TABLE s3_key_requests ADD COLUMN request BLOB NOT NULL DEFAULT x'';
                    CREATE TABLE s3_billing (
                        account BLOB PRIMARY KEY,
                        last_ms INTEGER NOT NULL,
                        byte_ms_carry TEXT NOT NULL,
                        egress_bytes INTEGER NOT NULL,
                        egress_carry TEXT NOT NULL,
                        paid TEXT NOT NULL,
                        unpaid TEXT NOT NULL
                    );
                    CREATE TABLE s3_node_egress (node BLOB PRIMARY KEY, bytes INTEGER NOT NULL);
                    """)
        }
        registerCarriedState(in: &migrator)
        registerDeviceIndex(in: &migrator)
        return migrator
    }
}
