import Agent
import Core
import Foundation
import Logging
import ServiceLifecycle
import Storage

/// The demo's storage network: four storage nodes on loopback, in four cities (so placement by
/// region shows), serving pieces to the node's S3 gateway, and an S3 access key for the owner,
/// written to demo.json for the aws CLI or any S3 client.
struct DemoStorage: Sendable {
    let directory: String
    let owner: SigningKey
    let maker: SigningKey
    let orderer: SigningKey
    let host: String
    let interval: Double
    let logger: Logger

    static let places: [(Double, Double)] = [(37.7749, -122.4194), (52.5200, 13.4050), (35.6762, 139.6503), (-23.5505, -46.6333)]

    /// The storage nodes' keys, onboarded on the node if they are not yet.
    func prepare(_ client: NodeClient) async throws -> [SigningKey] {
        var keys: [SigningKey] = []
        for (index, place) in Self.places.enumerated() {
            let key = try KeyFile.loadOrCreate(at: directory + "/devices/storage-node-\(index).key")
            keys.append(key)
            if try await client.get("/v1/devices/\(key.address)").status == 200 { continue }
            let onboard = OnboardDevice(
                device: key.publicKey, kind: .storageNode, maker: maker.publicKey, latitude: place.0, longitude: place.1)
            _ = try await client.signAndSubmit(by: owner, cosigners: [key, maker]) { $0.onboardDevice = onboard }
        }
        return keys
    }

    /// The owner pays for what it keeps and downloads in credits: it burns 100 tokens for them
    /// when it has fewer than a million.
    func buyCredits(_ client: NodeClient) async throws {
        let account = try await client.get("/v1/accounts/\(owner.address)")
        let credits = (try? JSONSerialization.jsonObject(with: account.body) as? [String: Any])?["credits"] as? String
        guard (UInt64(credits ?? "0") ?? 0) < 1_000_000 else { return }
        _ = try await client.signAndSubmit(by: owner) { $0.burn.amount = "100000000" }
    }

    /// The owner's access key: the one a previous run saved, or a new one.
    func accessKey(_ client: NodeClient) async throws -> (id: String, secret: String) {
        try await buyCredits(client)
        let saved = directory + "/s3-access-key.json"
        if let data = FileManager.default.contents(atPath: saved),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let id = object["access_key_id"] as? String, let secret = object["secret_access_key"] as? String
        {
            return (id, secret)
        }
        let request = AccessKeyRequest(action: "create", key: owner, timestampMs: Int64(Date().timeIntervalSince1970 * 1000))
        let reply = try await client.post("/v1/storage/access-keys", body: try JSONEncoder().encode(request), contentType: "application/json")
        guard reply.status == 201, let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
            let id = object["access_key_id"] as? String, let secret = object["secret_access_key"] as? String
        else { throw CLIError("the node refused the demo's access key: \(reply.errorMessage ?? "http \(reply.status)")") }
        try reply.body.write(to: URL(fileURLWithPath: saved))
        return (id, secret)
    }

    /// Each storage node's piece server and heartbeat agent, reporting to `url`. Their servers
    /// log only critical problems: stopping them at Ctrl-C is not an error to show.
    func services(_ keys: [SigningKey], url: URL) throws -> [any Service] {
        var quiet = logger
        quiet.logLevel = .critical
        return try keys.enumerated().flatMap { index, key in
            var agent = DeviceAgent.Configuration(
                kind: .storageNode, nodeURL: url, stateDirectory: directory + "/agents/storage-node-\(index)")
            agent.heartbeatInterval = interval
            return try StorageNodeRunner.services(
                device: key, directory: directory + "/storage/\(index)", capacityBytes: 1 << 30, orderer: orderer.address,
                host: host, port: 0, agent: agent, logger: quiet)
        }
    }
}
