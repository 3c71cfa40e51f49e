import Compute
import Core
import Coverage
import Foundation
import Ledger
import Logging
import Mapping
import Rewards
import Storage
import Store
import Telemetry

/// What every route reads: the store, the rules, the clock. Immutable; the store is the only
/// mutable thing and it serialises its own writes.
public struct NodeState: Sendable {
    /// The network's genesis.
    public let genesis: Genesis
    /// The genesis file's SHA-256, hex.
    public let genesisHash: String
    /// Persistence.
    public let store: any NetworkStore
    /// Ledger and registry rules.
    public let rules: TransactionRules
    /// Report admission.
    public var admission: ReportAdmission
    /// The clock.
    public let clock: NodeClock
    /// Metrics.
    public let metrics: NodeMetrics
    /// Limits.
    public let configuration: NodeConfiguration
    /// The node's logger.
    public let logger: Logger
    /// The epoch engine with the network's service modules.
    public let engine: EpochEngine
    /// The coverage service module, when the network runs one.
    public var coverage: CoverageService? { engine.services.values.lazy.compactMap { $0 as? CoverageService }.first }
    /// This node's oracle key, when it is one of the genesis oracles.
    public let oracleKey: SigningKey?
    /// Scenes and frames, by SHA-256.
    public let content: ContentStore
    /// The storage service module, when the network runs one.
    public var storage: StorageService? { engine.services.values.lazy.compactMap { $0 as? StorageService }.first }
    /// The telemetry service module, when the network runs one.
    public var telemetry: TelemetryService? { engine.services.values.lazy.compactMap { $0 as? TelemetryService }.first }
    /// The mapping service module, when the network runs one.
    public var mapping: MappingService? { engine.services.values.lazy.compactMap { $0 as? MappingService }.first }
    /// The last closed epoch's map, decoded.
    let maps = MapCache()
    /// Each device's report budget.
    let deviceRate: RateLimiter<PublicKey>
    /// Each account's budget of signed requests.
    let accountRate: RateLimiter<String>
    /// The report log's group commit.
    let reports: ReportCommitter
    /// The rendering service module, when the network runs one.
    public var rendering: RenderService? { engine.services.values.lazy.compactMap { $0 as? RenderService }.first }

    /// Wires a state.
    public init(
        genesis: Genesis, genesisHash: String, store: any NetworkStore, clock: NodeClock = .system,
        configuration: NodeConfiguration = NodeConfiguration(), logger: Logger = Logger(label: "depin.node"),
        oracleKey: SigningKey? = nil, content: ContentStore? = nil
    ) throws {
        self.genesis = genesis
        self.genesisHash = genesisHash
        self.store = store
        var rules = TransactionRules(genesis: genesis)
        rules.checkServices = { try ServiceCatalog.check($0) }
        self.rules = rules
        self.clock = clock
        self.metrics = NodeMetrics()
        self.configuration = configuration
        self.logger = logger
        self.engine = try ServiceCatalog.engine(for: genesis)
        self.oracleKey = oracleKey
        self.content = try content ?? ContentStore(directory: NSTemporaryDirectory() + "depin-content-\(UUID().uuidString)")
        self.admission = ReportAdmission(genesis: genesis, allowedKinds: engine.reportTypes)
        self.reports = ReportCommitter(store: store, engine: engine)
        self.deviceRate = RateLimiter(configuration.deviceRate)
        self.accountRate = RateLimiter(configuration.accountRate)
    }
}
