import Core
import Ledger

/// Everything the node keeps: the journal and balances, the device registry, the report log.
/// Implementations make each call atomic and durable before it returns.
public protocol NetworkStore: EpochStore, RenderStore, StorageDirectory, ObjectCatalog, StorageAudits, StorageBilling, QueryBilling, TelemetryAccess {
    /// Creates the schema and, on a new database, applies the genesis allocations; on an existing
    /// one, refuses a different genesis.
    func bootstrap(genesis: Genesis, genesisHash: String, nowMs: Int64) async throws

    /// Checks each report against the registry (known device, allowed kind, fresh nonce) and the
    /// services' own rules (`validate`: nil accepts, else a reason code), and appends the accepted
    /// ones to the report log, all in one durable transaction.
    func appendReports(
        _ reports: [VerifiedReport], allowedKinds: [String: Set<DeviceKind>],
        validate: @escaping @Sendable (Report, DeviceKind) -> String?, nowMs: Int64
    ) async throws -> [ReportVerdict]

    /// Applies a transaction under `rules` atomically and returns its journal entry.
    func apply(_ transaction: Transaction, rules: TransactionRules, nowMs: Int64) async throws -> JournalEntry

    /// An account, or nil when it never appeared.
    func account(_ address: Address) async throws -> AccountState?

    /// A registered device.
    func device(_ key: PublicKey) async throws -> DeviceRecord?

    /// The devices an account owns.
    func devices(ownedBy owner: Address) async throws -> [DeviceRecord]

    /// Journal entries from `sequence` on, at most `limit`.
    func journal(from sequence: UInt64, limit: Int) async throws -> [JournalEntry]

    /// The latest reports of a device, newest first.
    func reports(device: PublicKey, limit: Int) async throws -> [ReportRecord]

    /// Checks an oracle's price quote and stores it as the newest, atomically.
    func recordPrice(_ quote: PriceQuote, genesis: Genesis, nowMs: Int64) async throws

    /// The burn price in force at `nowMs`.
    func burnPrice(genesis: Genesis, nowMs: Int64) async throws -> BurnPrice

    /// Located devices counted by kind per H3 cell at `resolution` (0 to 12), with how many had a
    /// report accepted at or after `onlineSinceMs`.
    func cellTallies(resolution: Int, onlineSinceMs: Int64) async throws -> [CellTally]
    /// The devices located in `cell` (any resolution to 12), sorted by device, at most `limit`.
    func devices(in cell: UInt64, limit: Int) async throws -> [DeviceListing]

    /// Devices per kind, and how many of them had a report accepted at or after `onlineSinceMs`.
    func deviceCounts(onlineSinceMs: Int64) async throws -> [DeviceKind: (devices: Int, online: Int)]

    /// Journal entries that move `account`'s balances, newest first, at most `limit`.
    func journal(involving account: Address, limit: Int) async throws -> [JournalEntry]

    /// Counts for health and metrics.
    func counts() async throws -> StoreCounts

    /// Replays the journal: checks the hash chain and every signature, recomputes every balance
    /// and compares it with the stored one.
    func verifyLedger(rules: TransactionRules) async throws -> LedgerVerificationResult
    /// Every operator change (denylist, service parameters), in journal order.
    func governanceChanges() async throws -> [GovernanceChange]
}

/// Sizes of the store's tables.
public struct StoreCounts: Sendable, Equatable, Codable {
    /// Accounts that ever appeared.
    public var accounts: Int
    /// Registered devices.
    public var devices: Int
    /// Journal entries.
    public var journalEntries: Int
    /// Reports in the log.
    public var reports: Int

    /// Counts as given.
    public init(accounts: Int, devices: Int, journalEntries: Int, reports: Int) {
        self.accounts = accounts
        self.devices = devices
        self.journalEntries = journalEntries
        self.reports = reports
    }
}

/// A device in brief: what the explorer lists and maps.
public struct DeviceListing: Sendable, Equatable {
    public var key: PublicKey
    public var kind: DeviceKind
    public var owner: Address
    public var latitude: Double?
    public var longitude: Double?
    /// When the node last accepted a report from it, milliseconds (on SQLite to within
    /// `SQLNetworkStore.activityResolutionMs`).
    public var lastReportMs: Int64?

    public init(
        key: PublicKey, kind: DeviceKind, owner: Address, latitude: Double?, longitude: Double?, lastReportMs: Int64?
    ) {
        self.key = key
        self.kind = kind
        self.owner = owner
        self.latitude = latitude
        self.longitude = longitude
        self.lastReportMs = lastReportMs
    }
}
