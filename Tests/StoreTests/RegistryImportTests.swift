import Core
import Foundation
import Ledger
import Rewards
import Store
import StoreTestSupport
import Testing

@Suite struct RegistryImportTests {
    @Test(arguments: StoreEngine.allCases) func importedDevicesAreListedAndSnapshottedAndNeverTwice(engine: StoreEngine) async throws {
        let base = SQLNetworkStoreTests()
        let store = try await base.store(on: engine)
        let owner = SigningKey().address
        let devices = (0..<3).map { index in
            var record = DeviceRecord(
                key: SigningKey().publicKey, kind: .hotspot, owner: owner, maker: base.maker.publicKey,
                latitude: 37.7 + Double(index) / 100, longitude: -122.4, onboardedMs: base.nowMs)
            record.antennaGainDbi = 4
            return record
        }
        try await store.importDevices(devices, nowMs: base.nowMs)
        let cell = try #require(try await store.cellTallies(resolution: 0, onlineSinceMs: 0).first?.cell)
        let listed = try await store.devices(in: cell, limit: 10)
        #expect(Set(listed.map(\.key)) == Set(devices.map(\.key)))
        #expect(listed.allSatisfy { $0.owner == owner && $0.lastReportMs == nil })
        let input = try await store.epochInput(epoch: 24, startMs: base.nowMs, endMs: base.nowMs + 3_600_000)
        #expect(input.devices.count == 3)
        #expect(input.devices.allSatisfy { $0.location?.antennaGainDbi == 4 && $0.owner == owner })
        await #expect(throws: StoreError.self) { try await store.importDevices([devices[0]], nowMs: base.nowMs) }
        #expect(try await store.devices(in: cell, limit: 10).count == 3)
        #expect(try await store.journal(from: 1, limit: 100).allSatisfy { $0.kind != .onboardDevice })

        // An epoch in which the imported devices earn: each device's reward reads back alone.
        var paid = input
        for device in paid.devices { paid.usage[device.id.description] = Amount(7) }
        let result = EpochEngine(genesis: base.genesis).close(paid)
        let first = try #require(devices.first?.key.address)
        // Before the close: registered, nothing closed; a stranger is not registered.
        #expect(try await store.rewardHistory(of: first, epoch: nil, recent: 10) == DeviceRewardHistory(lastClosed: nil, epochs: [], rewards: [:]))
        #expect(try await store.rewardHistory(of: first, epoch: 24, recent: 10)?.lastClosed == nil)
        #expect(try await store.rewardHistory(of: SigningKey().address, epoch: nil, recent: 10) == nil)
        _ = try await store.commitEpoch(result, nowMs: base.nowMs + 3_700_000)
        let read = try await store.rewards(of: first, epochs: [23, 24, 25])
        #expect(read.keys.sorted() == [24])
        #expect(read[24] == result.reward(of: first))
        #expect(read[24]?.amount ?? .zero > .zero)
        // The hot read: the recent closed epochs, or one named, in one statement.
        let recent = try #require(try await store.rewardHistory(of: first, epoch: nil, recent: 10))
        #expect(recent == DeviceRewardHistory(lastClosed: 24, epochs: [24], rewards: [24: try #require(result.reward(of: first))]))
        #expect(try await store.rewardHistory(of: first, epoch: 24, recent: 10) == recent)
        #expect(try await store.rewardHistory(of: first, epoch: 25, recent: 10) == DeviceRewardHistory(lastClosed: 24, epochs: [25], rewards: [:]))
        #expect(try await store.rewardHistory(of: SigningKey().address, epoch: 24, recent: 10) == nil)
    }
}
