import Core

/// What operators' changes put in force in one epoch: the denylist and the service parameters
/// that differ from the genesis. A pure fold of the changes in journal order, so every oracle
/// that reads the same changes gets the same rules.
public struct Governance: Sendable, Equatable {
    /// Denylisted devices, with the reason given when each was listed.
    public var denylist: [Address: String] = [:]
    /// The overrides in force, one per service and key (the last set), sorted by service and key.
    public var parameters: [ParameterOverride] = []

    /// No changes: the genesis as written.
    public init() {}

    /// The rules `changes` put in force in `epoch` (nil: every change, however far ahead).
    public init(changes: [GovernanceChange], epoch: Int64?) {
        var latest: [String: ParameterOverride] = [:]
        for change in changes.sorted(by: { $0.sequence < $1.sequence }) {
            if let epoch, change.effectiveEpoch > epoch { continue }
            switch change.kind {
            case .denylist: if let device = change.device { denylist[device] = change.reason }
            case .allow: if let device = change.device { denylist[device] = nil }
            case .parameter:
                if let parameter = change.parameter { latest["\(parameter.service)\u{0}\(parameter.key)"] = parameter }
            }
        }
        parameters = latest.keys.sorted().map { latest[$0]! }
    }
}
