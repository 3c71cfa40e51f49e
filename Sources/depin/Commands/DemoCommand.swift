import Agent
import ArgumentParser
import Core
import Coverage
import Foundation
import Hummingbird
import Ledger
import Logging
import Node
import ServiceLifecycle
import Simulation
import UnixSignals

/// `depin demo`: a node on an embedded SQLite database with a simulated coverage network of a
/// few hundred hotspots, a router buying credits and sending packets, and one simulated device
/// of every other kind; epochs every few seconds.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a node with a simulated network: hotspots in San Francisco, a router, devices of every kind.",
        discussion: """
            Writes DATA_DIR/demo.json (node URL, accounts and their key files, devices). Prints a line per \
            closed epoch. Stop it with Ctrl-C; run it again with the same --data-dir to carry on.
            """)

    @Option(name: .long, help: "The address to listen on.") var host = "127.0.0.1"
    @Option(name: .long, help: "The port (0: any free port, written to DATA_DIR/node.port).") var port = 8080
    @Option(name: .long, help: "The data directory (default: a new temporary one).") var dataDir: String?
    @Option(name: .long, help: "Epoch length in seconds.") var epochSeconds: Int64 = 10
    @Option(name: .long, help: "How many simulated hotspots.") var devices = 200
    @Option(name: .long, help: "The simulation's random seed.") var seed: UInt64 = 1
    @Option(name: .long, help: "Seconds between heartbeats of the other devices.") var interval = 5.0
    @Option(name: .long, help: "Where to write the demo's description (default DATA_DIR/demo.json).") var out: String?
    @Option(name: .long, help: "The S3 gateway's port (0: any free port, written to DATA_DIR/s3.port; default the node's port + 1).")
    var s3Port: Int?

    @Option(name: .long, help: "glibc malloc arenas for the node (0: glibc's default); as depin node.")
    var mallocArenas: Int32 = MallocTuning.nodeArenas

    func validate() throws {
        guard (2...86_400).contains(epochSeconds) else { throw ValidationError("--epoch-seconds is between 2 and 86400") }
        guard (2...5_000).contains(devices) else { throw ValidationError("--devices is between 2 and 5000") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port is between 0 and 65535") }
        if let s3Port, !(0...65_535).contains(s3Port) { throw ValidationError("--s3-port is between 0 and 65535") }
    }

    func run() async throws {
        MallocTuning.limitArenas(try MallocTuning.arenas(mallocArenas))
        MallocTuning.trimPeriodically()
        let directory = dataDir ?? (NSTemporaryDirectory() + "depin-demo-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: directory + "/node.port")
        let logger = NodeCommand.makeLogger(level: .warning)
        let owner = try KeyFile.loadOrCreate(at: directory + "/owner.key")
        let maker = try KeyFile.loadOrCreate(at: directory + "/maker.key")
        let router = try KeyFile.loadOrCreate(at: directory + "/router.key")
        let genesisPath = directory + "/network.toml"
        if !FileManager.default.fileExists(atPath: genesisPath) {
            try writeGenesis(to: genesisPath, directory: directory, owner: owner, maker: maker, router: router)
        }
        let genesis = try Genesis(toml: String(contentsOfFile: genesisPath, encoding: .utf8))
        guard let service = genesis.services.first(where: { $0.name == "coverage" }) else {
            throw CLIError("\(genesisPath) runs no coverage service")
        }
        let oracle = try KeyFile.load(from: directory + "/oracle.key")
        var world = CoverageWorld(
            seed: seed, honest: devices, parameters: try CoverageParameters(service: service), oracle: oracle)
        world.originMs = genesis.epochs.startTime * 1000
        let coverage = DemoCoverage(
            world: world, router: router, maker: maker, epochSeconds: Int64(genesis.epochs.lengthSeconds), logger: logger)

        var configuration = NodeConfiguration()
        configuration.genesisPath = genesisPath
        configuration.dataDirectory = directory
        configuration.host = host
        configuration.port = port
        configuration.oracleKey = oracle
        let orderer = try KeyFile.loadOrCreate(at: directory + "/orderer.key")
        configuration.ordererKey = orderer
        configuration.s3Port = s3Port ?? (port == 0 ? 0 : port + 1)
        try? FileManager.default.removeItem(atPath: directory + "/s3.port")
        let app = try await NodeApplication.build(configuration: configuration, logger: logger)
        let fleet = DemoFleet(
            directory: directory, nodeURL: port == 0 ? nil : URL(string: "http://\(host):\(port)")!, host: host,
            owner: owner, maker: maker, coverage: coverage,
            rendering: DemoRendering(directory: directory, owner: owner, logger: logger),
            storage: DemoStorage(
                directory: directory, owner: owner, maker: maker, orderer: orderer, host: host, interval: interval, logger: logger),
            interval: interval,
            describeTo: out ?? directory + "/demo.json", logger: logger)
        print("demo: data in \(directory)")
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: app), .init(service: fleet)], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    /// A genesis for a fast demo: short epochs, entropy every few seconds, a beacon per hotspot
    /// per epoch, and the owner and the router funded.
    private func writeGenesis(to path: String, directory: String, owner: SigningKey, maker: SigningKey, router: SigningKey) throws {
        let now = Int64(Date().timeIntervalSince1970)
        let start = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(now - now % epochSeconds)))
        let command = try InitCommand.parse([
            "--token", "Demo Network Token", "--symbol", "DEMO", "--out", path,
            "--maker", maker.address.description, "--epoch-seconds", "\(epochSeconds)", "--grace-seconds", "2",
            "--start", start, "--allocate", "\(owner.address)=1000000000000",
            "--allocate", "\(router.address)=1000000000000",
        ])
        var genesis = try command.makeGenesis(keyDirectory: directory)
        if let index = genesis.services.firstIndex(where: { $0.name == "coverage" }) {
            let entropySeconds = max(1, min(5, epochSeconds / 2))
            for (key, value) in [
                ("entropy_interval_s", TOMLValue.integer(entropySeconds)), ("entropy_max_age_s", .integer(entropySeconds * 6)),
                ("beacon_interval_s", .integer(epochSeconds)), ("witness_window_ms", .integer(3_000)),
            ] {
                genesis.services[index].parameters[key] = .init(value: value, line: 0)
            }
        }
        // The demo has one render node, which cannot verify its own frames: a frame drawn for
        // verification is settled unverified after a short wait rather than the default ten minutes.
        if let index = genesis.services.firstIndex(where: { $0.kinds.contains(.renderNode) }) {
            genesis.services[index].parameters["verify_wait_s"] = .init(value: .integer(15), line: 0)
        }
        // Four storage nodes: segments coded 2 of 4, repaired below 3, audited every 10 seconds.
        // Prices are raised (to the most allowed for bytes kept, 10⁴ times Storj's for egress) so
        // that the demo customer's few megabytes pay the storage nodes within seconds, as a real
        // network's terabytes would; the owner's 10 million credits last about a day of it.
        if let index = genesis.services.firstIndex(where: { $0.kinds.contains(.storageNode) }) {
            for (key, value) in [
                ("data_pieces", Int64(2)), ("total_pieces", 4), ("repair_threshold", 3), ("segment_bytes", 4 << 20),
                ("heartbeat_interval_s", Int64(max(1, interval.rounded()))), ("audit_interval_s", 10),
                ("credits_per_gb_month", 1_000_000_000), ("credits_per_gb_egress", 7_000_000),
            ] {
                genesis.services[index].parameters[key] = .init(value: .integer(value), line: 0)
            }
        }
        let text = genesis.toml
        _ = try Genesis(toml: text)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
