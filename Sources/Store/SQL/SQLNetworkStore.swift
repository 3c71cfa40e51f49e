import Core
import Foundation
import Ledger

/// The store, written once in the SQL both of its databases speak: embedded SQLite (one file,
/// one node) or PostgreSQL (several nodes on one server). Every call is one transaction, durable
/// before it returns.
public final class SQLNetworkStore: NetworkStore {
    let writer: any SQLDatabase
    /// The end of the report log that its device index does not cover yet.
    let reportTail: ReportLogTail
    /// PostgreSQL: the devices ingest last saw, while this node's write was the last.
    let senderCache: SenderCache
    /// PostgreSQL: the report log's partitions this node has seen.
    let reportPartitions = ReportPartitions()

    /// A store on `database`, whose schema is in place.
    public init(database: any SQLDatabase) {
        writer = database
        reportTail = ReportLogTail()
        senderCache = SenderCache()
    }

    /// A store on `database` whose report log is indexed by device every `deviceIndexEvery`
    /// reports (a test's small figure shows the index and the tail meeting), and whose ingest
    /// keeps at most `sendersKept` devices between commits.
    init(database: any SQLDatabase, deviceIndexEvery: Int64 = 32_768, sendersKept: Int = 1 << 18) {
        writer = database
        reportTail = ReportLogTail(limit: deviceIndexEvery)
        senderCache = SenderCache(limit: sendersKept)
    }

    /// How stale a device's `lastReportMs` may be on SQLite (`ReportLog.activityResolutionMs`).
    public static let activityResolutionMs = ReportLog.activityResolutionMs

    /// Opens the store the node's `--database-url` names: a PostgreSQL URL (postgres://…) or,
    /// when nil, the SQLite file at `sqlitePath`.
    public static func open(url: String?, sqlitePath: String) async throws -> SQLNetworkStore {
        guard let url else { return try SQLNetworkStore(path: sqlitePath) }
        return SQLNetworkStore(database: try await PostgresPool(url: url))
    }

    /// Closes the database's connections.
    public func close() async throws { try await writer.close() }

    /// After a bulk load, such as a benchmark's set-up: on PostgreSQL, what autovacuum and the
    /// checkpointer would otherwise catch up on over the next minutes, done now
    /// (`PostgresPool.settle`); SQLite has no such upkeep apart from its commits. Returns what could
    /// not be done, or nil.
    public func settle() async throws -> String? {
        guard let pool = writer as? PostgresPool else { return nil }
        return try await pool.settle()
    }

    /// Opens (creating if needed) the SQLite file at `path`.
    public convenience init(path: String) throws {
        self.init(database: try GRDBDatabase(path: path))
    }

    /// An in-memory SQLite store, for tests.
    public convenience init() throws {
        self.init(database: try GRDBDatabase())
    }

    public func bootstrap(genesis: Genesis, genesisHash: String, nowMs: Int64) async throws {
        try await writer.write { db in
            if let stored = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'genesis_hash'") {
                guard stored == genesisHash else {
                    throw StoreError(
                        .genesisMismatch,
                        "this data directory belongs to another genesis (\(stored.prefix(16))…), not \(genesisHash.prefix(16))…"
                    )
                }
                return
            }
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('genesis_hash', ?)", arguments: [genesisHash])
            try db.execute(
                sql: "INSERT INTO meta (key, value) VALUES ('report_partition_epochs', ?)",
                arguments: [String(ReportPartitions.span(epochSeconds: genesis.epochs.lengthSeconds))])
            guard !genesis.allocations.isEmpty else { return }
            let postings = genesis.allocations.map {
                Posting(account: $0.account, asset: .token, direction: .credit, amount: $0.amount)
            }
            try Self.applyPostings(postings, in: db)
            _ = try StoreRows.appendJournal(
                kind: .genesis, transaction: Data(), reference: genesisHash, postings: postings, nowMs: nowMs, in: db)
        }
    }

    public func apply(_ transaction: Transaction, rules: TransactionRules, nowMs: Int64) async throws -> JournalEntry {
        try await writer.write { db in
            let view = SQLLedgerView(db: db)
            let change = try rules.evaluate(transaction, view: view, nowMs: nowMs)
            try Self.applyPostings(change.postings, in: db)
            var signer = try view.account(change.signer)
            signer.nonce = change.nonce
            if let payout = change.payoutAddress {
                signer.payoutAddress = payout
                try db.execute(
                    sql: "INSERT INTO payout_history (account, payout, since_ms) VALUES (?, ?, ?)",
                    arguments: [signer.address.description, payout.description, nowMs])
            }
            try StoreRows.saveAccount(signer, in: db)
            if let usage = change.usage {
                let epoch = rules.genesis.epochs.epoch(ofMs: nowMs)
                for charge in usage.charges {
                    try EpochFreeze.recordUsage(
                        clockEpoch: epoch, service: usage.service, device: charge.device.rawRepresentation,
                        credits: charge.credits.description, nowMs: nowMs, in: db)
                }
            }
            for device in change.devices {
                if try view.device(device.key)?.owner != device.owner {
                    try db.execute(
                        sql: "INSERT INTO device_owners (device, owner, since_ms) VALUES (?, ?, ?)",
                        arguments: [device.key.rawRepresentation, device.owner.description, nowMs])
                }
                if change.kind == .onboardDevice || change.kind == .assertLocation,
                    let latitude = device.latitude, let longitude = device.longitude
                {
                    try db.execute(
                        sql: """
                            INSERT INTO device_locations
                                (device, latitude, longitude, antenna_gain_dbi, elevation_m, reasserted, since_ms)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            device.key.rawRepresentation, latitude, longitude, device.antennaGainDbi, device.elevationM,
                            change.kind == .assertLocation, nowMs,
                        ])
                }
                try StoreRows.saveDevice(device, in: db)
            }
            if let escrow = change.escrow, case .submitRenderJob(let job)? = transaction.action {
                try RenderRows.createJob(job, escrow: escrow, creator: change.signer, nowMs: nowMs, in: db)
            }
            try GrantRows.apply(change, in: db)
            if let escrow = change.escrow, case .postBounty(let bounty)? = transaction.action {
                // A bounty runs from the epoch after the one it is posted in, so an epoch's input
                // never changes once the epoch has begun.
                try db.execute(
                    sql: """
                        INSERT INTO bounties (id, account, service, area, credits, first_epoch, epochs, created_ms)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        escrow.job, change.signer.description, escrow.service, bounty.area, escrow.credits.description,
                        rules.genesis.epochs.epoch(ofMs: nowMs) + 1, Int64(bounty.epochs), nowMs,
                    ])
            }
            let entry = try StoreRows.appendJournal(
                kind: change.kind, transaction: transaction.canonicalBytes,
                reference: change.escrow?.job ?? change.payoutAddress?.description ?? change.governance?.device?.description
                    ?? "",
                postings: change.postings, nowMs: nowMs, in: db)
            if let governance = change.governance { try GovernanceRows.save(governance, sequence: entry.sequence, in: db) }
            return entry
        }
    }

    /// Applies postings to the stored balances; an overdraft aborts the whole transaction.
    static func applyPostings(_ postings: [Posting], in db: any SQLSession) throws {
        let view = SQLLedgerView(db: db)
        for posting in postings {
            var account = try view.account(posting.account)
            do { try posting.apply(to: &account) } catch {
                throw TransactionError(.insufficientBalance, error.message)
            }
            try StoreRows.saveAccount(account, in: db)
        }
    }

    public func account(_ address: Address) async throws -> AccountState? {
        try await writer.readStatement { db in
            try SQLRow.fetchOne(db, sql: "SELECT * FROM accounts WHERE address = ?", arguments: [address.description])
                .map(StoreRows.account)
        }
    }

    public func device(_ key: PublicKey) async throws -> DeviceRecord? {
        // One transaction: its last nonce is read from the registry, the device index and the
        // tail after the index's mark, which must agree.
        try await writer.read { db in try SQLLedgerView(db: db).device(key) }
    }

    public func devices(ownedBy owner: Address) async throws -> [DeviceRecord] {
        try await writer.read { db in
            // Each with its last nonce from the log: the registry's is a checkpoint.
            try ReportLog.withLastNonces(
                SQLRow.fetchAll(db, sql: "SELECT * FROM devices WHERE owner = ? ORDER BY key", arguments: [owner.description])
                    .map(StoreRows.device),
                in: db)
        }
    }

    public func journal(from sequence: UInt64, limit: Int) async throws -> [JournalEntry] {
        try await writer.read { db in
            try SQLRow.fetchAll(
                db, sql: "SELECT * FROM journal WHERE sequence >= ? ORDER BY sequence LIMIT ?",
                arguments: [Int64(sequence), limit]
            ).map(StoreRows.journalEntry)
        }
    }

    public func reports(device: PublicKey, limit: Int) async throws -> [ReportRecord] {
        try await writer.read { db in
            try ReportLog.recent(device: device, limit: limit, in: db).map(StoreRows.report)
        }
    }

    public func recordPrice(_ quote: PriceQuote, genesis: Genesis, nowMs: Int64) async throws {
        try await writer.write { db in
            try BurnPrice.check(quote, genesis: genesis, latest: try SQLLedgerView(db: db).latestPrice(), nowMs: nowMs)
            try db.execute(
                sql: "INSERT INTO prices (timestamp_ms, credits_per_token, oracle, bytes) VALUES (?, ?, ?, ?)",
                arguments: [
                    quote.timestampMs, quote.creditsPerToken, try PublicKey(rawRepresentation: quote.oracle).address.description,
                    quote.canonicalBytes,
                ])
        }
    }

    public func burnPrice(genesis: Genesis, nowMs: Int64) async throws -> BurnPrice {
        try await writer.read { db in
            BurnPrice.current(genesis: genesis, latest: try SQLLedgerView(db: db).latestPrice(), nowMs: nowMs)
        }
    }

    public func counts() async throws -> StoreCounts {
        try await writer.read { db in
            StoreCounts(
                accounts: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accounts") ?? 0,
                devices: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM devices") ?? 0,
                journalEntries: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM journal") ?? 0,
                reports: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reports") ?? 0)
        }
    }

    public func governanceChanges() async throws -> [GovernanceChange] {
        try await writer.read { db in try GovernanceRows.all(in: db) }
    }

    public func verifyLedger(rules: TransactionRules) async throws -> LedgerVerificationResult {
        try await writer.read { db in
            var replay = JournalReplay(rules: rules)
            try db.forEachRow(sql: "SELECT * FROM journal ORDER BY sequence", arguments: []) { row in
                replay.check(try StoreRows.journalEntry(row))
            }
            let stored = try SQLRow.fetchAll(db, sql: "SELECT * FROM accounts").map(StoreRows.account)
            return replay.finish(comparingWith: stored)
        }
    }
}
