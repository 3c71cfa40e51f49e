import Core
import Foundation
import Hummingbird
import Ledger
import Logging
import Prometheus
import Store

/// Health, metrics, the OpenAPI document and the network's description.
struct SystemRoutes {
    let state: NodeState

    struct Health: Encodable {
        var status: String
        var genesisHash: String
        var accounts: Int
        var devices: Int
        var journalEntries: Int
        var reports: Int
    }

    struct ServiceView: Encodable {
        var name: String
        var weight: Int
        var kinds: [String]
    }

    struct NetworkView: Encodable {
        var token: String
        var symbol: String
        var decimals: Int
        var supplyCap: Amount
        var creditsPerToken: Amount
        var epochLengthSeconds: Int
        var epochStart: Int64
        var currentEpoch: Int64
        var services: [ServiceView]
        var treasury: String
        var oracles: [String]
        var quorum: Int
        var makers: [String]
        var genesisHash: String
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ in
            let counts = try await state.store.counts()
            state.metrics.devices.set(Int64(counts.devices))
            state.metrics.journalEntries.set(Int64(counts.journalEntries))
            return try JSONBody.response(
                Health(
                    status: "ok", genesisHash: state.genesisHash, accounts: counts.accounts, devices: counts.devices,
                    journalEntries: counts.journalEntries, reports: counts.reports))
        }
        router.get("/metrics") { _, _ in
            let counts = try await state.store.counts()
            state.metrics.devices.set(Int64(counts.devices))
            state.metrics.sqliteMemory.set(SQLiteMemory.bytesInUse)
            state.metrics.journalEntries.set(Int64(counts.journalEntries))
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: state.metrics.render())))
        }
        router.get("/openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
        }
        router.get("/v1/network") { _, _ in
            let genesis = state.genesis
            return try JSONBody.response(
                NetworkView(
                    token: genesis.token.name, symbol: genesis.token.symbol, decimals: genesis.token.decimals,
                    supplyCap: genesis.token.supplyCap, creditsPerToken: genesis.creditsPerToken,
                    epochLengthSeconds: genesis.epochs.lengthSeconds, epochStart: genesis.epochs.startTime,
                    currentEpoch: state.admission.epoch(ofMs: state.clock.nowMs()),
                    services: genesis.services.map { ServiceView(name: $0.name, weight: $0.weight, kinds: $0.kinds.map(\.name)) },
                    treasury: genesis.treasury.account.description,
                    oracles: genesis.oracles.map(\.address.description), quorum: genesis.quorum,
                    makers: genesis.makers.map(\.address.description), genesisHash: state.genesisHash))
        }
    }
}
