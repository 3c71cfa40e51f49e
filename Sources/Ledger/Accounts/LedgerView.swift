import Core

/// What the transaction rules read: the state before the transaction. The store answers it
/// inside the same database transaction that then applies the change.
public protocol LedgerView {
    /// The account at `address` (empty if it never appeared).
    func account(_ address: Address) throws -> AccountState
    /// The device with `key`, if registered.
    func device(_ key: PublicKey) throws -> DeviceRecord?
    /// The newest oracle price quote stored, if any.
    func latestPrice() throws -> PriceQuote?
    /// Every operator change applied so far, in journal order.
    func governanceChanges() throws -> [GovernanceChange]
}

extension LedgerView {
    /// No oracle prices: burns are quoted at the genesis price.
    public func latestPrice() throws -> PriceQuote? { nil }

    /// No operator changes.
    public func governanceChanges() throws -> [GovernanceChange] { [] }
}

/// What a valid transaction does: postings, the signer's new nonce, and registry changes.
public struct LedgerChange: Sendable, Equatable {
    /// The journal kind.
    public var kind: JournalEntry.Kind
    /// The balance changes.
    public var postings: [Posting]
    /// The signer, whose nonce advances.
    public var signer: Address
    /// The signer's new nonce.
    public var nonce: UInt64
    /// Devices created or changed.
    public var devices: [DeviceRecord]
    /// The signer's new payout address, when the transaction sets one.
    public var payoutAddress: EVMAddress?
    /// Credits paid to devices for usage, when the transaction spends credits.
    public var usage: UsageRecord?
    /// Credits held for a service's job, when the transaction submits one.
    public var escrow: Escrow?
    /// A telemetry grant made or replaced, when the transaction grants access.
    public var grant: AccessGrant?
    /// The grant that ends, when the transaction revokes one.
    public var revoked: AccessGrant.Key?
    /// An operator's change, when the transaction is one.
    public var governance: GovernanceChange?
}

/// Credits a customer set aside for one job of a service: paid out to the devices that do the
/// verified work, the rest returned when the job ends.
public struct Escrow: Sendable, Equatable {
    /// The job's id.
    public var job: String
    /// The service, as named in the genesis.
    public var service: String
    /// The credits held.
    public var credits: Amount

    /// An escrow.
    public init(job: String, service: String, credits: Amount) {
        self.job = job
        self.service = service
        self.credits = credits
    }
}

/// Credits a customer paid devices for one service's usage.
public struct UsageRecord: Sendable, Equatable {
    /// The service, as named in the genesis.
    public var service: String
    /// Credits per device.
    public var charges: [(device: PublicKey, credits: Amount)]

    /// A usage record.
    public init(service: String, charges: [(device: PublicKey, credits: Amount)]) {
        self.service = service
        self.charges = charges
    }

    public static func == (lhs: UsageRecord, rhs: UsageRecord) -> Bool {
        lhs.service == rhs.service && lhs.charges.map(\.device) == rhs.charges.map(\.device)
            && lhs.charges.map(\.credits) == rhs.charges.map(\.credits)
    }
}
