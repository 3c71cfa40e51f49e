import Agent
import Core
import Foundation
import Logging
import Mapping
import ServiceLifecycle
import Simulation

/// The demo's simulated devices: once the node answers, it onboards the coverage network's
/// hotspots and one device of every other kind, writes demo.json, then runs the hotspots and an
/// agent per other device until shutdown (the render node renders a real job where Blender is
/// installed).
struct DemoFleet: Service {
    let directory: String
    /// The node's URL, or nil to read the port the node bound from DATA_DIR/node.port.
    let nodeURL: URL?
    let host: String
    let owner: SigningKey
    let maker: SigningKey
    let coverage: DemoCoverage
    let rendering: DemoRendering
    let storage: DemoStorage
    let interval: Double
    let describeTo: String
    let logger: Logger

    static let places: [DeviceKind: (Double, Double)] = [
        .dashcam: (37.7793, -122.4192), .meter: (37.7680, -122.4300), .vehicle: (37.7712, -122.4110),
    ]

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await runFleet() }
        } catch {
            // At shutdown the devices' requests and servers end with whatever error their
            // cancellation raises: that is the demo stopping, not failing.
            guard error is CancellationError || Task.isCancelled || Task.isShuttingDownGracefully else { throw error }
            logger.info("demo devices stopped")
        }
    }

    private func resolveURL() async throws -> URL {
        if let nodeURL { return nodeURL }
        while true {
            if let text = try? String(contentsOfFile: directory + "/node.port", encoding: .utf8),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return URL(string: "http://\(host):\(port)")!
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    private func runFleet() async throws {
        let url = try await resolveURL()
        let client = NodeClient(baseURL: url, timeout: 30)
        while (try? await client.get("/health"))?.status != 200 {
            try await Task.sleep(for: .milliseconds(100))
        }
        var devices: [(DeviceKind, SigningKey)] = []
        for kind in DeviceKind.allNamed where kind != .hotspot && kind != .storageNode {
            let key = try KeyFile.loadOrCreate(at: directory + "/devices/\(kind.name).key")
            devices.append((kind, key))
            let known = try await client.get("/v1/devices/\(key.address)")
            if known.status == 200 { continue }
            let place = Self.places[kind]
            let onboard = OnboardDevice(
                device: key.publicKey, kind: kind, maker: maker.publicKey, latitude: place?.0, longitude: place?.1)
            _ = try await client.signAndSubmit(by: owner, cosigners: [key, maker]) { $0.onboardDevice = onboard }
        }
        try await coverage.prepare(client)
        let job = try await rendering.prepare(client)
        let disks = try await storage.prepare(client)
        let access = try await storage.accessKey(client)
        let bountyArea = try await DemoMapCustomer.postBounty(client, by: owner)
        logger.info("demo map bounty posted", metadata: ["area": "\(bountyArea)"])
        let s3 = try await resolveS3URL()
        try describe(url, devices, renderJob: job, s3: (s3, access.id, access.secret, disks))
        logger.info("demo ready", metadata: ["node": "\(url)", "described_in": "\(describeTo)"])
        let disksRunning = try storage.services(disks, url: url)
        let customer = DemoStorageCustomer(
            endpoint: s3, accessKeyID: access.id, secret: access.secret, interval: interval, logger: logger)
        let mapCustomer = DemoMapCustomer(
            client: client, accessKey: (access.id, access.secret), epochSeconds: coverage.epochSeconds, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await coverage.run(client) }
            group.addTask { try await customer.run() }
            group.addTask { try await mapCustomer.run() }
            // The storage nodes' servers end with an error when cancelled at shutdown: not a failure.
            for service in disksRunning {
                group.addTask {
                    do { try await service.run() } catch { if !Task.isCancelled { throw error } }
                }
            }
            for (kind, key) in devices {
                if kind == .renderNode, job != nil {
                    let agent = try rendering.agent(key: key, url: url)
                    group.addTask { [logger] in
                        // The demo carries on if its render node stops: say why, and start it again.
                        while true {
                            do { _ = try await agent.run() } catch is CancellationError { return } catch {
                                logger.warning("demo render node stopped; restarting", metadata: ["reason": "\(error)"])
                            }
                            try await Task.sleep(for: .seconds(5))
                        }
                    }
                    continue
                }
                var configuration = DeviceAgent.Configuration(
                    kind: kind, nodeURL: url, stateDirectory: directory + "/agents/\(kind.name)")
                configuration.heartbeatInterval = interval
                if kind == .dashcam {
                    // The dashcam drives Market Street out and back, with a frame every 8 m.
                    var dashcam = DashcamRunner(
                        source: .simulated(DemoDashcam.fixes()), frames: nil, privacy: DrivePrivacy(), segmentSeconds: 20, key: key,
                        agent: configuration, logger: logger)
                    dashcam.syntheticFrames = true
                    group.addTask { [dashcam] in try await dashcam.run() }
                    continue
                }
                if kind == .vehicle || kind == .meter {
                    // The car and the solar meter read every second and send five readings a batch.
                    let runner = TelemetryRunner(
                        source: .simulated(kind), sampleSeconds: 1, batchSamples: 5, batches: nil, key: key, agent: configuration,
                        logger: logger)
                    group.addTask { try await runner.run() }
                    continue
                }
                let agent = try DeviceAgent(key: key, configuration: configuration, logger: logger)
                group.addTask { try await agent.run() }
            }
            try await group.waitForAll()
        }
    }

    /// The S3 gateway's URL, once the node has written the port it bound.
    private func resolveS3URL() async throws -> String {
        while true {
            if let text = try? String(contentsOfFile: directory + "/s3.port", encoding: .utf8),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return "http://\(host):\(port)"
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    private func describe(
        _ url: URL, _ devices: [(DeviceKind, SigningKey)], renderJob: String?,
        s3: (endpoint: String, id: String, secret: String, disks: [SigningKey])
    ) throws {
        let hotspots = coverage.world.hotspots
        var description: [String: Any] = [
            "node": url.absoluteString,
            "data_dir": directory,
            "genesis": directory + "/network.toml",
            "epoch_seconds": coverage.epochSeconds,
            "accounts": [
                "owner": ["address": owner.address.description, "key_file": directory + "/owner.key"],
                "router": ["address": coverage.router.address.description, "key_file": directory + "/router.key"],
                "maker": ["address": maker.address.description, "key_file": directory + "/maker.key"],
                "oracle": ["key_file": directory + "/oracle.key"],
            ],
            "devices": devices.map { ["kind": $0.0.name, "id": $0.1.address.description] },
            "coverage": [
                "hotspots": hotspots.count,
                "area": "San Francisco",
                "example_hotspots": hotspots.prefix(5).map { $0.key.address.description },
                "entropy": url.absoluteString + "/v1/entropy",
                "reason_codes": url.absoluteString + "/v1/coverage/reasons",
            ],
        ]
        description["s3"] = [
            "endpoint": s3.endpoint, "access_key_id": s3.id, "secret_access_key": s3.secret, "region": "us-east-1",
            "storage_nodes": s3.disks.map(\.address.description), "health": url.absoluteString + "/v1/storage/health",
            "example": "AWS_ACCESS_KEY_ID=\(s3.id) AWS_SECRET_ACCESS_KEY=\(s3.secret) aws --endpoint-url \(s3.endpoint) s3 mb s3://demo",
        ]
        description["rendering"] =
            renderJob.map {
                ["job": $0, "job_page": url.absoluteString + "/jobs/\($0)", "market": url.absoluteString + "/markets/rendering"]
            } ?? ["job": NSNull(), "why": "Blender is not on PATH (scripts/setup.sh installs it)"]
        let data = try JSONSerialization.data(
            withJSONObject: description, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try data.write(to: URL(fileURLWithPath: describeTo))
    }
}
