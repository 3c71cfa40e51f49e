import Core
import Foundation

extension TransactionRules {
    /// The longest reason an operator may give.
    public static let maxGovernanceReason = 200

    /// Checks a denylist change: an operator signed it, the device is registered, and it changes
    /// something (listing a listed device or lifting an unlisted one is refused). In force from
    /// the next epoch.
    func denylist(_ change: DenylistDevice, signer: Address, view: any LedgerView, nowMs: Int64) throws -> GovernanceChange {
        try requireOperator(signer)
        let key = try Self.publicKey(change.device, "device")
        guard try view.device(key) != nil else { throw TransactionError(.unknownDevice, "no device \(key) is registered") }
        guard change.reason.count <= Self.maxGovernanceReason else {
            throw TransactionError(.invalidDenylist, "the reason is longer than \(Self.maxGovernanceReason) characters")
        }
        let listed = Governance(changes: try view.governanceChanges(), epoch: nil).denylist[key.address] != nil
        guard listed != change.listed else {
            throw TransactionError(
                .invalidDenylist, "device \(key.address) is \(listed ? "already" : "not") on the denylist")
        }
        return GovernanceChange(
            effectiveEpoch: genesis.epochs.epoch(ofMs: nowMs) + 1, kind: change.listed ? .denylist : .allow,
            device: key.address, reason: change.reason, signer: signer, appliedMs: nowMs)
    }

    /// Checks a parameter change: an operator signed it, and the genesis with every change so far
    /// and this one applied still reads (the service exists, the value is TOML, the pool weights
    /// add up) and, where the node says how, still satisfies the service's module. In force from
    /// the next epoch.
    func parameter(
        _ change: SetServiceParameter, signer: Address, view: any LedgerView, nowMs: Int64
    ) throws -> GovernanceChange {
        try requireOperator(signer)
        let parameter = ParameterOverride(service: change.service, key: change.key, value: change.value)
        let inForce = Governance(changes: try view.governanceChanges(), epoch: nil).parameters
        do {
            let changed = try genesis.applying(inForce + [parameter])
            try checkServices?(changed)
        } catch let error as GenesisError {
            throw TransactionError(.invalidParameter, error.message)
        } catch {
            throw TransactionError(.invalidParameter, "\(error)")
        }
        return GovernanceChange(
            effectiveEpoch: genesis.epochs.epoch(ofMs: nowMs) + 1, kind: .parameter, parameter: parameter,
            signer: signer, appliedMs: nowMs)
    }

    private func requireOperator(_ signer: Address) throws {
        guard genesis.operators.contains(signer.publicKey) else {
            throw TransactionError(
                .notOperator,
                genesis.operators.isEmpty
                    ? "this network's genesis names no operator keys, so it takes no admin changes"
                    : "\(signer) is not an operator key of this network")
        }
    }
}
