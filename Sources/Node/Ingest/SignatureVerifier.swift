import Core
import Foundation
import NIOPosix
import Store

#if canImport(Glibc)
import Glibc
#endif

/// Checks reports' signatures (and what else needs no database) on threads of its own, one per
/// core, a batch split across them. The threads run at a lower scheduling priority (nice 5) than
/// the rest of the node: verification is throughput work that fills every core under load, and
/// below it the reads, the store's writer and request handling are scheduled first instead of
/// queueing behind a batch's signatures.
final class SignatureVerifier: Sendable {
    /// The node's verifier (one per process: its threads live as long as the process).
    static let shared = SignatureVerifier(threads: ProcessInfo.processInfo.activeProcessorCount)

    /// Reports a thread checks at a time: about 7 ms of CPU.
    static let chunk = 64
    /// The niceness of the verifying threads.
    static let niceness: Int32 = 10

    private let pool: NIOThreadPool

    init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: max(threads, 1))
        pool.start()
    }

    deinit { pool.shutdownGracefully { _ in } }

    /// Checks each of `reports` at `nowMs` under `admission`, in order.
    func verify(
        _ reports: [Report], admission: ReportAdmission, nowMs: Int64
    ) async throws -> [Result<VerifiedReport, NodeError>] {
        try await withThrowingTaskGroup(of: (Int, [Result<VerifiedReport, NodeError>]).self) { group in
            for start in stride(from: 0, to: reports.count, by: Self.chunk) {
                let slice = reports[start..<min(start + Self.chunk, reports.count)]
                group.addTask { [pool] in
                    let checked = try await pool.runIfActive {
                        Self.lowerPriority()
                        return slice.map { admission.verify($0, nowMs: nowMs) }
                    }
                    return (start, checked)
                }
            }
            var results = [Result<VerifiedReport, NodeError>?](repeating: nil, count: reports.count)
            for try await (start, checked) in group {
                for (offset, result) in checked.enumerated() { results[start + offset] = result }
            }
            return results.map { $0! }
        }
    }

    /// Sets the calling thread's niceness. On Linux the niceness is each thread's own, and
    /// `who` 0 names the calling thread; elsewhere this does nothing.
    private static func lowerPriority() {
        #if os(Linux)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        if getpriority(which, 0) != niceness { _ = setpriority(which, 0, niceness) }
        #endif
    }
}
