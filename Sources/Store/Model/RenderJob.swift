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
}

/// One frame of a job: who holds or rendered it, and what it produced.
public struct RenderTask: Sendable, Equatable, Codable {
    /// The job.
    public var job: String
    /// The frame.
    public var frame: Int
    /// "queued", "leased" or "done".
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
}

/// How the market leases frames: for how long, and to whom.
public struct RenderLeasePolicy: Sendable, Equatable {
    /// How long a lease lasts.
    public var leaseMs: Int64
    /// The least reputation that gets work.
    public var minReputation: Int
    /// Reputation lost when a lease runs out.
    public var expiryPenalty: Int

    /// A policy.
    public init(leaseMs: Int64, minReputation: Int, expiryPenalty: Int) {
        self.leaseMs = leaseMs
        self.minReputation = minReputation
        self.expiryPenalty = expiryPenalty
    }
}
