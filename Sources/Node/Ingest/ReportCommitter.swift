import Core
import Rewards
import Store

/// Group commit for the report log: batches that arrive while a write is in flight wait and are
/// written together in the next transaction, so that concurrent senders share one durable commit
/// (one fsync on SQLite, one round trip of locks on PostgreSQL) instead of queueing one each.
/// Every batch gets its own verdicts, in order, and none is acknowledged before its commit.
actor ReportCommitter {
    /// The most reports one transaction takes; later batches wait for the next.
    static let maxReportsPerCommit = 8_000

    private struct Waiting {
        var reports: [VerifiedReport]
        var allowedKinds: [String: Set<DeviceKind>]
        var nowMs: Int64
        var continuation: CheckedContinuation<[ReportVerdict], any Error>
    }

    /// One durable write of the report log: the store's `appendReports`.
    typealias Write = @Sendable ([VerifiedReport], [String: Set<DeviceKind>], Int64) async throws -> [ReportVerdict]

    private let write: Write
    private var waiting: [Waiting] = []
    private var writing = false

    /// Group commit over `write`.
    init(write: @escaping Write) {
        self.write = write
    }

    /// Group commit into `store`, with the services of `engine` validating.
    init(store: any NetworkStore, engine: EpochEngine) {
        self.init { reports, allowedKinds, nowMs in
            try await store.appendReports(
                reports, allowedKinds: allowedKinds, validate: { engine.validate($0, kind: $1) }, nowMs: nowMs)
        }
    }

    /// How many batches wait for the transaction after the one in flight.
    var queued: Int { waiting.count }

    /// Stores `reports` (received at `nowMs`, of the types `allowedKinds` admits) with whatever
    /// else is waiting, and returns their verdicts once the transaction holding them has committed.
    func append(
        _ reports: [VerifiedReport], allowedKinds: [String: Set<DeviceKind>], nowMs: Int64
    ) async throws -> [ReportVerdict] {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(
                Waiting(reports: reports, allowedKinds: allowedKinds, nowMs: nowMs, continuation: continuation))
            if !writing {
                writing = true
                Task { await drain() }
            }
        }
    }

    /// Writes what is waiting, a group at a time, until nothing is. A group is the batches at the
    /// head of the queue under the same admission, up to `maxReportsPerCommit` reports.
    private func drain() async {
        while !waiting.isEmpty {
            let allowedKinds = waiting[0].allowedKinds
            var count = waiting[0].reports.count
            var take = 1
            while take < waiting.count, count + waiting[take].reports.count <= Self.maxReportsPerCommit,
                waiting[take].allowedKinds == allowedKinds
            {
                count += waiting[take].reports.count
                take += 1
            }
            let group = Array(waiting.prefix(take))
            waiting.removeFirst(take)
            do {
                // One batch alone is written as it came: joining copies each report whole.
                let reports = group.count == 1 ? group[0].reports : group.flatMap { $0.reports }
                let verdicts = try await write(reports, allowedKinds, group.map(\.nowMs).max()!)
                var start = 0
                for member in group {
                    member.continuation.resume(returning: Array(verdicts[start..<start + member.reports.count]))
                    start += member.reports.count
                }
            } catch {
                for member in group { member.continuation.resume(throwing: error) }
            }
        }
        writing = false
    }
}
