import Core
import Hummingbird
import Ledger
import Logging
import Prometheus
import Store

/// The registry: a device and its latest reports.
struct DeviceRoutes {
    let state: NodeState

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/devices/{id}") { _, context in
            let key = try LedgerRoutes.address(context.parameters.get("id") ?? "").publicKey
            guard let device = try await state.store.device(key) else {
                throw NodeError.coded("device_not_found", "no device \(key) is registered")
            }
            var view = DeviceView(device)
            let changes = try await state.store.governanceChanges()
            let epoch = state.genesis.epochs.epoch(ofMs: state.clock.nowMs())
            let now = Governance(changes: changes, epoch: epoch).denylist[key.address]
            let next = Governance(changes: changes, epoch: epoch + 1).denylist[key.address]
            view.denylist = .init(listed: now != nil, listedNextEpoch: next != nil, reason: now ?? next)
            return try JSONBody.response(view)
        }
        router.get("/v1/devices/{id}/reports") { request, context in
            let key = try LedgerRoutes.address(context.parameters.get("id") ?? "").publicKey
            guard try await state.store.device(key) != nil else {
                throw NodeError.coded("device_not_found", "no device \(key) is registered")
            }
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 50, 1), 1_000)
            return try JSONBody.response(try await state.store.reports(device: key, limit: limit).map(ReportView.init))
        }
    }
}
