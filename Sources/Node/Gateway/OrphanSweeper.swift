import Logging
import ServiceLifecycle
import Storage
import Store

/// Deletes blobs that no object or upload part came to refer to (an upload cut off after its
/// pieces were placed, a part whose upload was aborted meanwhile) once they are an hour old, and
/// their pieces from the storage nodes. Runs every ten minutes.
struct OrphanSweeper: Service {
    let gateway: S3Gateway
    var interval: Duration = .seconds(600)
    var graceMs: Int64 = 3_600_000

    func run() async throws {
        try? await cancelWhenGracefulShutdown { try await sweep() }
    }

    private func sweep() async throws {
        while !Task.isCancelled {
            do {
                let garbage = try await gateway.state.store.sweepOrphanBlobs(beforeMs: gateway.state.clock.nowMs() - graceMs)
                if !garbage.isEmpty {
                    gateway.state.logger.info("swept orphaned pieces", metadata: ["pieces": "\(garbage.count)"])
                    gateway.discard(garbage)
                }
            } catch {
                gateway.state.logger.warning("orphan sweep failed", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: interval)
        }
    }
}
