import Core
import Foundation
import GRDB
import Ledger
import StoreTestSupport
import Testing

@testable import Store

/// Each storage node's latest status, noted as reports arrive (it replaced an index on every
/// report), on both databases, and carried over from a log written before it.
@Suite struct LatestReportsTests {
    let base = SQLNetworkStoreTests()

    func status(_ key: SigningKey, nonce: UInt64, used: UInt64) -> VerifiedReport {
        var report = Report()
        report.nonce = nonce
        report.timestampMs = base.nowMs + Int64(nonce)
        report.storageStatus.url = "http://node-\(nonce)"
        report.storageStatus.capacityBytes = 1_000
        report.storageStatus.usedBytes = used
        report.sign(with: key)
        return VerifiedReport(report: report, device: key.publicKey, type: "storage_status", epoch: 24)
    }

    @Test(arguments: StoreEngine.allCases) func theDirectoryShowsEachNodesLatestStatus(engine: StoreEngine) async throws {
        let store = try await base.store(on: engine)
        let (a, b) = (SigningKey(), SigningKey())
        let records = [a, b].map {
            DeviceRecord(
                key: $0.publicKey, kind: .storageNode, owner: base.alice.address, maker: base.maker.publicKey, latitude: 1,
                longitude: 2, onboardedMs: base.nowMs)
        }
        try await store.importDevices(records, nowMs: base.nowMs)
        let allowed: [String: Set<DeviceKind>] = ["storage_status": [.storageNode], "heartbeat": [.storageNode]]
        _ = try await store.appendReports([status(a, nonce: 1, used: 10), status(b, nonce: 2, used: 20)], allowedKinds: allowed, nowMs: base.nowMs)
        _ = try await store.appendReports([status(a, nonce: 3, used: 30), base.heartbeat(b, nonce: 4)], allowedKinds: allowed, nowMs: base.nowMs)
        let nodes = try await store.storageNodes(limit: 10)
        #expect(nodes.map(\.usedBytes) == [30, 20])
        #expect(nodes.map(\.device) == [a.address, b.address])
        try await store.close()
    }

    @Test func aLogWrittenBeforeTheTableIsCarriedOver() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("latest-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let node = SigningKey()
        do {
            let old = try DatabaseQueue(path: path)
            try SQLiteSchema.migrator.migrate(old, upTo: "v19-governance")
            try await old.write { db in
                for (nonce, used) in [(UInt64(1), UInt64(5)), (2, 50)] {
                    let verified = status(node, nonce: nonce, used: used)
                    try db.execute(
                        sql: """
                            INSERT INTO reports (device, nonce, timestamp_ms, received_ms, type, epoch, bytes)
                            VALUES (?, ?, ?, ?, 'storage_status', 24, ?)
                            """,
                        arguments: [
                            node.publicKey.rawRepresentation, Int64(nonce), verified.report.timestampMs, base.nowMs,
                            verified.report.canonicalBytes,
                        ])
                }
            }
            try old.close()
        }
        let store = try SQLNetworkStore(path: path)
        let nodes = try await store.storageNodes(limit: 10)
        #expect(nodes.map(\.usedBytes) == [50])
        #expect(nodes.first?.device == node.publicKey.address)
        try await store.close()
    }
}
