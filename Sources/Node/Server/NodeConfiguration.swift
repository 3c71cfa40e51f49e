import Core
import Logging
import Store

/// How a node runs; the CLI fills it in, tests use the defaults with a temporary directory.
public struct NodeConfiguration: Sendable {
    /// The address to listen on.
    public var host = "127.0.0.1"
    /// The port; 0 picks a free one (written to `node.port` in the data directory).
    public var port = 8080
    /// Where the SQLite database lives, and the content store's files and the port files.
    public var dataDirectory = "./depin-data"
    /// A PostgreSQL database to keep the store in instead of SQLite (postgres://user@host:port/db),
    /// which several nodes may share.
    public var databaseURL: String?
    /// The genesis file.
    public var genesisPath = "network.toml"
    /// The largest request body accepted, in bytes.
    public var maxBodyBytes = 1 << 20
    /// The largest file (a scene, a frame) the content store accepts, bytes.
    public var maxContentBytes = 256 << 20
    /// The most reports in one batch.
    public var maxBatchReports = 1_000
    /// This node's oracle key, when it signs epoch roots.
    public var oracleKey: SigningKey?
    /// The S3 gateway's port, when the node runs one (0 picks a free one, written to `s3.port`).
    public var s3Port: Int?
    /// The S3 gateway's size rules.
    public var s3Limits = S3Limits()
    /// The key that signs piece orders, which storage nodes trust (`--orderer`); the S3 gateway needs it.
    public var ordererKey: SigningKey?
    /// How many reports a device may send (`--device-rate`); nil: no limit.
    public var deviceRate: RateLimit? = RateLimit(perMinute: 600, burst: 2_000)
    /// How many signed requests (transactions, access keys, tokens) an account may send
    /// (`--account-rate`); nil: no limit.
    public var accountRate: RateLimit? = RateLimit(perMinute: 300, burst: 600)
    /// The scheduling niceness of the threads that check report signatures (`--verify-niceness`,
    /// 0 to 19): above 0, reads and writes come first under load; for a host of the node's own.
    public var verifyNiceness: Int32 = 0
    /// How often the node looks for epochs to close.
    public var epochCheckInterval: Duration = .seconds(1)
    /// Log level.
    public var logLevel: Logger.Level = .info

    /// The defaults.
    public init() {}
}

extension NodeConfiguration {
    /// Where the store is, for logs: the PostgreSQL URL without its password, or the SQLite file.
    public var databaseDescription: String {
        guard let databaseURL else { return dataDirectory + "/node.sqlite" }
        return (try? PostgresPool.Location(url: databaseURL))?.redacted ?? "postgres"
    }
}
