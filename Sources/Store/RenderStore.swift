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

    /// A frame's renders, oldest first.
    func renderResults(job: String, frame: Int) async throws -> [RenderResult]
    /// Every render of a job, oldest first.
    func renderResults(job: String) async throws -> [RenderResult]

    /// Records a frame `device` rendered under its lease, worth `price`, and moves the frame on
    /// as `check` says: a first render is done or waits for verification; a verifying render
    /// that matches settles the frame, one that does not sends it to a tie-break; the tie-break's
    /// majority wins, the outvoted node loses reputation and pay, and when the outvoted node
    /// made the first render, its other frames of the job are redone. When the job's last frame
    /// is done, accepted renders are paid from the escrow (as usage in `epoch`) and the rest
    /// returns to the creator; all in one transaction.
    func completeRenderTask(_ completion: RenderCompletion) async throws -> RenderTask
}
