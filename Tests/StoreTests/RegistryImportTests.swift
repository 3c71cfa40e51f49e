import Core
import Foundation
import Ledger
import Rewards
import Store
import Testing

@Suite struct RegistryImportTests {
    @Test func importedDevicesAreListedAndSnapshottedAndNeverTwice() async throws {
        let base = SQLiteNetworkStoreTests()
        let store = try await base.store()
        let owner = SigningKey().address
        let devices = (0..<3).map { index in
            var record = DeviceRecord(
                key: SigningKey().publicKey, kind: .hotspot, owner: owner, maker: base.maker.publicKey,
                latitude: 37.7 + Double(index) / 100, longitude: -122.4, onboardedMs: base.nowMs)
            record.antennaGainDbi = 4
            return record
        }
        try await store.importDevices(devices, nowMs: base.nowMs)
        let listed = try await store.deviceDirectory()
        #expect(Set(listed.map(\.key)) == Set(devices.map(\.key)))
        #expect(listed.allSatisfy { $0.owner == owner && $0.lastReportMs == nil })
        let input = try await store.epochInput(epoch: 24, startMs: base.nowMs, endMs: base.nowMs + 3_600_000)
        #expect(input.devices.count == 3)
        #expect(input.devices.allSatisfy { $0.location?.antennaGainDbi == 4 && $0.owner == owner })
        await #expect(throws: StoreError.self) { try await store.importDevices([devices[0]], nowMs: base.nowMs) }
        #expect(try await store.deviceDirectory().count == 3)
        #expect(try await store.journal(from: 1, limit: 100).allSatisfy { $0.kind != .onboardDevice })
    }
}
