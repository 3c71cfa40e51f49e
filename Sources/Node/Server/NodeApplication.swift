import Core
import Foundation
import Hummingbird
import Ledger
import Logging
import ServiceLifecycle
import Storage
import Store

/// The node's composition root: everything a running node is, wired from its configuration.
public enum NodeApplication {
    /// The router with every route and middleware, over `state`.
    public static func makeRouter(state: NodeState) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware(logger: state.logger))
        SystemRoutes(state: state).add(to: router)
        ReportRoutes(state: state).add(to: router)
        LedgerRoutes(state: state).add(to: router)
        DeviceRoutes(state: state).add(to: router)
        EpochRoutes(state: state).add(to: router)
        CoverageRoutes(state: state).add(to: router)
        ContentRoutes(state: state).add(to: router)
        RenderRoutes(state: state).add(to: router)
        StorageRoutes(state: state).add(to: router)
        AccessKeyRoutes(state: state).add(to: router)
        MapRoutes(state: state).add(to: router)
        TelemetryRoutes(state: state).add(to: router)
        GovernanceRoutes(state: state).add(to: router)
        ExplorerRoutes(state: state).add(to: router)
        return router
    }

    /// Opens the data directory, reads and checks the genesis, bootstraps the store and returns
    /// the state routes read.
    public static func makeState(configuration: NodeConfiguration, logger: Logger) async throws -> NodeState {
        let genesisText: String
        do {
            genesisText = try String(contentsOfFile: configuration.genesisPath, encoding: .utf8)
        } catch {
            throw NodeStartError("cannot read the genesis file \(configuration.genesisPath): \(error.localizedDescription)")
        }
        let genesis: Genesis
        do { genesis = try Genesis(toml: genesisText) } catch {
            throw NodeStartError("\(configuration.genesisPath): \(error)")
        }
        let genesisHash = SHA256Digest.hex(Data(genesisText.utf8))
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let store: SQLNetworkStore
        do {
            store = try await SQLNetworkStore.open(
                url: configuration.databaseURL, sqlitePath: configuration.dataDirectory + "/node.sqlite")
        } catch let error as StoreError {
            throw NodeStartError(error.message)
        }
        let clock = NodeClock.system
        do {
            try await store.bootstrap(genesis: genesis, genesisHash: genesisHash, nowMs: clock.nowMs())
        } catch let error as StoreError {
            throw NodeStartError(error.message)
        }
        if let key = configuration.oracleKey, !genesis.oracles.contains(key.publicKey) {
            throw NodeStartError("\(key.address) is not an oracle in the genesis")
        }
        do {
            return try NodeState(
                genesis: genesis, genesisHash: genesisHash, store: store, clock: clock, configuration: configuration,
                logger: logger, oracleKey: configuration.oracleKey,
                content: try ContentStore(directory: configuration.dataDirectory + "/content"))
        } catch {
            throw NodeStartError("\(configuration.genesisPath): \(error)")
        }
    }

    /// The HTTP application; it writes the bound port to `node.port` in the data directory once
    /// it listens (useful with port 0).
    public static func build(configuration: NodeConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
        let state = try await makeState(configuration: configuration, logger: logger)
        let router = makeRouter(state: state)
        let portFile = configuration.dataDirectory + "/node.port"
        var closer = EpochCloser(state: state)
        closer.checkInterval = configuration.epochCheckInterval
        var services: [any Service] = [closer]
        if let s3Port = configuration.s3Port { services += try s3Services(state: state, port: s3Port) }
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "depin"),
            services: services,
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                try? "\(port)\n".write(toFile: portFile, atomically: true, encoding: .utf8)
                logger.info(
                    "node listening",
                    metadata: [
                        "host": "\(configuration.host)", "port": "\(port)", "data_dir": "\(configuration.dataDirectory)",
                        "database": "\(configuration.databaseDescription)",
                    ])
            },
            logger: logger)
    }
}

extension NodeApplication {
    /// The S3 gateway on its own port, and its sweep of orphaned blobs; it writes the bound port
    /// to `s3.port` in the data directory once it listens.
    static func s3Services(state: NodeState, port: Int) throws -> [any Service] {
        let configuration = state.configuration
        guard let storage = state.storage else {
            throw NodeStartError("--s3-port needs a storage service in the genesis (a [services.storage] serving storage-node devices)")
        }
        guard let orderer = configuration.ordererKey else {
            throw NodeStartError("--s3-port needs --orderer-key: the key that signs piece orders, which storage nodes trust")
        }
        let gateway = S3Gateway(
            state: state, parameters: storage.parameters, orderer: orderer, limits: configuration.s3Limits,
            heartbeatSeconds: storage.heartbeatSeconds)
        let portFile = configuration.dataDirectory + "/s3.port"
        let logger = state.logger
        let application = Application(
            responder: gateway,
            server: .http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler()])),
            configuration: .init(address: .hostname(configuration.host, port: port), serverName: "depin-s3"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? port
                try? "\(port)\n".write(toFile: portFile, atomically: true, encoding: .utf8)
                logger.info(
                    "s3 gateway listening",
                    metadata: [
                        "port": "\(port)", "orderer": "\(orderer.address)",
                        "code": "\(storage.parameters.dataPieces) of \(storage.parameters.totalPieces)",
                    ])
            },
            logger: logger)
        return [application, OrphanSweeper(gateway: gateway), StorageAuditor(gateway: gateway)]
    }
}

/// Why a node could not start: a message for the operator.
public struct NodeStartError: Error, CustomStringConvertible {
    /// The message.
    public var description: String

    /// An error with a message.
    public init(_ description: String) {
        self.description = description
    }
}
