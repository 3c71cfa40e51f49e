import Agent
import Core
import Foundation
import Logging
import ServiceLifecycle

/// The demo's simulated devices: onboards one of every kind once the node answers, writes
/// demo.json, then runs an agent per device until shutdown.
struct DemoFleet: Service {
    let directory: String
    let nodeURL: URL
    let owner: SigningKey
    let maker: SigningKey
    let interval: Double
    let describeTo: String
    let logger: Logger

    static let places: [DeviceKind: (Double, Double)] = [
        .hotspot: (37.7749, -122.4194), .dashcam: (37.7793, -122.4192), .meter: (37.7680, -122.4300),
    ]

    func run() async throws {
        do {
            try await runFleet()
        } catch is CancellationError {
            logger.info("demo devices stopped")
        }
    }

    private func runFleet() async throws {
        try await cancelWhenGracefulShutdown {
            let client = NodeClient(baseURL: nodeURL)
            while (try? await client.get("/health"))?.status != 200 {
                try await Task.sleep(for: .milliseconds(100))
            }
            var devices: [(DeviceKind, SigningKey)] = []
            for kind in DeviceKind.allNamed {
                let key = try KeyFile.loadOrCreate(at: directory + "/devices/\(kind.name).key")
                devices.append((kind, key))
                let known = try await client.get("/v1/devices/\(key.address)")
                if known.status == 200 { continue }
                try await onboard(key, kind: kind, client: client)
            }
            try describe(devices)
            logger.info("demo ready", metadata: ["node": "\(nodeURL)", "devices": "\(devices.count)", "described_in": "\(describeTo)"])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (kind, key) in devices {
                    var configuration = DeviceAgent.Configuration(
                        kind: kind, nodeURL: nodeURL, stateDirectory: directory + "/agents/\(kind.name)")
                    configuration.heartbeatInterval = interval
                    let agent = try DeviceAgent(key: key, configuration: configuration, logger: logger)
                    group.addTask { try await agent.run() }
                }
                try await group.waitForAll()
            }
        }
    }

    private func onboard(_ device: SigningKey, kind: DeviceKind, client: NodeClient) async throws {
        let place = Self.places[kind]
        let onboard = OnboardDevice(
            device: device.publicKey, kind: kind, maker: maker.publicKey, latitude: place?.0, longitude: place?.1)
        _ = try await client.signAndSubmit(by: owner, cosigners: [device, maker]) { $0.onboardDevice = onboard }
    }

    private func describe(_ devices: [(DeviceKind, SigningKey)]) throws {
        let description: [String: Any] = [
            "node": nodeURL.absoluteString,
            "data_dir": directory,
            "genesis": directory + "/network.toml",
            "owner": ["address": owner.address.description, "key_file": directory + "/owner.key"],
            "maker": ["address": maker.address.description, "key_file": directory + "/maker.key"],
            "devices": devices.map { ["kind": $0.0.name, "id": $0.1.address.description] },
        ]
        let data = try JSONSerialization.data(withJSONObject: description, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try data.write(to: URL(fileURLWithPath: describeTo))
    }
}
