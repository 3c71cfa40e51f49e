import Core
import Foundation
import Geo
import Ledger
import Rewards

/// Row decoding and encoding shared by the SQLite store.
enum StoreRows {
    static func account(_ row: SQLRow) throws -> AccountState {
        AccountState(
            address: try Address(parsing: row["address"]),
            tokens: try Amount(parsing: row["tokens"]),
            credits: try Amount(parsing: row["credits"]),
            nonce: UInt64(row["nonce"] as Int64),
            payoutAddress: (row["payout"] as String?).flatMap { try? EVMAddress(parsing: $0) })
    }

    static func device(_ row: SQLRow) throws -> DeviceRecord {
        var device = DeviceRecord(
            key: try PublicKey(rawRepresentation: row["key"]),
            kind: DeviceKind(rawValue: row["kind"]) ?? .unspecified,
            owner: try Address(parsing: row["owner"]),
            maker: try PublicKey(rawRepresentation: row["maker"]),
            latitude: row["latitude"], longitude: row["longitude"],
            onboardedMs: row["onboarded_ms"],
            lastReportNonce: UInt64(row["last_report_nonce"] as Int64))
        device.antennaGainDbi = row["antenna_gain_dbi"] ?? 0
        device.elevationM = row["elevation_m"] ?? 0
        device.locationReassertedMs = row["location_reasserted_ms"]
        device.lastReportMs = row["last_report_ms"]
        return device
    }

    static func journalEntry(_ row: SQLRow) throws -> JournalEntry {
        let postingsText: String = row["postings"]
        var entry = JournalEntry(
            sequence: UInt64(row["sequence"] as Int64), timestampMs: row["timestamp_ms"],
            kind: JournalEntry.Kind(rawValue: row["kind"]) ?? .transfer, transaction: row["tx"],
            reference: row["reference"], postings: try postings(postingsText), previousHash: row["previous_hash"])
        entry.hash = row["hash"]
        return entry
    }

    static func report(_ row: SQLRow) throws -> ReportRecord {
        ReportRecord(
            id: row["id"], device: try PublicKey(rawRepresentation: row["device"]),
            nonce: UInt64(row["nonce"] as Int64), timestampMs: row["timestamp_ms"], receivedMs: row["received_ms"],
            type: row["type"], epoch: row["epoch"], bytes: row["bytes"])
    }

    static func postingsText(_ postings: [Posting]) throws -> String {
        String(decoding: try JSONEncoder().encode(postings), as: UTF8.self)
    }

    static func postings(_ text: String) throws -> [Posting] {
        try JSONDecoder().decode([Posting].self, from: Data(text.utf8))
    }

    static func saveAccount(_ account: AccountState, in db: any SQLSession) throws {
        try db.execute(
            sql: """
                INSERT INTO accounts (address, tokens, credits, nonce, payout) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(address) DO UPDATE SET tokens = excluded.tokens, credits = excluded.credits,
                nonce = excluded.nonce, payout = excluded.payout
                """,
            arguments: [
                account.address.description, account.tokens.description, account.credits.description,
                Int64(account.nonce), account.payoutAddress?.description,
            ])
    }

    /// What the explorer and the claim routes read of a committed epoch, beside its result: its
    /// pools and carry, one row per device reward (with its amount as sortable, summable columns
    /// and the device's cell as the epoch committed), each service's totals, the manifest and
    /// the Merkle tree's nodes.
    static func saveEpochIndex(_ result: EpochResult, in db: any SQLSession) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        try db.execute(
            sql: "UPDATE epochs SET pools = ?, carried = ? WHERE epoch = ?",
            arguments: [try json(result.pools), try json(result.carryForward), result.epoch])
        try db.insertRows(
            sql: """
                INSERT INTO device_rewards
                    (epoch, device, service, cell, amount_high, amount_middle, amount_low, reward)
                VALUES (?, ?, ?, (SELECT cell FROM devices WHERE key = ?), ?, ?, ?, ?)
                ON CONFLICT (device, epoch) DO UPDATE SET service = excluded.service, cell = excluded.cell,
                    amount_high = excluded.amount_high, amount_middle = excluded.amount_middle,
                    amount_low = excluded.amount_low, reward = excluded.reward
                """,
            rows: try result.devices.map { line in
                let amount = AmountColumns.split(line.amount)
                return [
                    result.epoch, line.device.description, line.service, line.device.publicKey.rawRepresentation,
                    amount.high, amount.middle, amount.low, try json(line),
                ]
            })
        try db.insertRows(
            sql: """
                INSERT INTO epoch_services (epoch, service, totals) VALUES (?, ?, ?)
                ON CONFLICT (epoch, service) DO UPDATE SET totals = excluded.totals
                """,
            rows: try EpochDigest.ServiceTotals.of(result).map { [result.epoch, $0.service, try json($0)] })
        let tree = result.tree
        try db.insertRows(
            sql: """
                INSERT INTO manifest_entries (epoch, address, cumulative, position) VALUES (?, ?, ?, ?)
                ON CONFLICT (epoch, address) DO UPDATE SET cumulative = excluded.cumulative, position = excluded.position
                """,
            rows: result.manifest.compactMap { line in
                tree.position(of: .init(address: line.address, amount: line.cumulative)).map {
                    [result.epoch, line.address.description, line.cumulative.description, $0]
                }
            })
        try db.insertRows(
            sql: """
                INSERT INTO merkle_nodes (epoch, position, hash) VALUES (?, ?, ?)
                ON CONFLICT (epoch, position) DO UPDATE SET hash = excluded.hash
                """,
            rows: tree.nodes.enumerated().map { [result.epoch, $0.offset, $0.element] })
    }

    /// The resolution at which the store keeps a device's cell: the finest the map draws.
    static let cellResolution = 12

    /// The H3 cell (as a signed integer, the way SQLite keeps it) of a location, nil when there
    /// is none or it is not on the globe.
    static func cell(latitude: Double?, longitude: Double?) -> Int64? {
        guard let latitude, let longitude,
            let cell = try? H3Cell(latitude: latitude, longitude: longitude, resolution: cellResolution)
        else { return nil }
        return Int64(bitPattern: cell.index)
    }

    static func saveDevice(_ device: DeviceRecord, in db: any SQLSession) throws {
        try db.execute(sql: insertDeviceSQL, arguments: deviceArguments(device))
    }

    /// A device's row, inserted or (by its key) updated.
    static let insertDeviceSQL = """
        INSERT INTO devices (key, kind, owner, maker, latitude, longitude, onboarded_ms, last_report_nonce,
            antenna_gain_dbi, elevation_m, location_reasserted_ms, cell)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, latitude = excluded.latitude,
        longitude = excluded.longitude, cell = excluded.cell, last_report_nonce = excluded.last_report_nonce,
        antenna_gain_dbi = excluded.antenna_gain_dbi, elevation_m = excluded.elevation_m,
        location_reasserted_ms = excluded.location_reasserted_ms
        """

    static func deviceArguments(_ device: DeviceRecord) -> SQLArguments {
        [
            device.key.rawRepresentation, device.kind.rawValue, device.owner.description,
            device.maker.rawRepresentation, device.latitude, device.longitude, device.onboardedMs,
            Int64(device.lastReportNonce), device.antennaGainDbi, device.elevationM, device.locationReassertedMs,
            cell(latitude: device.latitude, longitude: device.longitude),
        ]
    }

    static func appendJournal(
        kind: JournalEntry.Kind, transaction: Data, reference: String, postings: [Posting], nowMs: Int64,
        in db: any SQLSession
    ) throws -> JournalEntry {
        let last = try SQLRow.fetchOne(db, sql: "SELECT sequence, hash FROM journal ORDER BY sequence DESC LIMIT 1")
        let sequence = UInt64((last?["sequence"] as Int64?) ?? 0) + 1
        let previous: Data = last?["hash"] ?? JournalEntry.genesisPreviousHash
        let entry = JournalEntry(
            sequence: sequence, timestampMs: nowMs, kind: kind, transaction: transaction, reference: reference,
            postings: postings, previousHash: previous)
        try db.execute(
            sql: """
                INSERT INTO journal (sequence, timestamp_ms, kind, tx, reference, postings, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                Int64(sequence), nowMs, kind.rawValue, transaction, reference, try postingsText(postings), previous,
                entry.hash,
            ])
        try indexJournalAccounts(sequence: Int64(sequence), postings: postings, in: db)
        return entry
    }

    /// Which accounts a journal entry moves, so an account's history reads by index.
    static func indexJournalAccounts(sequence: Int64, postings: [Posting], in db: any SQLSession) throws {
        let statement = try db.prepare(sql: "INSERT INTO journal_accounts (account, sequence) VALUES (?, ?) ON CONFLICT DO NOTHING")
        for account in Set(postings.map(\.account.description)) {
            try statement.execute(arguments: [account, sequence])
        }
    }
}

/// The ledger's view of the database inside one write transaction.
struct SQLLedgerView: LedgerView {
    let db: any SQLSession

    func account(_ address: Address) throws -> AccountState {
        let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM accounts WHERE address = ?", arguments: [address.description])
        return try row.map(StoreRows.account) ?? AccountState(address: address)
    }

    func device(_ key: PublicKey) throws -> DeviceRecord? {
        guard
            var device = try SQLRow.fetchOne(db, sql: "SELECT * FROM devices WHERE key = ?", arguments: [key.rawRepresentation])
                .map(StoreRows.device)
        else { return nil }
        device.lastReportNonce = try ReportLog.lastNonce(of: key, recorded: device.lastReportNonce, in: db)
        return device
    }

    func latestPrice() throws -> PriceQuote? {
        try Data.fetchOne(db, sql: "SELECT bytes FROM prices ORDER BY timestamp_ms DESC, id DESC LIMIT 1")
            .map { try PriceQuote(wireBytes: $0) }
    }

    func governanceChanges() throws -> [GovernanceChange] { try GovernanceRows.all(in: db) }
}
