import Core
import Foundation
import GRDB
import Ledger
import Rewards
import Store
import StoreTestSupport
import Testing

/// The store on both of its databases: every test that does not reopen a SQLite file runs on each.
@Suite struct SQLNetworkStoreTests {
    let alice = SigningKey()
    let bob = SigningKey()
    let maker = SigningKey()
    let nowMs: Int64 = 1_767_225_600_000

    var genesis: Genesis {
        Genesis(
            token: .init(name: "Test Token", symbol: "TST", decimals: 6, supplyCap: Amount(10_000_000_000_000)),
            emission: .init(perEpoch: Amount(1_000_000_000), decay: .none),
            epochs: .init(lengthSeconds: 3_600, startTime: 1_767_225_600 - 86_400),
            creditsPerToken: Amount(100_000),
            services: [.init(name: "coverage", weight: 1, kinds: [.hotspot, .meter], parameters: TOMLTable())],
            treasury: .init(weight: 0, account: SigningKey().address, emptyPools: .treasury),
            reports: .init(maxFutureSeconds: 300, maxAgeSeconds: 3_600),
            oracles: [SigningKey().publicKey], quorum: 1, makers: [maker.publicKey],
            allocations: [.init(account: alice.address, amount: Amount(5_000_000))])
    }

    func store(on engine: StoreEngine = .sqlite) async throws -> SQLNetworkStore {
        let store = try await engine.makeStore()
        try await store.bootstrap(genesis: genesis, genesisHash: "genesis-a", nowMs: nowMs)
        return store
    }

    func transfer(_ amount: String, nonce: UInt64, to: Address? = nil) -> Transaction {
        var transaction = Transaction()
        transaction.nonce = nonce
        transaction.timestampMs = nowMs
        transaction.transfer.to = (to ?? bob.address).description
        transaction.transfer.amount = amount
        transaction.sign(with: alice)
        return transaction
    }

    func onboard(_ device: SigningKey, kind: DeviceKind, nonce: UInt64) -> Transaction {
        var transaction = Transaction()
        transaction.nonce = nonce
        transaction.timestampMs = nowMs
        transaction.onboardDevice.device = device.publicKey.rawRepresentation
        transaction.onboardDevice.kind = kind
        transaction.onboardDevice.maker = maker.publicKey.rawRepresentation
        transaction.onboardDevice.location.lat = 1
        transaction.onboardDevice.location.lng = 2
        transaction.sign(with: alice)
        transaction.cosign(with: device)
        transaction.cosign(with: maker)
        return transaction
    }

    func heartbeat(_ device: SigningKey, nonce: UInt64) -> VerifiedReport {
        var report = Report()
        report.nonce = nonce
        report.timestampMs = nowMs
        report.heartbeat.uptimeS = nonce
        report.sign(with: device)
        return VerifiedReport(report: report, device: device.publicKey, type: "heartbeat", epoch: 24)
    }

    @Test(arguments: StoreEngine.allCases) func bootstrapAllocatesOnceAndRefusesAnotherGenesis(engine: StoreEngine) async throws {
        let store = try await store(on: engine)
        try await store.bootstrap(genesis: genesis, genesisHash: "genesis-a", nowMs: nowMs)
        #expect(try await store.account(alice.address)?.tokens == Amount(5_000_000))
        #expect(try await store.counts().journalEntries == 1)
        await #expect(throws: StoreError.self) {
            try await store.bootstrap(genesis: genesis, genesisHash: "genesis-b", nowMs: nowMs)
        }
    }

    @Test(arguments: StoreEngine.allCases) func transfersUpdateBalancesAndTheJournal(engine: StoreEngine) async throws {
        let store = try await store(on: engine)
        let rules = TransactionRules(genesis: genesis)
        let entry = try await store.apply(transfer("1200", nonce: 1), rules: rules, nowMs: nowMs)
        #expect(entry.sequence == 2)
        #expect(try await store.account(alice.address) == AccountState(address: alice.address, tokens: Amount(4_998_800), nonce: 1))
        #expect(try await store.account(bob.address)?.tokens == Amount(1_200))
        #expect(try await store.verifyLedger(rules: rules).isSound)
        // Each account's history, newest first, read by index.
        #expect(try await store.journal(involving: alice.address, limit: 10).map(\.sequence) == [2, 1])
        #expect(try await store.journal(involving: alice.address, limit: 1).map(\.sequence) == [2])
        #expect(try await store.journal(involving: bob.address, limit: 10) == [entry])
        #expect(try await store.journal(involving: maker.address, limit: 10).isEmpty)
    }

    @Test(arguments: StoreEngine.allCases) func aRefusedTransactionChangesNothing(engine: StoreEngine) async throws {
        let store = try await store(on: engine)
        let rules = TransactionRules(genesis: genesis)
        await #expect(throws: TransactionError.self) {
            try await store.apply(transfer("5000001", nonce: 1), rules: rules, nowMs: nowMs)
        }
        await #expect(throws: TransactionError.self) {
            try await store.apply(transfer("1", nonce: 2), rules: rules, nowMs: nowMs)
        }
        #expect(try await store.counts() == StoreCounts(accounts: 1, devices: 0, journalEntries: 1, reports: 0))
        #expect(try await store.account(alice.address)?.nonce == 0)
    }

    @Test(arguments: StoreEngine.allCases) func reportsAreCheckedAgainstTheRegistry(engine: StoreEngine) async throws {
        let store = try await store(on: engine)
        let rules = TransactionRules(genesis: genesis)
        let hotspot = SigningKey()
        let meter = SigningKey()
        _ = try await store.apply(onboard(hotspot, kind: .hotspot, nonce: 1), rules: rules, nowMs: nowMs)
        _ = try await store.apply(onboard(meter, kind: .meter, nonce: 2), rules: rules, nowMs: nowMs)
        let allowed: [String: Set<DeviceKind>] = ["heartbeat": [.hotspot]]
        let verdicts = try await store.appendReports(
            [
                heartbeat(hotspot, nonce: 1), heartbeat(hotspot, nonce: 2), heartbeat(hotspot, nonce: 2),
                heartbeat(SigningKey(), nonce: 1), heartbeat(meter, nonce: 1),
            ], allowedKinds: allowed, nowMs: nowMs)
        #expect(verdicts[0] == .accepted(id: 1))
        #expect(verdicts[1] == .accepted(id: 2))
        guard case .rejected("replayed_nonce", _) = verdicts[2] else { throw Failure("expected a replay: \(verdicts[2])") }
        guard case .rejected("unknown_device", _) = verdicts[3] else { throw Failure("expected unknown: \(verdicts[3])") }
        guard case .rejected("kind_not_allowed", _) = verdicts[4] else { throw Failure("expected kind: \(verdicts[4])") }
        let later = try await store.appendReports([heartbeat(hotspot, nonce: 1)], allowedKinds: allowed, nowMs: nowMs)
        guard case .rejected("replayed_nonce", _) = later[0] else { throw Failure("a stored nonce was taken again") }
        let stored = try await store.reports(device: hotspot.publicKey, limit: 10)
        #expect(stored.map(\.nonce) == [2, 1])
        #expect(try Report(wireBytes: stored[0].bytes).verifySignature() == hotspot.publicKey)
        #expect(try await store.device(hotspot.publicKey)?.lastReportNonce == 2)
    }

    /// The closer freezes an epoch before it reads the log: what is written after is refused (a
    /// report) or counted in the next open epoch (usage), so the read input is the whole input.
    @Test(arguments: StoreEngine.allCases) func aFrozenEpochTakesNothingMore(engine: StoreEngine) async throws {
        let store = try await store(on: engine)
        let rules = TransactionRules(genesis: genesis)
        let hotspot = SigningKey()
        _ = try await store.apply(onboard(hotspot, kind: .hotspot, nonce: 1), rules: rules, nowMs: nowMs)
        var burn = Transaction()
        burn.nonce = 2
        burn.timestampMs = nowMs
        burn.burn.amount = "1000"
        burn.sign(with: alice)
        _ = try await store.apply(burn, rules: rules, nowMs: nowMs)
        let allowed: [String: Set<DeviceKind>] = ["heartbeat": [.hotspot]]
        #expect(try await store.appendReports([heartbeat(hotspot, nonce: 1)], allowedKinds: allowed, nowMs: nowMs) == [.accepted(id: 1)])
        let (start, end) = (genesis.epochs.startMs(of: 24), genesis.epochs.endMs(of: 24))
        try await store.freezeEpoch(24)
        try await store.freezeEpoch(23)  // never moves back
        let late = try await store.appendReports([heartbeat(hotspot, nonce: 2)], allowedKinds: allowed, nowMs: nowMs)
        guard case .rejected("epoch_closed", _) = late[0] else { throw Failure("a frozen epoch took a report: \(late[0])") }
        try await store.chargeQuery(
            account: alice.address, service: "coverage", epoch: 24, earned: [(hotspot.publicKey, 7)], reference: "q1", nowMs: nowMs)
        let frozen = try await store.epochInput(epoch: 24, startMs: start, endMs: end)
        #expect(frozen.reports.count == 1)
        #expect(frozen.usage.isEmpty)
        let next = try await store.epochInput(epoch: 25, startMs: end, endMs: genesis.epochs.endMs(of: 25))
        #expect(next.usage == [hotspot.publicKey.address.description: Amount(7)])
        // Nothing about the device moved: its last nonce is still the accepted one's.
        #expect(try await store.device(hotspot.publicKey)?.lastReportNonce == 1)
        var nextReport = heartbeat(hotspot, nonce: 3)
        nextReport.epoch = 25
        #expect(try await store.appendReports([nextReport], allowedKinds: allowed, nowMs: nowMs) == [.accepted(id: 2)])
    }

    /// On SQLite a device's last accepted nonce is the log's own, and its registry row only a
    /// checkpoint written every `activityResolutionMs` at most: a replay is refused whatever the
    /// row says, after a reopen too, and the row catches up once it is that old.
    @Test func aDevicesRowIsACheckpointAndTheLogKeepsItsNonces() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depin-store-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("node.sqlite").path
        let hotspot = SigningKey()
        let allowed: [String: Set<DeviceKind>] = ["heartbeat": [.hotspot]]
        func row() async throws -> (nonce: Int64, ms: Int64?) {
            let reader = try DatabaseQueue(path: path)
            defer { try? reader.close() }
            return try await reader.read { db in
                let row = try Row.fetchOne(
                    db, sql: "SELECT last_report_nonce, last_report_ms FROM devices WHERE key = ?",
                    arguments: [hotspot.publicKey.rawRepresentation])!
                return (row[0], row[1])
            }
        }
        do {
            let store = try SQLNetworkStore(path: path)
            try await store.bootstrap(genesis: genesis, genesisHash: "genesis-a", nowMs: nowMs)
            _ = try await store.apply(onboard(hotspot, kind: .hotspot, nonce: 1), rules: TransactionRules(genesis: genesis), nowMs: nowMs)
            #expect(try await store.appendReports([heartbeat(hotspot, nonce: 1)], allowedKinds: allowed, nowMs: nowMs) == [.accepted(id: 1)])
            #expect(
                try await store.appendReports([heartbeat(hotspot, nonce: 2)], allowedKinds: allowed, nowMs: nowMs + 1_000)
                    == [.accepted(id: 2)])
            #expect(try await store.device(hotspot.publicKey)?.lastReportNonce == 2)
            try await store.close()
        }
        // The row still holds the first report's checkpoint; the log holds nonce 2.
        #expect(try await row() == (1, nowMs))
        let reopened = try SQLNetworkStore(path: path)
        let replays = try await reopened.appendReports(
            [heartbeat(hotspot, nonce: 2), heartbeat(hotspot, nonce: 1)], allowedKinds: allowed, nowMs: nowMs + 2_000)
        for verdict in replays {
            guard case .rejected("replayed_nonce", _) = verdict else { throw Failure("a logged nonce was taken again: \(verdict)") }
        }
        let later = nowMs + SQLNetworkStore.activityResolutionMs + 1_000
        #expect(try await reopened.appendReports([heartbeat(hotspot, nonce: 3)], allowedKinds: allowed, nowMs: later) == [.accepted(id: 3)])
        #expect(try await reopened.device(hotspot.publicKey)?.lastReportMs == later)
        try await reopened.close()
        #expect(try await row() == (3, later))
    }

    @Test func verifyFindsABalanceEditedBehindTheJournalsBack() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depin-store-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("node.sqlite").path
        let rules = TransactionRules(genesis: genesis)
        do {
            let store = try SQLNetworkStore(path: path)
            try await store.bootstrap(genesis: genesis, genesisHash: "genesis-a", nowMs: nowMs)
            _ = try await store.apply(transfer("10", nonce: 1), rules: rules, nowMs: nowMs)
        }
        do {
            let reopened = try SQLNetworkStore(path: path)
            #expect(try await reopened.verifyLedger(rules: rules).isSound)
            #expect(try await reopened.account(bob.address)?.tokens == Amount(10))
        }
        // An attacker edits the database file behind the journal's back.
        let attacker = try DatabaseQueue(path: path)
        try await attacker.write { db in
            try db.execute(sql: "UPDATE accounts SET tokens = '999' WHERE address = ?", arguments: [bob.address.description])
        }
        try attacker.close()
        let reopened = try SQLNetworkStore(path: path)
        let result = try await reopened.verifyLedger(rules: rules)
        #expect(!result.isSound)
        #expect(result.problems.first?.contains(bob.address.description) == true)
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
