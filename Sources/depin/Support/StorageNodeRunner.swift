import Agent
import Core
import Foundation
import Logging
import Node
import ServiceLifecycle
import Storage

/// A storage node as `depin agent storage-node` runs it, and as the demo runs four: the piece
/// server and, beside it, the device's heartbeat agent, which announces after each heartbeat
/// where the server listens and how much room it has (a `storage_status` report).
enum StorageNodeRunner {
    /// The piece server and the heartbeat agent for `device`, serving from `directory`.
    static func services(
        device: SigningKey, directory: String, capacityBytes: Int64, orderer: Address, host: String, port: Int,
        agent configuration: DeviceAgent.Configuration, logger: Logger
    ) throws -> [any Service] {
        // The port file of a previous run would announce a stale port.
        try? FileManager.default.removeItem(atPath: directory + "/storage.port")
        var storage = StorageNodeConfiguration(
            directory: directory, capacityBytes: capacityBytes, node: device.publicKey, orderer: orderer.publicKey)
        storage.host = host
        storage.port = port
        let pieces = try StorageNodeApplication.pieceStore(configuration: storage)
        let server = try StorageNodeApplication.build(configuration: storage, store: pieces, logger: logger)
        let portFile = directory + "/storage.port"
        var configuration = configuration
        configuration.status = {
            guard let text = try? String(contentsOfFile: portFile, encoding: .utf8),
                let bound = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { return nil }
            var status = StorageStatus()
            status.url = "http://\(host):\(bound)"
            status.capacityBytes = UInt64(pieces.capacityBytes)
            status.usedBytes = UInt64(max(pieces.usedBytes, 0))
            return .storageStatus(status)
        }
        let heartbeats = try DeviceAgent(key: device, configuration: configuration, logger: logger)
        return [server, HeartbeatService(agent: heartbeats)]
    }
}
