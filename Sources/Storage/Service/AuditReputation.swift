import Core
import Store

/// How an audit moves a storage node's reputation: Storj's Beta model with the genesis's λ, w,
/// starting α and disqualification threshold. A failed audit (a wrong answer, or no piece) counts
/// against the node; an audit it could not be reached for is counted as offline and leaves the
/// score alone (its pieces there are repaired while it is offline, and come back if it does).
public struct AuditReputation: Sendable {
    public let parameters: StorageParameters

    public init(parameters: StorageParameters) {
        self.parameters = parameters
    }

    /// A node never audited.
    public func initial(_ node: Address) -> StorageReputation {
        StorageReputation(node: node, alpha: parameters.auditInitialAlpha, beta: 0)
    }

    /// `reputation` after an audit with `result` ("passed", "failed" or "offline") at `nowMs`.
    public func updated(_ reputation: StorageReputation, result: String, nowMs: Int64) -> StorageReputation {
        var next = reputation
        next.audits += 1
        let (lambda, weight) = (parameters.auditLambda, parameters.auditWeight)
        switch result {
        case "passed":
            next.alpha = lambda * reputation.alpha + weight
            next.beta = lambda * reputation.beta
        case "failed":
            next.failures += 1
            next.alpha = lambda * reputation.alpha
            next.beta = lambda * reputation.beta + weight
        default:
            next.offline += 1
        }
        if next.disqualifiedMs == nil, next.score < parameters.disqualifyBelow { next.disqualifiedMs = nowMs }
        return next
    }

    /// Whether a storage node with `reputation` (nil: never audited) is paid for the bytes it
    /// holds and serves: once it has passed an audit, and until it is disqualified.
    public func earns(_ reputation: StorageReputation?) -> Bool {
        guard let reputation else { return false }
        return reputation.disqualifiedMs == nil && reputation.audits - reputation.failures - reputation.offline > 0
    }
}
