import Core
import Foundation
import NIOPosix
import Store

#if canImport(Glibc)
import Glibc
#endif

/// Checks reports' signatures (and what else needs no database) on threads of its own, one per
/// core, a batch split across them, so that the reads and request handling on the concurrency
/// pool do not queue behind a batch's signatures. On a host of its own the node may also run
/// them at a lower scheduling priority (`--verify-niceness`): verification is throughput work
/// that fills every core under load, and below it the reads and the store's writer come first.
/// By default (0) they are not lowered: on a shared host a lowered node would yield its ingest
/// to every other process.
final class SignatureVerifier: Sendable {
    /// The node's verifier (one per process: its threads live as long as the process).
    static let shared = SignatureVerifier(threads: ProcessInfo.processInfo.activeProcessorCount)

    /// Reports a thread checks at a time: about 7 ms of CPU.
    static let chunk = 64

    private let pool: NIOThreadPool

    init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: max(threads, 1))
        pool.start()
    }

    deinit { pool.shutdownGracefully { _ in } }

    /// Checks each of `reports` at `nowMs` under `admission`, in order, on threads at `niceness`.
    func verify(
        _ reports: [Report], admission: ReportAdmission, nowMs: Int64, niceness: Int32 = 0
    ) async throws -> [Result<VerifiedReport, NodeError>] {
        try await withThrowingTaskGroup(of: (Int, [Result<VerifiedReport, NodeError>]).self) { group in
            for start in stride(from: 0, to: reports.count, by: Self.chunk) {
                let slice = reports[start..<min(start + Self.chunk, reports.count)]
                group.addTask { [pool] in
                    let checked = try await pool.runIfActive {
                        Self.setNiceness(niceness)
                        Self.nameThread()
                        return slice.map { admission.verify($0, nowMs: nowMs) }
                    }
                    return (start, checked)
                }
            }
            // Each chunk's answers, joined in order once all are in: a report is copied once.
            var chunks: [Int: [Result<VerifiedReport, NodeError>]] = [:]
            for try await (start, checked) in group { chunks[start] = checked }
            var results: [Result<VerifiedReport, NodeError>] = []
            results.reserveCapacity(reports.count)
            for start in stride(from: 0, to: reports.count, by: Self.chunk) { results += chunks.removeValue(forKey: start)! }
            return results
        }
    }

    /// The name the verifier's threads take (NIO names a pool's threads TP-#n, as it does the
    /// PostgreSQL store's), so that a breakdown of the node's threads by name, such as
    /// `depin bench ingest`'s, tells verification from the store's work.
    static let threadName = "verifier"

    /// Names the calling thread `threadName`, once (Foundation's setter names the system's thread).
    private static func nameThread() {
        if Thread.current.name != threadName { Thread.current.name = threadName }
    }

    /// Sets the calling thread's niceness. On Linux the niceness is each thread's own, and
    /// `who` 0 names the calling thread; elsewhere this does nothing.
    private static func setNiceness(_ niceness: Int32) {
        #if os(Linux)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        if getpriority(which, 0) != niceness { _ = setpriority(which, 0, niceness) }
        #endif
    }
}
