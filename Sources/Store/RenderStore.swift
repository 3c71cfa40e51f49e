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
    /// The market's totals; nodes that asked for work since `activeSinceMs` are active.
    func renderMarketTotals(activeSinceMs: Int64) async throws -> RenderMarketTotals
    /// Jobs, newest first, of one creator or of all.
    func renderJobs(creator: Address?, limit: Int) async throws -> [RenderJob]

    /// Records a node's benchmark of the reference scene (the genesis's pin, or else the scene of
    /// the first benchmark recorded; another scene is `wrong_reference_scene`). A new node starts
    /// at its start reputation; a known one keeps its reputation and owes a benchmark check.
    func recordRenderBenchmark(_ benchmark: RenderNodeBenchmark) async throws -> RenderNode
    /// The reference scene's SHA-256, once a benchmark has pinned it.
    func renderReferenceScene() async throws -> String?
    /// A node's standing, nil before its benchmark.
    func renderNode(_ device: PublicKey) async throws -> RenderNode?
    /// Nodes by standing: reputation, then the faster benchmark.
    func renderNodes(limit: Int) async throws -> [RenderNode]
    /// Records a benchmark check's outcome for the check the node holds (`no_benchmark_check`
    /// when it holds none with that seed and time): the benchmark becomes `benchmarkAfterMs`,
    /// reputation falls by the penalty, and the check is kept for the node's history.
    func recordRenderBenchmarkCheck(_ check: RenderBenchmarkCheck) async throws -> RenderNode
    /// A node's benchmark checks, newest first.
    func renderBenchmarkChecks(device: PublicKey, limit: Int) async throws -> [RenderBenchmarkCheck]

    /// Returns leases that ran out to the queue (each costs its node reputation), then leases the
    /// next frame to `device`, or nil when there is none or the node may not take work. A node
    /// that holds a lease or a benchmark check gets that one again; a node the policy draws for a
    /// benchmark check gets one. Checks of other nodes' frames go first, then priority jobs
    /// before economy ones, older jobs before newer, frames in order; a frame queued within the
    /// policy's preference time waits for an idle node of better standing.
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
