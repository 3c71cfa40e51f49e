import Core
import Foundation
import Ledger
@testable import Store
import StoreTestSupport
import Testing

/// The close's read of an epoch's log (`EpochLogScan`): each of the epoch's reports, its bytes as
/// appended, in log order, on either engine, and on PostgreSQL whatever the window of ids the
/// server packs into one value, reports too long to pack among them.
extension SQLNetworkStoreTests {
    @Test(arguments: StoreEngine.allCases) func theClosingReadHandsAnEpochsLogInOrderWhateverItsWindow(
        engine: StoreEngine
    ) async throws {
        let store = try await store(on: engine)
        let (a, b) = (SigningKey(), SigningKey())
        _ = try await store.apply(onboard(a, kind: .hotspot, nonce: 1), rules: TransactionRules(genesis: genesis), nowMs: nowMs)
        _ = try await store.apply(onboard(b, kind: .hotspot, nonce: 2), rules: TransactionRules(genesis: genesis), nowMs: nowMs)
        // Epochs 25 and 26 interleaved in the log: epoch 25's reports are the 1st, 2nd, 4th, 7th and 8th.
        let epochs: [Int64] = [25, 25, 26, 25, 26, 26, 25, 25, 26]
        var appended: [VerifiedReport] = []
        // The 2nd, 6th and 8th are longer than PostgreSQL packs (read on their own, in order).
        let long: Set<Int> = [1, 5, 7]
        for (place, epoch) in epochs.enumerated() {
            var report = heartbeat(place.isMultiple(of: 2) ? a : b, nonce: UInt64(place + 1), epoch: epoch)
            if long.contains(place) {
                report.report.heartbeat.agentVersion = String(repeating: "v", count: EpochLogScan.packedLimit + place)
                report.report.sign(with: place.isMultiple(of: 2) ? a : b)
            }
            #expect(try await verdicts(store, [report]) == ["\(place + 1)"])
            appended.append(report)
        }
        let expected = [0, 1, 3, 6, 7].map { appended[$0].report.canonicalBytes }
        for (window, group): (Int64, Int) in [(1, 1), (2, 2), (3, 1), (4, 2), (EpochLogScan.window, 2), (EpochLogScan.window, 64)] {
            let read = try await store.writer.read { db in
                var read: [Data] = []
                try EpochLogScan.forEachReport(epoch: 25, in: db, window: window, largeGroup: group) { read.append(Data($0)) }
                return read
            }
            #expect(read == expected, "window \(window), long reports \(group) a query")
        }
        let empty = try await store.writer.read { db in
            var count = 0
            try EpochLogScan.forEachReport(epoch: 27, in: db, window: 2) { _ in count += 1 }
            return count
        }
        #expect(empty == 0)
        try await store.close()
    }
}
