import Core

/// An operator's signed change to how the network runs, as the registry keeps it. It is in force
/// from `effectiveEpoch`, the epoch after the one it was applied in, so an epoch's rules never
/// change once the epoch has begun.
public struct GovernanceChange: Sendable, Equatable, Codable {
    /// What the change does.
    public enum Kind: String, Sendable, Codable {
        /// A device put on the denylist.
        case denylist
        /// A device taken off it.
        case allow
        /// A service parameter set.
        case parameter
    }

    /// The journal entry that records it (0 before it is stored).
    public var sequence: UInt64
    /// The first epoch it governs.
    public var effectiveEpoch: Int64
    /// What it does.
    public var kind: Kind
    /// The device, for a denylist change.
    public var device: Address?
    /// The parameter, for a parameter change.
    public var parameter: ParameterOverride?
    /// The operator's stated reason (may be empty).
    public var reason: String
    /// The operator key that signed it.
    public var signer: Address
    /// When the node applied it, milliseconds since the Unix epoch.
    public var appliedMs: Int64

    enum CodingKeys: String, CodingKey {
        case sequence, kind, device, parameter, reason, signer
        case effectiveEpoch = "effective_epoch"
        case appliedMs = "applied_ms"
    }

    /// A change.
    public init(
        sequence: UInt64 = 0, effectiveEpoch: Int64, kind: Kind, device: Address? = nil,
        parameter: ParameterOverride? = nil, reason: String = "", signer: Address, appliedMs: Int64
    ) {
        self.sequence = sequence
        self.effectiveEpoch = effectiveEpoch
        self.kind = kind
        self.device = device
        self.parameter = parameter
        self.reason = reason
        self.signer = signer
        self.appliedMs = appliedMs
    }
}
