import Agent
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Node
import UnixSignals
import ServiceLifecycle

/// `depin node`: runs the network's node until SIGINT or SIGTERM.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Run the network's node: ingest, registry, ledger, HTTP API.")

    @Option(name: .long, help: "The genesis file.") var genesis = "network.toml"
    @Option(name: .long, help: "Where the node keeps its database (node.sqlite), content and port files.")
    var dataDir = "./depin-data"
    @Option(
        name: .long,
        help: "Keep the store in PostgreSQL instead: postgres://user[:password]@host[:port]/database[?schema=name]. Several nodes may share one.")
    var databaseURL: String?
    @Option(name: .long, help: "The address to listen on.") var host = "127.0.0.1"
    @Option(name: .long, help: "The port to listen on (0 picks one; see DATA_DIR/node.port).") var port = 8080
    @Option(name: .long, help: "The largest request body in bytes.") var maxBodyBytes = 1 << 20
    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"
    @Option(name: .long, help: "This node's oracle key file: it then signs each epoch's root.") var oracleKey: String?
    @Option(name: .long, help: "Run the S3 gateway on this port (0 picks one; see DATA_DIR/s3.port).") var s3Port: Int?
    @Option(name: .long, help: "The key file that signs piece orders; storage nodes trust its address (--orderer).")
    var ordererKey: String?
    @Option(name: .long, help: "The largest object in one PUT, and the largest part, e.g. 5GB.") var s3MaxUpload = "5GiB"
    @Option(name: .long, help: "The niceness (0 to 19) of the threads that check report signatures; above 0, reads and writes come first under load (for a host of the node's own).")
    var verifyNiceness: Int32 = 0
    @Option(name: .long, help: "glibc malloc arenas (0: glibc's default of 8 a core); with fewer, the heap stays near what is live. MALLOC_ARENA_MAX wins.")
    var mallocArenas: Int32 = MallocTuning.nodeArenas
    @Option(name: .long, help: "How many reports one device may send: RATE/min[,BURST], or off.")
    var deviceRate = "600/min,2000"
    @Option(name: .long, help: "How many signed requests (transactions, access keys, tokens) one account may send: RATE/min[,BURST], or off.")
    var accountRate = "300/min,600"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else { throw CLIError("unknown --log-level \(logLevel)") }
        MallocTuning.limitArenas(try MallocTuning.arenas(mallocArenas))
        MallocTuning.trimPeriodically()
        var configuration = NodeConfiguration()
        configuration.genesisPath = genesis
        configuration.dataDirectory = dataDir
        configuration.databaseURL = databaseURL
        configuration.host = host
        configuration.port = port
        configuration.maxBodyBytes = maxBodyBytes
        configuration.logLevel = level
        configuration.oracleKey = try oracleKey.map { try KeyFile.load(from: $0) }
        configuration.s3Port = s3Port
        configuration.ordererKey = try ordererKey.map { try KeyFile.load(from: $0) }
        guard let maxUpload = ByteSize.parse(s3MaxUpload), maxUpload > 0 else {
            throw CLIError("--s3-max-upload is a size such as 5GiB or 100MB, not \(s3MaxUpload)")
        }
        configuration.s3Limits.maxObjectBytes = maxUpload
        configuration.s3Limits.maxPartBytes = maxUpload
        configuration.verifyNiceness = try Self.niceness(verifyNiceness)
        configuration.deviceRate = try Self.rate(deviceRate, option: "--device-rate")
        configuration.accountRate = try Self.rate(accountRate, option: "--account-rate")
        let logger = Self.makeLogger(level: level)
        let app: any ApplicationProtocol
        do { app = try await NodeApplication.build(configuration: configuration, logger: logger) } catch let error
            as NodeStartError
        {
            throw CLIError(error.description)
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: app)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("node stopped")
    }

    /// The --verify-niceness option, checked.
    static func niceness(_ value: Int32) throws -> Int32 {
        guard (0...19).contains(value) else { throw CLIError("--verify-niceness is 0 to 19, not \(value)") }
        return value
    }

    /// A rate option's limit: nil for "off".
    static func rate(_ text: String, option: String) throws -> RateLimit? {
        if text == "off" { return nil }
        guard let limit = RateLimit(parsing: text) else {
            throw CLIError("\(option) is RATE/min[,BURST] with whole numbers above 0, such as 600/min,2000, or off; not \(text)")
        }
        return limit
    }

    static func makeLogger(level: Logger.Level) -> Logger {
        var logger = Logger(label: "depin.node") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = level
        return logger
    }
}
