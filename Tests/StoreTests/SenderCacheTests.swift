import Core
import Foundation
import Ledger
@testable import Store
import StoreTestSupport
import Testing

/// Ingest on PostgreSQL keeps the devices it saw between commits (`SenderCache`), trusted only
/// while this node's write is the database's last (`SQLSession.writeSerial`).
@Suite struct SenderCacheTests {
    func sender(nonce: UInt64) -> ReportLog.Sender { ReportLog.Sender(kind: .hotspot, lastReportNonce: nonce) }

    @Test func whatIsKeptServesOnlyTheNextWrite() {
        let (a, b, c, d) = (SigningKey().publicKey, SigningKey().publicKey, SigningKey().publicKey, SigningKey().publicKey)
        let cache = SenderCache(limit: 3)
        #expect(cache.take(serial: 1).isEmpty)
        cache.committed([a: sender(nonce: 1)], commit: [a], serial: 1)
        // The next write takes all of it; nothing is kept while it runs.
        var taken = cache.take(serial: 2)
        #expect(taken.mapValues(\.lastReportNonce) == [a: 1])
        #expect(cache.count == 0)
        // Had it failed, its number, retried, would find nothing.
        #expect(cache.take(serial: 2).isEmpty)
        // A write that commits hands back what it took, with what it read and changed.
        taken[b] = sender(nonce: 7)
        taken[a]?.lastReportNonce = 2
        cache.committed(taken, commit: [a, b], serial: 2)
        #expect(cache.count == 2)
        taken = cache.take(serial: 3)
        #expect(taken.mapValues(\.lastReportNonce) == [a: 2, b: 7])
        cache.committed(taken, commit: [], serial: 3)
        // Write 4 was another's: write 5 finds nothing, and nothing is kept after.
        #expect(cache.take(serial: 5).isEmpty)
        #expect(cache.count == 0)
        #expect(cache.take(serial: 6).isEmpty)
        // Past the limit, only the commit's devices are kept.
        cache.committed(
            [a: sender(nonce: 4), b: sender(nonce: 8), c: sender(nonce: 2), d: sender(nonce: 1)], commit: [d, c], serial: 9)
        #expect(cache.take(serial: 10).mapValues(\.lastReportNonce) == [c: 2, d: 1])
    }

    @Test func everyCommittedWriteTakesTheNextSerialAndOneRolledBackNone() async throws {
        let pool = try await PostgresPool(url: try TestPostgres.freshSchemaURL(), connections: 2)
        let first = try await pool.write { db in db.writeSerial }
        let second = try await pool.write { db in db.writeSerial }
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await pool.write { db in
                _ = try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('refused', 'x')")
                throw Refused()
            }
        }
        let third = try await pool.write { db in db.writeSerial }
        let read = try await pool.read { db in db.writeSerial }
        #expect(first != nil)
        #expect([second, third] == [first.map { $0 + 1 }, first.map { $0 + 2 }])
        #expect(read == nil)
        try await pool.close()
    }

    @Test func aNodeTrustsWhatItKeptOnlyWhileItsWriteWasTheLast() async throws {
        let tests = SQLNetworkStoreTests()
        let device = SigningKey()
        let url = try TestPostgres.freshSchemaURL()
        let store = try await tests.postgresStore(url: url, hotspots: [device])
        #expect(try await tests.verdicts(store, [tests.heartbeat(device, nonce: 1)]) == ["1"])
        #expect(store.senderCache.count == 1)

        // A change the serial does not see (a pool that takes none, as no store's writes are) is
        // not seen: the next commit uses what it kept, a hotspot. So the cache is what answers.
        let unnumbered = try await PostgresPool(url: url, connections: 1, migrate: false)
        try await unnumbered.write { db in _ = try db.execute(sql: "UPDATE devices SET kind = 6") }
        #expect(try await tests.verdicts(store, [tests.heartbeat(device, nonce: 2)]) == ["2"])
        try await unnumbered.write { db in _ = try db.execute(sql: "UPDATE devices SET kind = 1") }
        try await unnumbered.close()

        // The registry's row is a checkpoint, written with the first report only (the clock
        // stands still here): another node finds nonce 2 in the log's tail.
        let other = SQLNetworkStore(database: try await PostgresPool(url: url, connections: 2))
        #expect(try await tests.verdicts(other, [tests.heartbeat(device, nonce: 2)]) == ["replayed_nonce"])
        // Another node's commit, and any write of this node's that is not ingest's, come between:
        // what was kept is dropped, the log read after where this node last saw it end, and a
        // nonce the other took is a replay.
        #expect(try await tests.verdicts(other, [tests.heartbeat(device, nonce: 3)]) == ["3"])
        #expect(try await tests.verdicts(store, [tests.heartbeat(device, nonce: 3)]) == ["replayed_nonce"])
        #expect(try await tests.verdicts(store, [tests.heartbeat(device, nonce: 4)]) == ["4"])
        #expect(try await tests.verdicts(other, [tests.heartbeat(device, nonce: 4)]) == ["replayed_nonce"])
        try await store.writer.write { db in _ = try db.execute(sql: "UPDATE devices SET last_report_nonce = 60") }
        #expect(try await tests.verdicts(store, [tests.heartbeat(device, nonce: 59)]) == ["replayed_nonce"])
        #expect(try await tests.verdicts(store, [tests.heartbeat(device, nonce: 61)]) == ["5"])
        #expect(try await tests.verdicts(other, [tests.heartbeat(device, nonce: 61)]) == ["replayed_nonce"])
        // A device's last nonce, as the agent asks it at start-up, is the log's too.
        #expect(try await store.device(device.publicKey)?.lastReportNonce == 61)
        #expect(try await other.device(device.publicKey)?.lastReportNonce == 61)
        #expect(try await store.writer.read { db in try Int64.fetchOne(db, sql: "SELECT last_report_nonce FROM devices") } == 60)
        try await other.close()
        try await store.close()
    }

    @Test func aNodeFollowsTheLogOtherNodesAppendAndIndex() async throws {
        let tests = SQLNetworkStoreTests()
        let (a, b) = (SigningKey(), SigningKey())
        let url = try TestPostgres.freshSchemaURL()
        let first = try await tests.postgresStore(url: url, deviceIndexEvery: 5, hotspots: [a, b])
        let rules = TransactionRules(genesis: tests.genesis)
        let second = SQLNetworkStore(database: try await PostgresPool(url: url, connections: 2), deviceIndexEvery: 5)
        // Each node sees the other's reports, in the tail (ids 1 to 4) and, once a pass has
        // indexed them (the fifth report), in the device index.
        #expect(try await tests.verdicts(first, [tests.heartbeat(a, nonce: 1), tests.heartbeat(b, nonce: 1)]) == ["1", "2"])
        #expect(try await tests.verdicts(second, [tests.heartbeat(a, nonce: 1), tests.heartbeat(a, nonce: 2)]) == ["replayed_nonce", "3"])
        #expect(try await tests.verdicts(first, [tests.heartbeat(a, nonce: 2), tests.heartbeat(b, nonce: 2)]) == ["replayed_nonce", "4"])
        #expect(try await tests.deviceIndex(first) == (0, 0, nil))
        #expect(try await tests.verdicts(second, [tests.heartbeat(b, nonce: 2), tests.heartbeat(a, nonce: 3)]) == ["replayed_nonce", "5"])
        #expect(try await tests.deviceIndex(first) == (5, 5, nil))
        #expect(try await tests.verdicts(first, [tests.heartbeat(a, nonce: 3), tests.heartbeat(b, nonce: 3)]) == ["replayed_nonce", "6"])
        // A node that starts now reads both from the index and the tail.
        let third = SQLNetworkStore(database: try await PostgresPool(url: url, connections: 2), deviceIndexEvery: 5)
        #expect(try await tests.verdicts(third, [tests.heartbeat(a, nonce: 3), tests.heartbeat(b, nonce: 3)]) == ["replayed_nonce", "replayed_nonce"])
        for store in [first, second, third] {
            #expect(try await store.device(a.publicKey)?.lastReportNonce == 3)
            #expect(try await store.device(b.publicKey)?.lastReportNonce == 3)
        }
        // A commit that rolls back, after it appended, leaves nothing a later one trusts, even
        // when another node's write takes the number it gave back. Here the registry refuses the
        // checkpoint of a device reporting for the first time.
        let c = SigningKey()
        _ = try await first.apply(tests.onboard(c, kind: .hotspot, nonce: 3), rules: rules, nowMs: tests.nowMs)
        try await first.writer.write { db in
            _ = try db.execute(sql: "ALTER TABLE devices ADD CONSTRAINT held CHECK (last_report_ms IS NULL) NOT VALID")
        }
        await #expect(throws: (any Error).self) {
            try await tests.verdicts(first, [tests.heartbeat(a, nonce: 4), tests.heartbeat(c, nonce: 1)])
        }
        let unnumbered = try await PostgresPool(url: url, connections: 1, migrate: false)
        try await unnumbered.write { db in _ = try db.execute(sql: "ALTER TABLE devices DROP CONSTRAINT held") }
        try await unnumbered.close()
        #expect(try await tests.verdicts(second, [tests.heartbeat(a, nonce: 5)]) == ["9"])
        #expect(
            try await tests.verdicts(first, [tests.heartbeat(a, nonce: 5), tests.heartbeat(c, nonce: 1), tests.heartbeat(a, nonce: 6)])
                == ["replayed_nonce", "10", "11"])
        for store in [first, second, third] { try await store.close() }
    }
}
