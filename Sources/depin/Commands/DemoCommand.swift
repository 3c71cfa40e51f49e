import Agent
import ArgumentParser
import Core
import Foundation
import Hummingbird
import Ledger
import Logging
import Node
import UnixSignals
import ServiceLifecycle

/// `depin demo`: a node on an embedded SQLite database with a simulated device of every kind.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a node with demo data: a fresh network, funded accounts and simulated devices of every kind.",
        discussion: "Writes demo.json (node URL, keys, devices) in the current directory. Stop it with Ctrl-C.")

    @Option(name: .long, help: "The address to listen on.") var host = "127.0.0.1"
    @Option(name: .long, help: "The port.") var port = 8080
    @Option(name: .long, help: "The data directory (default: a new temporary one).") var dataDir: String?
    @Option(name: .long, help: "Seconds between each simulated device's heartbeats.") var interval = 5.0
    @Option(name: .long, help: "Where to write the demo's description.") var out = "demo.json"

    func run() async throws {
        let directory = dataDir ?? (NSTemporaryDirectory() + "depin-demo-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let logger = NodeCommand.makeLogger(level: .info)
        let owner = try KeyFile.loadOrCreate(at: directory + "/owner.key")
        let maker = try KeyFile.loadOrCreate(at: directory + "/maker.key")
        let genesisPath = directory + "/network.toml"
        if !FileManager.default.fileExists(atPath: genesisPath) {
            let now = Int(Date().timeIntervalSince1970)
            let start = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(now - now % 300)))
            let command = try InitCommand.parse([
                "--token", "Demo Network Token", "--symbol", "DEMO", "--out", genesisPath,
                "--maker", maker.address.description, "--epoch-seconds", "300", "--grace-seconds", "30",
                "--start", start, "--allocate", "\(owner.address)=1000000000000",
            ])
            try await command.run()
        }
        var configuration = NodeConfiguration()
        configuration.genesisPath = genesisPath
        configuration.dataDirectory = directory
        configuration.host = host
        configuration.port = port
        configuration.oracleKey = try KeyFile.load(from: directory + "/oracle.key")
        let app = try await NodeApplication.build(configuration: configuration, logger: logger)
        let url = URL(string: "http://\(host):\(port)")!
        let fleet = DemoFleet(
            directory: directory, nodeURL: url, owner: owner, maker: maker, interval: interval, describeTo: out,
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: app), .init(service: fleet)], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
