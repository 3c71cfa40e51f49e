import Core

/// One account as the ledger sees it.
public struct AccountState: Sendable, Equatable, Codable {
    /// The account's address.
    public var address: Address
    /// Tokens, in base units.
    public var tokens: Amount
    /// Credits.
    public var credits: Amount
    /// The nonce of the last accepted transaction it signed (0 before the first).
    public var nonce: UInt64
    /// Where its settled rewards can be claimed on an EVM chain, once set.
    public var payoutAddress: EVMAddress?

    /// An account with nothing in it.
    public init(
        address: Address, tokens: Amount = .zero, credits: Amount = .zero, nonce: UInt64 = 0,
        payoutAddress: EVMAddress? = nil
    ) {
        self.address = address
        self.tokens = tokens
        self.credits = credits
        self.nonce = nonce
        self.payoutAddress = payoutAddress
    }

    /// The balance of `asset`.
    public subscript(asset: Asset) -> Amount {
        get { asset == .token ? tokens : credits }
        set {
            if asset == .token { tokens = newValue } else { credits = newValue }
        }
    }
}
