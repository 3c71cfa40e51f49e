import Core
import Ledger

/// What the rendering market needs from persistence. A job and its frames are created with its
/// escrow when its transaction applies (`NetworkStore.apply`); every call here is atomic.
public protocol RenderStore: Sendable {
    /// A job with its frames counted by state.
    func renderJob(_ id: String) async throws -> RenderJob?
    /// One frame of a job.
    func renderTask(job: String, frame: Int) async throws -> RenderTask?
    /// A job's frames, in order.
    func renderTasks(job: String) async throws -> [RenderTask]
    /// Jobs, newest first, of one creator or of all.
    func renderJobs(creator: Address?, limit: Int) async throws -> [RenderJob]

    /// Records a node's benchmark; a new node starts at `startReputation`, a known one keeps its
    /// reputation.
    func recordRenderBenchmark(
        device: PublicKey, benchmarkMs: Int64, renderer: String, startReputation: Int, nowMs: Int64
    ) async throws -> RenderNode
    /// A node's standing, nil before its benchmark.
    func renderNode(_ device: PublicKey) async throws -> RenderNode?

    /// Returns leases that ran out to the queue (each costs its node reputation), then leases the
    /// next frame to `device`, or nil when there is none or the node may not take work. Priority
    /// jobs go before economy ones, older jobs before newer, frames in order; a node that holds
    /// a lease gets that one again.
    func leaseRenderTask(device: PublicKey, policy: RenderLeasePolicy, nowMs: Int64) async throws -> RenderLease?

    /// Records a leased frame as rendered by `device`, pays it `price` credits (no more than the
    /// escrow has left) as usage in `epoch`, and when it was the job's last frame ends the job
    /// and returns the escrow's rest to the creator, in one transaction.
    func completeRenderTask(
        device: PublicKey, job: String, frame: Int, output: String, renderMs: Int64, price: Amount, epoch: Int64,
        nowMs: Int64
    ) async throws -> RenderTask
}
