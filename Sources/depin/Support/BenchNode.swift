import Foundation
import Hummingbird
import Logging
import Node

/// A node for a benchmark: started in this process on a free loopback port over a data directory
/// the benchmark prepared, quiet, and stopped when the benchmark is done.
struct BenchNode {
    /// Its port.
    let port: Int
    private let server: Task<Void, any Error>

    /// Starts the node of `genesisPath` over `directory` and waits until it listens.
    static func start(
        directory: String, genesisPath: String, databaseURL: String? = nil, verifyNiceness: Int32 = 0
    ) async throws -> BenchNode {
        var configuration = NodeConfiguration()
        configuration.verifyNiceness = verifyNiceness
        configuration.databaseURL = databaseURL
        configuration.genesisPath = genesisPath
        configuration.dataDirectory = directory
        configuration.port = 0
        configuration.epochCheckInterval = .seconds(3_600)
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let app = try await NodeApplication.build(configuration: configuration, logger: logger)
        let server = Task { try await app.runService() }
        while true {
            try await Task.sleep(for: .milliseconds(50))
            if let port = (try? String(contentsOfFile: directory + "/node.port", encoding: .utf8))
                .flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
            {
                return BenchNode(port: port, server: server)
            }
        }
    }

    /// Stops it.
    func stop() { server.cancel() }
}
