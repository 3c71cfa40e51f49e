import Core
import Foundation
import Ledger
@testable import Store
import StoreTestSupport
import Testing

/// PostgreSQL's report log indexed by device in sorted passes (`ReportLogTail.appendedShared`):
/// the tail is found by epoch from a floor, several nodes move one mark, and a device's reports
/// read the same whichever side of the mark they are on.
extension SQLNetworkStoreTests {
    /// A report of `device` with `nonce` in `epoch`.
    func heartbeat(_ device: SigningKey, nonce: UInt64, epoch: Int64) -> VerifiedReport {
        var verified = heartbeat(device, nonce: nonce)
        verified.epoch = epoch
        return verified
    }

    /// A store on the PostgreSQL schema at `url`, bootstrapped, with `hotspots` onboarded in order.
    func postgresStore(
        url: String, deviceIndexEvery: Int64 = 32_768, hotspots: [SigningKey] = []
    ) async throws -> SQLNetworkStore {
        let store = SQLNetworkStore(database: try await PostgresPool(url: url, connections: 2), deviceIndexEvery: deviceIndexEvery)
        try await store.bootstrap(genesis: genesis, genesisHash: "genesis-a", nowMs: nowMs)
        for (offset, hotspot) in hotspots.enumerated() {
            _ = try await store.apply(
                onboard(hotspot, kind: .hotspot, nonce: UInt64(offset + 1)), rules: TransactionRules(genesis: genesis), nowMs: nowMs)
        }
        return store
    }

    func verdicts(_ store: SQLNetworkStore, _ reports: [VerifiedReport]) async throws -> [String] {
        try await store.appendReports(reports, allowedKinds: ["heartbeat": [.hotspot]], nowMs: nowMs).map {
            switch $0 {
            case .accepted(let id): "\(id)"
            case .rejected(let code, _): code
            }
        }
    }

    /// The index's rows, its mark and its floor.
    func deviceIndex(_ store: SQLNetworkStore) async throws -> (rows: Int, mark: Int64, floor: Int64?) {
        try await store.writer.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM device_reports")!,
                try ReportLogTail.mark(in: db),
                try Int64.fetchOne(db, sql: "SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'device_index_floor'")
            )
        }
    }

    @Test func postgresIndexesItsTailByEpochFromTheFloorAcrossNodes() async throws {
        let url = try TestPostgres.freshSchemaURL()
        let (a, b) = (SigningKey(), SigningKey())
        func nonces(_ store: SQLNetworkStore, _ device: SigningKey, limit: Int = 10) async throws -> [UInt64] {
            try await store.reports(device: device.publicKey, limit: limit).map(\.nonce)
        }
        let store = SQLNetworkStore(database: try await PostgresPool(url: url, connections: 2), deviceIndexEvery: 3)
        try await store.bootstrap(genesis: genesis, genesisHash: "genesis-a", nowMs: nowMs)
        _ = try await store.apply(onboard(a, kind: .hotspot, nonce: 1), rules: TransactionRules(genesis: genesis), nowMs: nowMs)
        _ = try await store.apply(onboard(b, kind: .hotspot, nonce: 2), rules: TransactionRules(genesis: genesis), nowMs: nowMs)
        #expect(try await verdicts(store, [heartbeat(a, nonce: 1), heartbeat(b, nonce: 1)]) == ["1", "2"])
        #expect(try await deviceIndex(store) == (0, 0, nil))
        // The third report fills the tail: indexed in the same commit. Nothing is frozen: no floor.
        #expect(try await verdicts(store, [heartbeat(a, nonce: 2)]) == ["3"])
        #expect(try await deviceIndex(store) == (3, 3, nil))

        // Epoch 24 frozen: its reports are refused, so the tail holds later epochs only.
        try await store.writer.write { db in try EpochFreeze.freeze(through: 24, in: db) }
        #expect(
            try await verdicts(store, [heartbeat(b, nonce: 2), heartbeat(b, nonce: 2, epoch: 25), heartbeat(a, nonce: 3, epoch: 25)])
                == ["epoch_closed", "4", "5"])
        #expect(try await nonces(store, a) == [3, 2, 1])
        #expect(try await nonces(store, a, limit: 2) == [3, 2])
        #expect(try await nonces(store, b) == [2, 1])
        // Two epochs in this tail; the pass sets the floor at the first epoch not frozen.
        #expect(try await verdicts(store, [heartbeat(a, nonce: 4, epoch: 26)]) == ["6"])
        #expect(try await deviceIndex(store) == (6, 6, 25))

        // A report in the floor's own epoch, which is then frozen. Another node on the same
        // schema fills the tail and indexes it (epochs 25 to 27, found from the floor); this one
        // learns that the mark moved at its next commit, whose serial shows a write came between.
        #expect(try await verdicts(store, [heartbeat(b, nonce: 3, epoch: 25)]) == ["7"])
        try await store.writer.write { db in try EpochFreeze.freeze(through: 25, in: db) }
        #expect(try await verdicts(store, [heartbeat(b, nonce: 4, epoch: 25), heartbeat(a, nonce: 5, epoch: 27)]) == ["epoch_closed", "8"])
        let other = SQLNetworkStore(database: try await PostgresPool(url: url, connections: 2), deviceIndexEvery: 3)
        #expect(try await verdicts(other, [heartbeat(a, nonce: 6, epoch: 27)]) == ["9"])
        #expect(try await deviceIndex(other) == (9, 9, 26))
        try await other.close()
        #expect(try await verdicts(store, [heartbeat(b, nonce: 4, epoch: 27), heartbeat(a, nonce: 6, epoch: 27)]) == ["10", "replayed_nonce"])
        #expect(try await deviceIndex(store) == (9, 9, 26))
        #expect(try await nonces(store, a) == [6, 5, 4, 3, 2, 1])
        #expect(try await nonces(store, b) == [4, 3, 2, 1])
        #expect(try await nonces(store, b, limit: 2) == [4, 3])
        try await store.close()
    }

    @Test func postgresCarriesALogIndexedRowByRowIntoTheDeviceIndex() async throws {
        let url = try TestPostgres.freshSchemaURL()
        let hotspot = SigningKey()
        do {
            let store = SQLNetworkStore(database: try await PostgresPool(url: url, connections: 2))
            try await store.bootstrap(genesis: genesis, genesisHash: "genesis-a", nowMs: nowMs)
            _ = try await store.apply(onboard(hotspot, kind: .hotspot, nonce: 1), rules: TransactionRules(genesis: genesis), nowMs: nowMs)
            #expect(try await verdicts(store, (1...3).map { heartbeat(hotspot, nonce: $0) }) == ["1", "2", "3"])
            try await store.writer.write { db in
                try EpochFreeze.freeze(through: 24, in: db)
                // Back to the schema before the device index (v4), with the log written then.
                for statement in [
                    "DROP TABLE device_reports",
                    "DELETE FROM meta WHERE key IN ('device_index_through', 'device_index_floor')",
                    "DELETE FROM schema_migrations WHERE name = 'v5-device-index'",
                    "CREATE INDEX reports_by_device ON reports(device, nonce)",
                ] { _ = try db.execute(sql: statement) }
            }
            try await store.close()
        }
        let store = SQLNetworkStore(database: try await PostgresPool(url: url, connections: 2))
        #expect(try await deviceIndex(store) == (3, 3, 25))
        #expect(try await store.reports(device: hotspot.publicKey, limit: 10).map(\.nonce) == [3, 2, 1])
        #expect(try await verdicts(store, [heartbeat(hotspot, nonce: 3, epoch: 25), heartbeat(hotspot, nonce: 4, epoch: 25)]) == ["replayed_nonce", "4"])
        #expect(try await store.reports(device: hotspot.publicKey, limit: 10).map(\.nonce) == [4, 3, 2, 1])
        try await store.close()
    }
}
