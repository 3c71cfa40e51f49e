import Core
import Foundation
import GRDB
import Ledger
@testable import Store
import StoreTestSupport
import Testing

/// SQLite's report log indexed by device in sorted passes (`ReportLogTail`): what ingest, a
/// device's page and its nonces see is the same whichever side of the mark a report is on.
extension SQLNetworkStoreTests {
    @Test(arguments: StoreEngine.allCases) func aDevicesLastNonceIsTheLogsWhereverItIsRead(engine: StoreEngine) async throws {
        let store = try await store(on: engine)
        let (a, b) = (SigningKey(), SigningKey())
        let rules = TransactionRules(genesis: genesis)
        _ = try await store.apply(onboard(a, kind: .hotspot, nonce: 1), rules: rules, nowMs: nowMs)
        _ = try await store.apply(onboard(b, kind: .hotspot, nonce: 2), rules: rules, nowMs: nowMs)
        // The registry's row is written with a device's first report only (the clock stands
        // still here); the later nonces are in the log alone.
        #expect(try await verdicts(store, [heartbeat(a, nonce: 1), heartbeat(b, nonce: 1)]) == ["1", "2"])
        #expect(try await verdicts(store, [heartbeat(a, nonce: 2), heartbeat(a, nonce: 5)]) == ["3", "4"])
        #expect(try await store.writer.read { db in try Int64.fetchAll(db, sql: "SELECT last_report_nonce FROM devices ORDER BY last_report_nonce") } == [1, 1])
        #expect(try await store.device(a.publicKey)?.lastReportNonce == 5)
        let owned = try await store.devices(ownedBy: alice.address)
        #expect(Dictionary(uniqueKeysWithValues: owned.map { ($0.key, $0.lastReportNonce) }) == [a.publicKey: 5, b.publicKey: 1])
        try await store.close()
    }

    @Test func theDeviceIndexAndTheTailAfterItAnswerAsOneLog() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depin-store-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("node.sqlite").path
        let (a, b) = (SigningKey(), SigningKey())
        let allowed: [String: Set<DeviceKind>] = ["heartbeat": [.hotspot]]
        func verdicts(_ store: SQLNetworkStore, _ reports: [(SigningKey, UInt64)]) async throws -> [String] {
            try await store.appendReports(reports.map { heartbeat($0.0, nonce: $0.1) }, allowedKinds: allowed, nowMs: nowMs)
                .map {
                    switch $0 {
                    case .accepted(let id): "\(id)"
                    case .rejected(let code, _): code
                    }
                }
        }
        func nonces(_ store: SQLNetworkStore, _ device: SigningKey, limit: Int = 10) async throws -> [UInt64] {
            try await store.reports(device: device.publicKey, limit: limit).map(\.nonce)
        }
        func indexed() throws -> (rows: Int, mark: Int64) {
            let reader = try DatabaseQueue(path: path)
            defer { try? reader.close() }
            return try reader.read { db in
                (
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM device_reports")!,
                    try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'device_index_through'")!
                )
            }
        }

        let store = SQLNetworkStore(database: try GRDBDatabase(path: path), deviceIndexEvery: 3)
        try await store.bootstrap(genesis: genesis, genesisHash: "genesis-a", nowMs: nowMs)
        _ = try await store.apply(onboard(a, kind: .hotspot, nonce: 1), rules: TransactionRules(genesis: genesis), nowMs: nowMs)
        _ = try await store.apply(onboard(b, kind: .hotspot, nonce: 2), rules: TransactionRules(genesis: genesis), nowMs: nowMs)
        #expect(try await verdicts(store, [(a, 1), (b, 1)]) == ["1", "2"])
        #expect(try indexed() == (0, 0))
        // The third report fills the tail: the three are indexed in the same commit.
        #expect(try await verdicts(store, [(a, 2)]) == ["3"])
        #expect(try indexed() == (3, 3))
        #expect(try await verdicts(store, [(b, 2), (a, 3)]) == ["4", "5"])
        #expect(try indexed() == (3, 3))

        // A device's reports, newest first, across the mark.
        #expect(try await nonces(store, a) == [3, 2, 1])
        #expect(try await nonces(store, a, limit: 2) == [3, 2])
        #expect(try await nonces(store, b) == [2, 1])
        #expect(try await store.device(a.publicKey)?.lastReportNonce == 3)
        #expect(try await store.device(b.publicKey)?.lastReportNonce == 2)

        // Replays from either side of the mark are refused.
        #expect(try await verdicts(store, [(a, 3), (a, 2), (b, 1), (a, 4)]) == ["replayed_nonce", "replayed_nonce", "replayed_nonce", "6"])
        #expect(try indexed() == (6, 6))

        // Another writer appends behind this store's back: its copy of the tail is read again.
        let other = try SQLNetworkStore(path: path)
        #expect(try await verdicts(other, [(a, 5)]) == ["7"])
        try await other.close()
        #expect(try await verdicts(store, [(a, 5), (b, 3)]) == ["replayed_nonce", "8"])
        try await store.close()

        // And after a reopen.
        let reopened = try SQLNetworkStore(path: path)
        #expect(try await verdicts(reopened, [(b, 3), (a, 6)]) == ["replayed_nonce", "9"])
        #expect(try await nonces(reopened, a) == [6, 5, 4, 3, 2, 1])
        #expect(try await reopened.device(a.publicKey)?.lastReportNonce == 6)
        try await reopened.close()
    }

    @Test func aLogIndexedRowByRowIsCarriedIntoTheDeviceIndex() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("device-index-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let hotspot = SigningKey()
        let allowed: [String: Set<DeviceKind>] = ["heartbeat": [.hotspot]]
        do {
            let store = try SQLNetworkStore(path: path)
            try await store.bootstrap(genesis: genesis, genesisHash: "genesis-a", nowMs: nowMs)
            _ = try await store.apply(onboard(hotspot, kind: .hotspot, nonce: 1), rules: TransactionRules(genesis: genesis), nowMs: nowMs)
            try await store.close()
            // Back to the schema before the device index (v20), with a log written then.
            let writer = try DatabaseQueue(path: path)
            try await writer.write { db in
                try db.execute(
                    sql: """
                        DROP TABLE device_reports;
                        DELETE FROM meta WHERE key = 'device_index_through';
                        DELETE FROM grdb_migrations WHERE identifier = 'v21-device-index';
                        CREATE UNIQUE INDEX reports_by_device ON reports(device, nonce);
                        """)
                for nonce in [Int64(1), 2, 3] {
                    try db.execute(
                        sql: """
                            INSERT INTO reports (device, nonce, timestamp_ms, received_ms, type, epoch, bytes)
                            VALUES (?, ?, ?, ?, 'heartbeat', 24, ?)
                            """,
                        arguments: [
                            hotspot.publicKey.rawRepresentation, nonce, nowMs, nowMs,
                            heartbeat(hotspot, nonce: UInt64(nonce)).report.canonicalBytes,
                        ])
                }
            }
            try writer.close()
        }
        let store = try SQLNetworkStore(path: path)
        #expect(try await store.reports(device: hotspot.publicKey, limit: 10).map(\.nonce) == [3, 2, 1])
        let verdicts = try await store.appendReports(
            [heartbeat(hotspot, nonce: 3), heartbeat(hotspot, nonce: 4)], allowedKinds: allowed, nowMs: nowMs)
        #expect(verdicts == [.rejected(code: "replayed_nonce", message: "nonce 3 is not above the last accepted 3"), .accepted(id: 4)])
        try await store.close()
    }
}
