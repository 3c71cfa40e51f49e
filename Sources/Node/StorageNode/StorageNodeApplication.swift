import Foundation
import Hummingbird
import Logging
import Storage

/// A storage node: its piece store served over HTTP (`PieceRoutes`).
public enum StorageNodeApplication {
    /// The router, for tests.
    public static func makeRouter(store: PieceStore, configuration: StorageNodeConfiguration, logger: Logger) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware(logger: logger))
        let orders = PieceOrderCheck(orderer: configuration.orderer, node: configuration.node, nowMs: configuration.nowMs)
        PieceRoutes(store: store, maxPieceBytes: configuration.maxPieceBytes, orders: orders).add(to: router)
        return router
    }

    /// The storage node's piece store, in its folder.
    public static func pieceStore(configuration: StorageNodeConfiguration) throws -> PieceStore {
        try PieceStore(directory: configuration.directory + "/pieces", capacityBytes: configuration.capacityBytes)
    }

    /// The HTTP application over `store`; it writes the bound port to `storage.port` in the
    /// node's folder once it listens.
    public static func build(
        configuration: StorageNodeConfiguration, store: PieceStore, logger: Logger
    ) throws -> some ApplicationProtocol {
        let portFile = configuration.directory + "/storage.port"
        return Application(
            router: makeRouter(store: store, configuration: configuration, logger: logger),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "depin-storage"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                try? "\(port)\n".write(toFile: portFile, atomically: true, encoding: .utf8)
                logger.info(
                    "storage node listening",
                    metadata: [
                        "port": "\(port)", "capacity_bytes": "\(configuration.capacityBytes)", "used_bytes": "\(store.usedBytes)",
                    ])
            },
            logger: logger)
    }
}
