import Core
import Storage
import Hummingbird
import Store

/// The storage network's directory: where storage nodes serve pieces, as they last announced it
/// in a signed `storage_status` report (sent to `POST /v1/reports` like any report); their
/// audit reputations and audit logs; and the health of the stored segments.
struct StorageRoutes {
    let state: NodeState

    struct ReputationView: Encodable {
        var node: String
        var alpha: Double
        var beta: Double
        var score: Double
        var audits: Int
        var failures: Int
        var offline: Int
        var disqualifiedMs: Int64?

        init(_ reputation: StorageReputation) {
            node = reputation.node.description
            alpha = reputation.alpha
            beta = reputation.beta
            score = reputation.score
            audits = reputation.audits
            failures = reputation.failures
            offline = reputation.offline
            disqualifiedMs = reputation.disqualifiedMs
        }
    }

    struct AccountView: Encodable {
        var account: String
        var storedBytes: Int64
        var objects: Int
        var unbilledEgressBytes: Int64
        var paidCredits: String
        var unpaidCredits: String
    }

    struct HealthView: Encodable {
        var segments: Int
        var belowRepairThreshold: Int
        var storageNodes: Int
        var healthyStorageNodes: Int
        var disqualified: [String]
        var dataPieces: Int
        var totalPieces: Int
        var repairThreshold: Int
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/storage/nodes") { request, _ in
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 100, 1), 1_000)
            return try JSONBody.response(try await state.store.storageNodes(limit: limit))
        }
        router.get("/v1/storage/reputation") { _, _ in
            try JSONBody.response(try await state.store.reputations().map(ReputationView.init))
        }
        router.get("/v1/storage/nodes/{id}/audits") { request, context in
            let node = try LedgerRoutes.address(context.parameters.get("id") ?? "")
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 100, 1), 1_000)
            return try JSONBody.response(try await state.store.audits(node: node, limit: limit))
        }
        router.get("/v1/storage/accounts/{address}") { _, context in
            let account = try LedgerRoutes.address(context.parameters.get("address") ?? "")
            let standing = try await state.store.storageAccount(account)
            return try JSONBody.response(
                AccountView(
                    account: account.description, storedBytes: standing.storedBytes, objects: standing.objects,
                    unbilledEgressBytes: standing.unbilledEgressBytes, paidCredits: standing.paid.description,
                    unpaidCredits: standing.unpaid.description))
        }
        router.get("/v1/storage/health") { _, _ in
            guard let storage = state.storage else { throw NodeError(.notFound, "no_storage_service", "this network runs no storage service") }
            let nowMs = state.clock.nowMs()
            let freshMs = StorageNodePool.freshMs(heartbeatSeconds: storage.heartbeatSeconds)
            let reputations = try await state.store.reputations()
            let disqualified = Set(reputations.filter { $0.disqualifiedMs != nil }.map(\.node))
            let nodes = try await state.store.storageNodes(limit: 10_000)
            let healthy = Set(
                nodes.filter { StorageNodePool.isOnline($0, nowMs: nowMs, freshMs: freshMs) && !disqualified.contains($0.device) }
                    .map(\.device))
            let health = try await state.store.segmentHealth(healthy: healthy, threshold: storage.parameters.repairThreshold)
            return try JSONBody.response(
                HealthView(
                    segments: health.segments, belowRepairThreshold: health.belowThreshold, storageNodes: nodes.count,
                    healthyStorageNodes: healthy.count, disqualified: disqualified.map(\.description).sorted(),
                    dataPieces: storage.parameters.dataPieces, totalPieces: storage.parameters.totalPieces,
                    repairThreshold: storage.parameters.repairThreshold))
        }
    }
}
