import Core

/// A storage node's audit record: its Beta reputation (α, β, as Storj keeps it), its counts,
/// and when it was disqualified.
public struct StorageReputation: Sendable, Equatable, Codable {
    public var node: Address
    public var alpha: Double
    public var beta: Double
    public var audits: Int
    public var failures: Int
    public var offline: Int
    public var disqualifiedMs: Int64?

    public init(
        node: Address, alpha: Double, beta: Double, audits: Int = 0, failures: Int = 0, offline: Int = 0, disqualifiedMs: Int64? = nil
    ) {
        self.node = node
        self.alpha = alpha
        self.beta = beta
        self.audits = audits
        self.failures = failures
        self.offline = offline
        self.disqualifiedMs = disqualifiedMs
    }

    /// α / (α + β).
    public var score: Double { alpha + beta > 0 ? alpha / (alpha + beta) : 1 }
}
