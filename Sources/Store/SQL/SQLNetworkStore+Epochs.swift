import Core
import Foundation
import Ledger
import Rewards

extension SQLNetworkStore {
    public func whileClosingEpochs<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await writer.withLease("close-epochs", body)
    }

    public func lastClosedEpoch() async throws -> Int64? {
        try await writer.readStatement { db in try Int64.fetchOne(db, sql: "SELECT MAX(epoch) FROM epochs") }
    }

    public func freezeEpoch(_ epoch: Int64) async throws {
        try await writer.write { db in try EpochFreeze.freeze(through: epoch, in: db) }
    }

    public func epochInput(epoch: Int64, startMs: Int64, endMs: Int64) async throws -> EpochInput {
        try await epochInput(epoch: epoch, startMs: startMs, endMs: endMs, withReports: true)
    }

    public func epochInputWithoutReports(epoch: Int64, startMs: Int64, endMs: Int64) async throws -> EpochInput {
        try await epochInput(epoch: epoch, startMs: startMs, endMs: endMs, withReports: false)
    }

    public func acceptedReports(epoch: Int64, startMs: Int64, endMs: Int64) async throws -> DeviceReports {
        try await writer.read { db in
            // The registry's keys alone (the rest of it is read beside this, by the close).
            var keys: [Data] = []
            try db.scanBlobs(sql: "SELECT key FROM devices WHERE onboarded_ms < ? ORDER BY key", arguments: [endMs]) {
                keys.append($0)
            }
            var grouping = EpochReportGrouping(keys: keys, startMs: startMs, endMs: endMs, checkingSignatures: false)
            try EpochLogScan.forEachReport(epoch: epoch, in: db) { grouping.add(wire: $0) }
            return grouping.byDevice
        }
    }

    private func epochInput(epoch: Int64, startMs: Int64, endMs: Int64, withReports: Bool) async throws -> EpochInput {
        try await writer.read { db in
            // Owners, payout addresses and locations as the epoch ended, from their histories:
            // each history read once in order, the last entry before the end kept (three passes
            // rather than three queries a device). A million devices' owners are a tenth as many
            // addresses: each is parsed once and held once, by its place in `ownerTexts`.
            var ownerPlaces: [String: Int] = [:]
            var ownerTexts: [String] = []
            var owners: [DeviceKeyBytes: Int] = [:]
            try db.forEachRow(
                sql: "SELECT device, owner FROM device_owners WHERE since_ms < ? ORDER BY id", arguments: [endMs]
            ) { row in
                guard let device = DeviceKeyBytes(row[0] as Data) else { return }
                let text: String = row[1]
                if let place = ownerPlaces[text] {
                    owners[device] = place
                } else {
                    ownerPlaces[text] = ownerTexts.count
                    owners[device] = ownerTexts.count
                    ownerTexts.append(text)
                }
            }
            var payouts: [String: String] = [:]
            try db.forEachRow(
                sql: "SELECT account, payout FROM payout_history WHERE since_ms < ? ORDER BY id", arguments: [endMs]
            ) { payouts[$0[0] as String] = $0[1] as String }
            var locations: [DeviceKeyBytes: EpochInput.Location] = [:]
            try db.forEachRow(
                sql: """
                    SELECT device, latitude, longitude, antenna_gain_dbi, elevation_m, reasserted, since_ms
                    FROM device_locations WHERE since_ms < ? ORDER BY id
                    """,
                arguments: [endMs]
            ) { place in
                guard let device = DeviceKeyBytes(place[0] as Data) else { return }
                locations[device] = EpochInput.Location(
                    lat: place[1], lng: place[2], antennaGainDbi: place[3], elevationM: place[4],
                    reassertedMs: (place[5] as Bool) ? place[6] as Int64 : nil)
            }
            var parsedOwners: [Address?] = Array(repeating: nil, count: ownerTexts.count)
            var parsedPayouts: [EVMAddress??] = Array(repeating: nil, count: ownerTexts.count)
            var devices: [EpochInput.Device] = []
            devices.reserveCapacity(owners.count)
            try db.forEachRow(
                sql: "SELECT key, kind FROM devices WHERE onboarded_ms < ? ORDER BY key", arguments: [endMs]
            ) { row in
                let raw: Data = row[0]
                guard let device = DeviceKeyBytes(raw), let place = owners[device] else { return }
                let key = try PublicKey(rawRepresentation: raw)
                let owner: Address
                if let parsed = parsedOwners[place] {
                    owner = parsed
                } else {
                    owner = try Address(parsing: ownerTexts[place])
                    parsedOwners[place] = owner
                }
                let payout: EVMAddress?
                if let parsed = parsedPayouts[place] {
                    payout = parsed
                } else {
                    payout = payouts[ownerTexts[place]].flatMap { try? EVMAddress(parsing: $0) }
                    parsedPayouts[place] = .some(payout)
                }
                let kind = DeviceKind(rawValue: row[1]) ?? .unspecified
                devices.append(
                    .init(id: key.address, kind: kind.name, owner: owner, payout: payout, location: locations[device]))
            }
            devices.sort { $0.id < $1.id }
            var reports: [EpochInput.LoggedReport] = []
            if withReports {
                try db.forEachRow(sql: "SELECT id, bytes FROM reports WHERE epoch = ? ORDER BY id", arguments: [epoch]) {
                    reports.append(EpochInput.LoggedReport(id: $0["id"], bytes: ($0["bytes"] as Data).hexString))
                }
            }
            var emittedBefore = Amount.zero
            for text in try String.fetchAll(db, sql: "SELECT emission FROM epochs WHERE epoch < ?", arguments: [epoch]) {
                emittedBefore = try emittedBefore.adding(try Amount(parsing: text))
            }
            var burned = Amount.zero
            let burns = try String.fetchAll(
                db, sql: "SELECT postings FROM journal WHERE kind = 'burn' AND timestamp_ms >= ? AND timestamp_ms < ?",
                arguments: [startMs, endMs])
            for text in burns {
                for posting in try StoreRows.postings(text) where posting.asset == .token && posting.direction == .debit {
                    burned = try burned.adding(posting.amount)
                }
            }
            var usage: [String: Amount] = [:]
            for row in try SQLRow.fetchAll(
                db, sql: "SELECT device, credits FROM usage WHERE epoch = ? ORDER BY id", arguments: [epoch])
            {
                let device = try PublicKey(rawRepresentation: row["device"]).address.description
                usage[device] = try (usage[device] ?? .zero).adding(try Amount(parsing: row["credits"]))
            }
            let governance = Governance(changes: try GovernanceRows.all(in: db), epoch: epoch)
            var carried: [String: Amount] = [:]
            var previous: [String: Amount] = [:]
            if let text = try String.fetchOne(db, sql: "SELECT carried FROM epochs WHERE epoch = ?", arguments: [epoch - 1]) {
                carried = try JSONDecoder().decode([String: Amount].self, from: Data(text.utf8))
                for row in try SQLRow.fetchAll(
                    db, sql: "SELECT address, cumulative FROM manifest_entries WHERE epoch = ?", arguments: [epoch - 1])
                {
                    previous[row["address"]] = try Amount(parsing: row["cumulative"])
                }
            }
            return EpochInput(
                epoch: epoch, startMs: startMs, endMs: endMs, devices: devices, reports: reports, usage: usage,
                emittedBefore: emittedBefore, burned: burned, carried: carried, previousCumulative: previous,
                states: try CarriedStateRows.states(after: epoch - 1, in: db),
                refused: try CarriedStateRows.refusals(epoch: epoch, in: db),
                bounties: try CarriedStateRows.bounties(epoch: epoch, in: db),
                denylist: governance.denylist.keys.sorted(), parameters: governance.parameters)
        }
    }

    public func commitEpoch(_ result: EpochResult, nowMs: Int64) async throws -> EpochResult {
        try await writer.write { db in
            if let text = try String.fetchOne(db, sql: "SELECT result FROM epochs WHERE epoch = ?", arguments: [result.epoch]) {
                return try JSONDecoder().decode(EpochResult.self, from: Data(text.utf8))
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try db.execute(
                sql: """
                    INSERT INTO epochs (epoch, start_ms, end_ms, emission, minted, burned, root, closed_ms, result)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    result.epoch, result.startMs, result.endMs, result.emission.description, result.minted.description,
                    result.burned.description, result.root, nowMs,
                    String(decoding: try encoder.encode(result), as: UTF8.self),
                ])
            try StoreRows.saveEpochIndex(result, in: db)
            try CarriedStateRows.save(result, nowMs: nowMs, in: db)
            let postings = result.mints.map {
                Posting(account: $0.account, asset: .token, direction: .credit, amount: $0.amount)
            }
            if !postings.isEmpty {
                try Self.applyPostings(postings, in: db)
                _ = try StoreRows.appendJournal(
                    kind: .mint, transaction: Data(), reference: "epoch \(result.epoch) \(result.root)",
                    postings: postings, nowMs: nowMs, in: db)
            }
            return result
        }
    }

    public func rewards(of device: Address, epochs: [Int64]) async throws -> [Int64: EpochResult.DeviceReward] {
        try await writer.readStatement { db in
            var found: [Int64: EpochResult.DeviceReward] = [:]
            guard let low = epochs.min(), let high = epochs.max() else { return found }
            let wanted = Set(epochs)
            for row in try SQLRow.fetchAll(
                db, sql: "SELECT epoch, reward FROM device_rewards WHERE device = ? AND epoch BETWEEN ? AND ?",
                arguments: [device.description, low, high])
            where wanted.contains(row["epoch"]) {
                found[row["epoch"]] = try JSONDecoder().decode(EpochResult.DeviceReward.self, from: Data((row["reward"] as String).utf8))
            }
            return found
        }
    }

    public func rewardHistory(of device: Address, epoch: Int64?, recent: Int) async throws -> DeviceRewardHistory? {
        // Closed epochs never change, and a registered device stays registered: one statement
        // answers, with no snapshot of its own.
        try await writer.readStatement { db in
            let decoder = JSONDecoder()
            let reward = { (text: String?) in
                try text.map { try decoder.decode(EpochResult.DeviceReward.self, from: Data($0.utf8)) }
            }
            if let epoch {
                guard
                    let row = try SQLRow.fetchOne(
                        db,
                        sql: """
                            SELECT (SELECT COUNT(*) FROM devices WHERE key = ?) AS registered,
                                (SELECT MAX(epoch) FROM epochs) AS last,
                                (SELECT reward FROM device_rewards WHERE device = ? AND epoch = ?) AS reward
                            """,
                        arguments: [device.publicKey.rawRepresentation, device.description, epoch]),
                    row["registered"] as Int64 > 0
                else { return nil }
                let found = try reward(row["reward"])
                return DeviceRewardHistory(
                    lastClosed: row["last"], epochs: [epoch], rewards: found.map { [epoch: $0] } ?? [:])
            }
            let rows = try SQLRow.fetchAll(
                db,
                sql: """
                    SELECT e.epoch AS epoch, r.reward AS reward,
                        (SELECT COUNT(*) FROM devices WHERE key = ?) AS registered
                    FROM (SELECT epoch FROM epochs ORDER BY epoch DESC LIMIT ?) e
                    LEFT JOIN device_rewards r ON r.epoch = e.epoch AND r.device = ?
                    ORDER BY e.epoch DESC
                    """,
                arguments: [device.publicKey.rawRepresentation, recent, device.description])
            guard let first = rows.first else {
                let registered =
                    try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM devices WHERE key = ?", arguments: [device.publicKey.rawRepresentation])
                    ?? 0
                return registered > 0 ? DeviceRewardHistory(lastClosed: nil, epochs: [], rewards: [:]) : nil
            }
            guard first["registered"] as Int64 > 0 else { return nil }
            var rewards: [Int64: EpochResult.DeviceReward] = [:]
            for row in rows { rewards[row["epoch"]] = try reward(row["reward"]) }
            return DeviceRewardHistory(lastClosed: first["epoch"], epochs: rows.map { $0["epoch"] }, rewards: rewards)
        }
    }

    public func epoch(_ epoch: Int64) async throws -> EpochResult? {
        try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT result FROM epochs WHERE epoch = ?", arguments: [epoch]).map {
                try JSONDecoder().decode(EpochResult.self, from: Data($0.utf8))
            }
        }
    }

    public func epochs(limit: Int) async throws -> [EpochSummary] {
        try await writer.readStatement { db in
            try SQLRow.fetchAll(
                db,
                sql: """
                    SELECT e.epoch, e.start_ms, e.end_ms, e.emission, e.minted, e.burned, e.root, e.closed_ms,
                        (SELECT COUNT(*) FROM epoch_signatures s WHERE s.epoch = e.epoch) AS signatures
                    FROM epochs e ORDER BY epoch DESC LIMIT ?
                    """, arguments: [limit]
            ).map(Self.summary)
        }
    }

    /// An epochs row with its signature count.
    static func summary(_ row: SQLRow) throws -> EpochSummary {
        EpochSummary(
            epoch: row["epoch"], startMs: row["start_ms"], endMs: row["end_ms"],
            emission: try Amount(parsing: row["emission"]), minted: try Amount(parsing: row["minted"]),
            burned: try Amount(parsing: row["burned"]), root: row["root"], closedMs: row["closed_ms"],
            signatures: row["signatures"])
    }

    public func addSignature(epoch: Int64, oracle: Address, signature: String) async throws {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO epoch_signatures (epoch, oracle, signature) VALUES (?, ?, ?)
                    ON CONFLICT (epoch, oracle) DO UPDATE SET signature = excluded.signature
                    """,
                arguments: [epoch, oracle.description, signature])
        }
    }

    public func signatures(epoch: Int64) async throws -> [String: String] {
        try await writer.read { db in
            var signatures: [String: String] = [:]
            for row in try SQLRow.fetchAll(
                db, sql: "SELECT oracle, signature FROM epoch_signatures WHERE epoch = ?", arguments: [epoch])
            {
                signatures[row["oracle"]] = row["signature"]
            }
            return signatures
        }
    }
}
