import Core
import Foundation
import Hummingbird
import Ledger
import Store

/// The operators' changes: the denylist and service parameters, as changed and as in force.
/// Changes themselves are transactions (`POST /v1/transactions`) signed by an operator key.
struct GovernanceRoutes {
    let state: NodeState

    struct RulesView: Encodable {
        var epoch: Int64
        var denylist: [DenylistedView]
        var parameters: [ParameterOverride]
    }

    struct DenylistedView: Encodable {
        var device: String
        var reason: String
    }

    struct GovernanceView: Encodable {
        var operators: [String]
        var current: RulesView
        var next: RulesView
        var changes: [GovernanceChange]
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/governance") { _, _ in
            let changes = try await state.store.governanceChanges()
            let epoch = state.genesis.epochs.epoch(ofMs: state.clock.nowMs())
            return try JSONBody.response(
                GovernanceView(
                    operators: state.genesis.operators.map(\.address.description),
                    current: Self.rules(changes, epoch: epoch), next: Self.rules(changes, epoch: epoch + 1),
                    changes: changes))
        }
    }

    private static func rules(_ changes: [GovernanceChange], epoch: Int64) -> RulesView {
        let governance = Governance(changes: changes, epoch: epoch)
        return RulesView(
            epoch: epoch,
            denylist: governance.denylist.keys.sorted().map {
                DenylistedView(device: $0.description, reason: governance.denylist[$0] ?? "")
            },
            parameters: governance.parameters)
    }
}
