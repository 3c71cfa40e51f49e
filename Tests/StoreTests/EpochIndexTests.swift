import Core
import Foundation
import Geo
import GRDB
import Ledger
import Rewards
import StoreTestSupport
import Testing

@testable import Store

/// The epoch index written beside each committed epoch: what the explorer's pages and the claim
/// route read must equal what the whole result says.
@Suite struct EpochIndexTests {
    let base = SQLNetworkStoreTests()

    /// Twelve located devices of four owners (three with payout addresses), each paid for a
    /// different amount of usage, closed as epoch 24.
    func closedEpoch(in store: SQLNetworkStore) async throws -> (devices: [DeviceRecord], result: EpochResult) {
        let owners = (0..<4).map { _ in SigningKey().address }
        let devices = (0..<12).map { index in
            DeviceRecord(
                key: SigningKey().publicKey, kind: .hotspot, owner: owners[index % 4], maker: base.maker.publicKey,
                latitude: 37.70 + Double(index % 3) * 0.2, longitude: -122.4 + Double(index) * 0.001, onboardedMs: base.nowMs)
        }
        try await store.importDevices(devices, nowMs: base.nowMs)
        var input = try await store.epochInput(epoch: 24, startMs: base.nowMs, endMs: base.nowMs + 3_600_000)
        for index in input.devices.indices {
            let owner = owners.firstIndex(of: input.devices[index].owner)!
            if owner < 3 { input.devices[index].payout = try EVMAddress(bytes: Data(repeating: UInt8(owner + 1), count: 20)) }
            input.usage[input.devices[index].id.description] = Amount(UInt128(1 + index * index))
        }
        let result = EpochEngine(genesis: base.genesis).close(input)
        _ = try await store.commitEpoch(result, nowMs: base.nowMs + 3_700_000)
        return (devices, result)
    }

    @Test(arguments: StoreEngine.allCases) func pagesTotalsAndClaimsMatchTheWholeResult(engine: StoreEngine) async throws {
        let store = try await base.store(on: engine)
        let (_, result) = try await closedEpoch(in: store)
        let digest = try #require(try await store.digest(epoch: 24))
        #expect(digest.pools == result.pools)
        #expect(digest.summary.root == result.root)
        #expect(digest.services == EpochDigest.ServiceTotals.of(result))
        #expect(digest.devices == 12)
        #expect(digest.services.first?.rewarded == result.devices.filter { $0.amount > .zero }.count)
        #expect(try await store.digest(epoch: 25) == nil)

        let ranked = result.devices.sorted { ($0.amount, $1.device) > ($1.amount, $0.device) }
        var paged: [EpochResult.DeviceReward] = []
        for page in 0..<3 { paged += try await store.rewards(epoch: 24, service: nil, offset: page * 5, limit: 5) }
        #expect(paged == ranked)
        #expect(try await store.rewards(epoch: 24, service: "coverage", offset: 0, limit: 3) == Array(ranked.prefix(3)))
        #expect(try await store.rewards(epoch: 24, service: "storage", offset: 0, limit: 3).isEmpty)

        #expect(result.manifest.count == 3)
        for entry in result.manifest {
            let claim = try #require(try await store.claim(epoch: 24, payout: entry.address))
            let leaf = StandardMerkleTree.Leaf(address: entry.address, amount: entry.cumulative)
            #expect(claim.cumulative == entry.cumulative)
            #expect(claim.proof == result.tree.proof(for: leaf))
            #expect(StandardMerkleTree.verify(leaf: leaf, proof: claim.proof, root: Data(hex: result.root)!))
        }
        #expect(try await store.claim(epoch: 24, payout: try EVMAddress(bytes: Data(count: 20))) == nil)
    }

    @Test(arguments: StoreEngine.allCases) func cellsGroupDevicesAndRewardsAtEveryResolution(engine: StoreEngine) async throws {
        let store = try await base.store(on: engine)
        let (devices, result) = try await closedEpoch(in: store)
        for resolution in [0, 5, 8, 12] {
            var expected: [UInt64: Int] = [:]
            var earned: [UInt64: Amount] = [:]
            for device in devices {
                // H3 cells do not nest exactly: the store groups by the parent of the device's
                // resolution-12 cell, as the map draws it.
                let cell = try H3Cell(latitude: device.latitude!, longitude: device.longitude!, resolution: 12)
                    .parent(at: resolution).index
                expected[cell, default: 0] += 1
                earned[cell] = try (earned[cell] ?? .zero).adding(result.reward(of: device.key.address)?.amount ?? .zero)
            }
            let tallies = try await store.cellTallies(resolution: resolution, onlineSinceMs: 0)
            #expect(Dictionary(tallies.map { ($0.cell, $0.devices) }, uniquingKeysWith: +) == expected)
            #expect(tallies.allSatisfy { $0.kind == .hotspot && $0.online == 0 })
            #expect(try await store.rewardsByCell(epoch: 24, resolution: resolution) == earned)
            let (cell, count) = try #require(expected.first)
            #expect(try await store.devices(in: cell, limit: 100).count == count)
        }
        // Finer than the store keeps cells: nothing to list.
        let fine = try H3Cell(latitude: devices[0].latitude!, longitude: devices[0].longitude!, resolution: 13)
        #expect(try await store.devices(in: fine.index, limit: 10).isEmpty)
    }

    @Test func amountColumnsSortAndSumExactly() throws {
        let amounts: [Amount] = [
            .zero, Amount(1), Amount(999_999_999_999), Amount(1_000_000_000_000), Amount(UInt128.max),
            Amount(UInt128.max - 1), Amount(123_456_789_012_345_678_901_234_567_890),
        ]
        for amount in amounts {
            let columns = AmountColumns.split(amount)
            #expect(try AmountColumns.join(high: columns.high, middle: columns.middle, low: columns.low) == amount)
        }
        let sorted = amounts.sorted()
        let columns = sorted.map(AmountColumns.split).map { [$0.high, $0.middle, $0.low] }
        #expect(columns == columns.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(throws: StoreError.self) { try AmountColumns.join(high: Int64.max, middle: 0, low: 0) }
    }

    @Test func anOlderDatabaseGetsItsIndexFromTheStoredResults() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("index-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // An epoch closed and committed by the store as it was before the index (schema v7).
        let reference = try await base.store()
        let (devices, result) = try await closedEpoch(in: reference)
        do {
            let old = try DatabaseQueue(path: path)
            try SQLiteSchema.migrator.migrate(old, upTo: "v7-device-rewards")
            try await old.write { db in
                for device in devices {
                    try db.execute(
                        sql: """
                            INSERT INTO devices (key, kind, owner, maker, latitude, longitude, onboarded_ms, last_report_nonce)
                            VALUES (?, ?, ?, ?, ?, ?, ?, 0)
                            """,
                        arguments: [
                            device.key.rawRepresentation, device.kind.rawValue, device.owner.description,
                            device.maker.rawRepresentation, device.latitude, device.longitude, device.onboardedMs,
                        ])
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                // A journal entry from before the journal's account index.
                try db.execute(
                    sql: """
                        INSERT INTO journal (sequence, timestamp_ms, kind, tx, reference, postings, previous_hash, hash)
                        VALUES (1, ?, 'genesis', x'', 'old', ?, x'', x'')
                        """,
                    arguments: [
                        base.nowMs,
                        try StoreRows.postingsText([
                            Posting(account: devices[0].owner, asset: .token, direction: .credit, amount: Amount(5))
                        ]),
                    ])
                try db.execute(
                    sql: """
                        INSERT INTO epochs (epoch, start_ms, end_ms, emission, minted, burned, root, closed_ms, result)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        result.epoch, result.startMs, result.endMs, result.emission.description, result.minted.description,
                        result.burned.description, result.root, base.nowMs, String(decoding: try encoder.encode(result), as: UTF8.self),
                    ])
            }
        }
        let store = try SQLNetworkStore(path: path)
        #expect(try await store.journal(involving: devices[0].owner, limit: 5).map(\.reference) == ["old"])
        let digest = try #require(try await store.digest(epoch: 24))
        #expect(digest.pools == result.pools && digest.devices == 12)
        let entry = try #require(result.manifest.first)
        #expect(try await store.claim(epoch: 24, payout: entry.address)?.cumulative == entry.cumulative)
        #expect(try await store.cellTallies(resolution: 0, onlineSinceMs: 0).reduce(0) { $0 + $1.devices } == 12)
        let earned = try await store.rewardsByCell(epoch: 24, resolution: 0).values.reduce(Amount.zero) { try $0.adding($1) }
        #expect(earned == result.pools.first { $0.name == "coverage" }?.paid)
        let next = try await store.epochInput(epoch: 25, startMs: result.endMs, endMs: result.endMs + 3_600_000)
        #expect(next.previousCumulative == Dictionary(uniqueKeysWithValues: result.manifest.map { ($0.address.description, $0.cumulative) }))
        #expect(next.carried == result.carryForward)
    }
}
