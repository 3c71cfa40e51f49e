import Agent
import ArgumentParser
import Core
import Foundation
import Ledger
import Rewards
import Simulation
import Store

/// The network the ingest benchmark loads: a genesis of hourly epochs, the load generator's
/// devices and the store-alone measurement's devices registered (ten to an owner, each owner
/// with a payout address), and epochs closed in which every device earned, so that rewards,
/// proofs and accounts have something to read.
struct IngestNetwork {
    /// The seed the devices' and owners' keys derive from (the load generator derives the same).
    static let seed: UInt64 = 12
    /// Epochs closed before the load, the current one after them.
    static let closedEpochs = 2
    let genesis: Genesis
    let genesisPath: String
    let store: SQLNetworkStore
    let storeDevices: [SigningKey]
    let currentEpoch: Int64
    let setupSeconds: Double
    /// The hot reads' paths: a device's rewards, a payout address's proof, an owner's account.
    let readTargets: [(name: String, paths: [String])]
    /// Reports appended by `appendDirectly`.
    private(set) var appendedDirectly = 0

    static func make(directory: String, databaseURL: String?, devices: Int, storeDevices: Int) async throws -> IngestNetwork {
        let clock = ContinuousClock()
        let began = clock.now
        let now = Int64(Date().timeIntervalSince1970)
        let epochs = closedEpochs
        let network = try BenchGenesis(directory: directory, pastEpochs: epochs)
        let (genesis, genesisPath, start) = (network.genesis, network.path, network.startSeconds)
        let store: SQLNetworkStore
        do {
            store = try await SQLNetworkStore.open(url: databaseURL, sqlitePath: directory + "/node.sqlite")
        } catch let error as StoreError {
            throw CLIError(error.message)
        }
        try await network.bootstrap(store)

        let maker = try KeyFile.load(from: directory + "/maker.key").publicKey
        let loaded = (0..<devices).map { IngestLoad.deviceKey(seed: seed, index: $0) }
        let direct = (0..<storeDevices).map { CoverageWorld.key(seed: seed, label: "ingest-store-device", index: $0) }
        var random = SeededGenerator(seed: seed)
        var records: [DeviceRecord] = []
        for (index, key) in (loaded + direct).enumerated() {
            records.append(
                DeviceRecord(
                    key: key.publicKey, kind: .hotspot, owner: Self.owner(seed: seed, index: index / 10).address, maker: maker,
                    latitude: random.uniform(-60...70), longitude: random.uniform(-180...180), onboardedMs: start * 1000))
            if records.count == 10_000 || index == loaded.count + direct.count - 1 {
                try await store.importDevices(records, nowMs: start * 1000)
                records.removeAll(keepingCapacity: true)
            }
        }
        // The owners the probe reads name their payout address with a real transaction, which
        // makes their ledger account.
        let probed = min(max(devices / 10, 1), 1_000)
        let rules = TransactionRules(genesis: genesis)
        for index in 0..<probed {
            let owner = Self.owner(seed: seed, index: index)
            var naming = Transaction()
            naming.nonce = 1
            naming.timestampMs = start * 1000
            naming.setPayoutAddress.payoutAddress = BenchGenesis.payout(owner.address).description
            naming.sign(with: owner)
            _ = try await store.apply(naming, rules: rules, nowMs: start * 1000)
        }
        try await network.closeEpochsPayingEveryone(epochs, in: store)
        // On PostgreSQL autovacuum would otherwise catch up on the set-up's tables during the
        // load (a second of the server's CPU, a few µs a report, when its minute came round).
        if let missed = try await store.settle() { say("settling the database after the set-up: \(missed)") }
        let owners = (0..<probed).map { Self.owner(seed: seed, index: $0).address }
        let last = epochs - 1
        let targets: [(String, [String])] = [
            ("a device's rewards", loaded.prefix(1_000).map { "/v1/devices/\($0.address)/rewards" }),
            ("a proof", owners.prefix(1_000).map { "/v1/epochs/\(last)/proofs/\(BenchGenesis.payout($0))" }),
            ("an account", owners.prefix(1_000).map { "/v1/accounts/\($0)" }),
        ]
        return IngestNetwork(
            genesis: genesis, genesisPath: genesisPath, store: store, storeDevices: direct,
            currentEpoch: genesis.epochs.epoch(ofMs: now * 1000), setupSeconds: (clock.now - began).seconds,
            readTargets: targets)
    }

    static func owner(seed: UInt64, index: Int) -> SigningKey {
        CoverageWorld.key(seed: seed, label: "ingest-owner", index: index)
    }

    /// Appends one signed heartbeat from each store-alone device straight to the store, `batch` to
    /// a transaction, and returns reports a second.
    mutating func appendDirectly(batch: Int) async throws -> Double {
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        let reports = storeDevices.map { key -> VerifiedReport in
            var report = Report()
            report.nonce = 1
            report.timestampMs = nowMs
            report.heartbeat.uptimeS = 1
            report.sign(with: key)
            return VerifiedReport(report: report, device: key.publicKey, type: "heartbeat", epoch: currentEpoch)
        }
        let clock = ContinuousClock()
        let began = clock.now
        var accepted = 0
        for start in stride(from: 0, to: reports.count, by: batch) {
            let verdicts = try await store.appendReports(
                Array(reports[start..<min(start + batch, reports.count)]), allowedKinds: ["heartbeat": [.hotspot]],
                validate: { _, _ in nil }, nowMs: nowMs)
            accepted += verdicts.filter { if case .accepted = $0 { true } else { false } }.count
        }
        let seconds = (clock.now - began).seconds
        guard accepted == reports.count else {
            throw CLIError("the store accepted \(accepted) of \(reports.count) reports appended directly")
        }
        appendedDirectly = accepted
        return Double(accepted) / max(seconds, 1e-9)
    }
}
