import Core
import Foundation

/// A creator's render job as the market keeps it.
public struct RenderJob: Sendable, Equatable, Codable {
    /// Its id: 16 hex digits of its transaction's hash.
    public var id: String
    /// Who submitted it and escrowed its credits.
    public var creator: Address
    /// The rendering service it is for.
    public var service: String
    /// SHA-256 of the scene in the content store.
    public var scene: String
    /// First frame.
    public var frameStart: Int
    /// Last frame, inclusive.
    public var frameEnd: Int
    /// Cycles samples per pixel; 0 keeps the scene's.
    public var samples: Int
    /// Output format.
    public var format: String
    /// "priority" or "economy".
    public var tier: String
    /// Credits escrowed: the most it may cost.
    public var cap: Amount
    /// Credits paid to nodes so far.
    public var spent: Amount
    /// Credits returned to the creator when it ended.
    public var refunded: Amount
    /// "open" or "done".
    public var state: String
    /// When it was accepted.
    public var createdMs: Int64
    /// When its last frame was done.
    public var finishedMs: Int64?
    /// Its frames by task state ("queued", "leased", "done").
    public var frames: [String: Int]

    /// How many frames it has.
    public var frameCount: Int { frameEnd - frameStart + 1 }
    /// Frames done.
    public var framesDone: Int { frames["done"] ?? 0 }
    /// Frames done, percent of all.
    public var progressPercent: Int { framesDone * 100 / max(frameCount, 1) }
}

/// One frame of a job: who holds or rendered it, and what it produced.
public struct RenderTask: Sendable, Equatable, Codable {
    /// The job.
    public var job: String
    /// The frame.
    public var frame: Int
    /// "queued", "leased" (being rendered), "check" and "checking" (waiting for and under a
    /// verifying render), "dispute" and "disputing" (the same for a tie-break), or "done".
    public var state: String
    /// The node holding its lease or that rendered it.
    public var node: Address?
    /// When the lease runs out.
    public var leaseUntilMs: Int64?
    /// SHA-256 of the rendered PNG.
    public var output: String?
    /// How long the render took, by the node's report.
    public var renderMs: Int64?
    /// Leases that ran out or failed before this one.
    public var attempts: Int
    /// Credits paid for it.
    public var paid: Amount?
}

/// A frame leased to a node: what it must render, and by when.
public struct RenderLease: Sendable, Equatable, Codable {
    /// "render", or "verify" and "tiebreak" when the node re-renders another node's frame, or
    /// "benchmark" when it renders its benchmark again (job "benchmark", frame 1) with `seed`.
    public var role: String
    /// The job.
    public var job: String
    /// The frame.
    public var frame: Int
    /// SHA-256 of the scene to fetch from the content store.
    public var scene: String
    /// Samples per pixel; 0 keeps the scene's.
    public var samples: Int
    /// Output format.
    public var format: String
    /// When the lease runs out.
    public var leaseUntilMs: Int64
    /// The Cycles seed a benchmark check must render with.
    public var seed: Int?
}

/// A render node's standing in the market.
public struct RenderNode: Sendable, Equatable, Codable {
    /// The device.
    public var device: Address
    /// Its benchmark: milliseconds to render the reference scene.
    public var benchmarkMs: Int64
    /// Its renderer, as it reported.
    public var renderer: String
    /// 0 to 100: rises with verified work, falls with failures and expired leases.
    public var reputation: Int
    /// Frames it rendered that were accepted.
    public var verified: Int
    /// Leases it let run out or failed.
    public var failed: Int
    /// SHA-256 of the reference scene and of its benchmark picture.
    public var scene: String?
    public var output: String?
    /// Frames leased to it, first renders and checks.
    public var leases: Int
    /// When it last asked for work.
    public var askedMs: Int64?
    /// A benchmark check is owed: it benchmarked again, or let a check run out.
    public var checkDue: Bool
    /// The benchmark check it holds: its seed, and when it was asked and runs out.
    public var checkSeed: Int?
    public var checkAskedMs: Int64?
    public var checkUntilMs: Int64?
    /// Benchmark checks passed and failed.
    public var checksPassed: Int
    public var checksFailed: Int
}

/// One node's render of one frame: the first render, a verifying re-render, or the tie-break.
public struct RenderResult: Sendable, Equatable, Codable {
    public var job: String
    public var frame: Int
    public var node: Address
    /// "render", "verify" or "tiebreak".
    public var role: String
    /// SHA-256 of its PNG.
    public var output: String
    public var renderMs: Int64
    /// What its work is worth.
    public var price: Amount
    /// What it was paid when the job ended.
    public var paid: Amount?
    /// "pending", "accepted", "rejected" (outvoted, unpaid) or "void" (redone, unpaid).
    public var verdict: String
}

/// What the node found when a frame came back: whether to verify a first render, and how a
/// verifying or tie-breaking render compared with the ones before it.
public struct RenderCheck: Sendable, Equatable {
    /// A first render sampled for verification by another node.
    public var sampled = false
    /// A verifying or tie-breaking render matches the first render.
    public var matchesRender = false
    /// A tie-breaking render matches the verifying one.
    public var matchesVerify = false

    /// A first render, paid without a second look.
    public static let unsampled = RenderCheck()
    /// A first render sampled for verification by another node.
    public static let sampled = RenderCheck(sampled: true)
    /// A verifying render: whether it matches the first.
    public static func verified(matches: Bool) -> RenderCheck { RenderCheck(matchesRender: matches) }
    /// A tie-break: whether it matches the first render, and the verifying one.
    public static func tiebreak(matchesRender: Bool, matchesVerify: Bool) -> RenderCheck {
        RenderCheck(matchesRender: matchesRender, matchesVerify: matchesVerify)
    }
}

/// A frame a node returned under its lease, with what the node found and what it is worth.
public struct RenderCompletion: Sendable, Equatable {
    public var device: PublicKey
    public var job: String
    public var frame: Int
    /// SHA-256 of the PNG in the content store.
    public var output: String
    public var renderMs: Int64
    /// What the work is worth, paid when the job ends if the render is accepted.
    public var price: Amount
    public var check: RenderCheck
    public var policy: RenderLeasePolicy
    /// The epoch whose usage the job's pay joins, should this frame end the job.
    public var epoch: Int64
    public var nowMs: Int64

    /// A completion.
    public init(
        device: PublicKey, job: String, frame: Int, output: String, renderMs: Int64, price: Amount, check: RenderCheck,
        policy: RenderLeasePolicy, epoch: Int64, nowMs: Int64
    ) {
        self.device = device
        self.job = job
        self.frame = frame
        self.output = output
        self.renderMs = renderMs
        self.price = price
        self.check = check
        self.policy = policy
        self.epoch = epoch
        self.nowMs = nowMs
    }
}

/// How the market leases frames: for how long, and to whom.
public struct RenderLeasePolicy: Sendable, Equatable {
    /// How long a lease lasts.
    public var leaseMs: Int64
    /// The least reputation that gets work.
    public var minReputation: Int
    /// Reputation lost when a lease runs out.
    public var expiryPenalty: Int
    /// Reputation lost when a render is outvoted.
    public var rejectPenalty: Int
    /// A frame queued less than this long ago waits for an idle node of better standing
    /// (higher reputation, then a faster benchmark) rather than go to this one.
    public var preferenceMs: Int64 = 0
    /// A node that asked for work this recently and holds none is idle.
    public var idleMs: Int64 = 5_000
    /// When set, the node is given a benchmark check with this Cycles seed instead of the frame
    /// it would get (or at once when it owes one).
    public var benchmarkCheckSeed: Int?
    /// A frame waiting this long for a verifying node (none other could take it) is settled on
    /// its first render, unverified; 0 waits for ever.
    public var checkWaitMs: Int64 = 0
    /// The epoch a job settled while leasing is paid in.
    public var epoch: Int64 = 0

    /// A policy.
    public init(
        leaseMs: Int64, minReputation: Int, expiryPenalty: Int, rejectPenalty: Int, preferenceMs: Int64 = 0,
        benchmarkCheckSeed: Int? = nil
    ) {
        self.leaseMs = leaseMs
        self.minReputation = minReputation
        self.expiryPenalty = expiryPenalty
        self.rejectPenalty = rejectPenalty
        self.preferenceMs = preferenceMs
        self.benchmarkCheckSeed = benchmarkCheckSeed
    }
}
