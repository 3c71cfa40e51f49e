import Core
import Hummingbird
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
            return try JSONBody.response(DeviceView(device))
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
