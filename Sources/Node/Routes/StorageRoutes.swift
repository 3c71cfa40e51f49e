import Hummingbird
import Store

/// The storage network's directory: where storage nodes serve pieces, as they last announced it
/// in a signed `storage_status` report (sent to `POST /v1/reports` like any report).
struct StorageRoutes {
    let state: NodeState

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/storage/nodes") { request, _ in
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 100, 1), 1_000)
            return try JSONBody.response(try await state.store.storageNodes(limit: limit))
        }
    }
}
