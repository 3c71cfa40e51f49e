import Core
import Foundation
import Ledger
@testable import Store
import StoreTestSupport
import Testing

/// PostgreSQL's report log is partitioned by epoch; a node remembers the partitions it has seen
/// (`ReportPartitions`), and forgets them when a commit fails.
@Suite struct ReportPartitionsTests {
    @Test func aCommitMakesItsEpochsPartitionAndMakesAgainOneDroppedByHand() async throws {
        let tests = SQLNetworkStoreTests()
        let device = SigningKey()
        let store = try await tests.postgresStore(url: try TestPostgres.freshSchemaURL(), hotspots: [device])
        func partitions() async throws -> [String] {
            try await store.writer.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT CAST(inhrelid::regclass AS TEXT) FROM pg_inherits
                        WHERE inhparent = to_regclass('reports') ORDER BY 1
                        """)
            }
        }
        func accepted(_ verdicts: [String]) -> Bool { verdicts.allSatisfy { Int64($0) != nil } }
        let span = ReportPartitions.span(epochSeconds: tests.genesis.epochs.lengthSeconds)
        let later = 24 + span

        #expect(accepted(try await tests.verdicts(store, [tests.heartbeat(device, nonce: 1, epoch: 24)])))
        #expect(try await partitions() == ["reports_\(24 / span)"])
        #expect(accepted(try await tests.verdicts(store, [tests.heartbeat(device, nonce: 2, epoch: later)])))
        #expect(try await partitions() == ["reports_\(24 / span)", "reports_\(later / span)"])
        #expect(store.reportPartitions.remembers(later / span))

        // An operator drops a partition whose epochs are still open: the commit that needs it
        // fails, the node forgets what it had seen, and the next commit makes it again.
        try await store.writer.write { db in _ = try db.execute(sql: "DROP TABLE reports_\(later / span)") }
        await #expect(throws: (any Error).self) {
            try await tests.verdicts(store, [tests.heartbeat(device, nonce: 3, epoch: later)])
        }
        #expect(!store.reportPartitions.remembers(later / span))
        #expect(accepted(try await tests.verdicts(store, [tests.heartbeat(device, nonce: 3, epoch: later)])))
        #expect(try await partitions() == ["reports_\(24 / span)", "reports_\(later / span)"])
        try await store.close()
    }
}
