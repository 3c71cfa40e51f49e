import Core
import Foundation
@testable import Node
import Store
import Testing

@Suite struct ReportCommitterTests {
    /// Holds the first write until the test lets it go.
    actor Gate {
        var calls: [(count: Int, nowMs: Int64)] = []
        var held: CheckedContinuation<Void, Never>?
        var failNext = false

        func write(_ reports: [VerifiedReport], nowMs: Int64) async throws -> [ReportVerdict] {
            calls.append((reports.count, nowMs))
            if calls.count == 1 { await withCheckedContinuation { held = $0 } }
            if failNext {
                failNext = false
                throw StoreError(.databaseUnavailable, "the disk is gone")
            }
            // Each report's verdict names it by its nonce, so that a caller can tell its own.
            return reports.map { .accepted(id: Int64($0.report.nonce)) }
        }

        func release() { held?.resume(); held = nil }
        func isHolding() -> Bool { held != nil }
        func failTheNextWrite() { failNext = true }
    }

    static let device = SigningKey().publicKey

    static func batch(_ nonces: ClosedRange<UInt64>) -> [VerifiedReport] {
        nonces.map { nonce in
            var report = Report()
            report.nonce = nonce
            return VerifiedReport(report: report, device: device, type: "heartbeat", epoch: 0)
        }
    }

    static func ids(_ verdicts: [ReportVerdict]) -> [Int64] {
        verdicts.map { if case .accepted(let id) = $0 { id } else { -1 } }
    }

    func waitUntil(_ condition: @escaping () async -> Bool) async throws {
        for _ in 0..<2_000 where !(await condition()) { try await Task.sleep(for: .milliseconds(1)) }
        #expect(await condition())
    }

    @Test func batchesThatArriveDuringAWriteShareTheNextOneAndEachGetsItsOwnVerdicts() async throws {
        let gate = Gate()
        let committer = ReportCommitter { reports, _, nowMs in try await gate.write(reports, nowMs: nowMs) }
        let first = Task { try await committer.append(Self.batch(1...3), allowedKinds: [:], nowMs: 10) }
        try await waitUntil { await gate.isHolding() }
        let second = Task { try await committer.append(Self.batch(4...5), allowedKinds: [:], nowMs: 20) }
        let third = Task { try await committer.append(Self.batch(6...9), allowedKinds: [:], nowMs: 30) }
        try await waitUntil { await committer.queued == 2 }
        await gate.release()

        #expect(Self.ids(try await first.value) == [1, 2, 3])
        #expect(Self.ids(try await second.value) == [4, 5])
        #expect(Self.ids(try await third.value) == [6, 7, 8, 9])
        let calls = await gate.calls
        #expect(calls.map(\.count) == [3, 6])
        // A shared write is stamped with the latest arrival's clock.
        #expect(calls.map(\.nowMs) == [10, 30])
    }

    @Test func aFailedWriteFailsEveryBatchInItAndTheNextWriteGoesOn() async throws {
        let gate = Gate()
        let committer = ReportCommitter { reports, _, nowMs in try await gate.write(reports, nowMs: nowMs) }
        let first = Task { try await committer.append(Self.batch(1...1), allowedKinds: [:], nowMs: 1) }
        try await waitUntil { await gate.isHolding() }
        await gate.failTheNextWrite()
        await gate.release()
        await #expect(throws: StoreError.self) { try await first.value }
        #expect(Self.ids(try await committer.append(Self.batch(2...2), allowedKinds: [:], nowMs: 2)) == [2])
    }

    @Test func batchesUnderDifferentAdmissionAreNotMixed() async throws {
        let gate = Gate()
        let committer = ReportCommitter { reports, _, nowMs in try await gate.write(reports, nowMs: nowMs) }
        let first = Task { try await committer.append(Self.batch(1...1), allowedKinds: [:], nowMs: 1) }
        try await waitUntil { await gate.isHolding() }
        let narrow = Task {
            try await committer.append(Self.batch(2...2), allowedKinds: ["heartbeat": [.hotspot]], nowMs: 2)
        }
        try await waitUntil { await committer.queued == 1 }
        let wide = Task { try await committer.append(Self.batch(3...3), allowedKinds: [:], nowMs: 3) }
        try await waitUntil { await committer.queued == 2 }
        await gate.release()
        for task in [first, narrow, wide] { _ = try await task.value }
        #expect(await gate.calls.map(\.count) == [1, 1, 1])
    }
}
