import Core
import Foundation

/// What a service makes of one epoch: each device's score, the usage credits each device earned,
/// the state it carries into the next epoch, and any escrowed credits to give back.
public struct ServiceOutcome: Sendable {
    /// Scores by device.
    public var scores: [Address: ServiceScore]
    /// Usage credits each device earned, by address.
    public var usage: [String: Amount]
    /// The service's state after this epoch (its own encoding; empty for a stateless service).
    public var state: Data
    /// Escrowed credits nobody earned, back to their accounts.
    public var refunds: [CreditRefund]

    /// An outcome.
    public init(scores: [Address: ServiceScore], usage: [String: Amount], state: Data = Data(), refunds: [CreditRefund] = []) {
        self.scores = scores
        self.usage = usage
        self.state = state
        self.refunds = refunds
    }
}
