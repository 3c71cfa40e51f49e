import Core

/// One line of a journal entry: an amount of an asset into or out of an account.
public struct Posting: Sendable, Equatable, Codable {
    /// Whether the posting adds to the balance or takes from it.
    public enum Direction: String, Sendable, Codable {
        /// Adds to the balance.
        case credit
        /// Takes from the balance.
        case debit
    }

    /// The account.
    public var account: Address
    /// Tokens or credits.
    public var asset: Asset
    /// Into or out of the account.
    public var direction: Direction
    /// How much.
    public var amount: Amount

    /// A posting.
    public init(account: Address, asset: Asset, direction: Direction, amount: Amount) {
        self.account = account
        self.asset = asset
        self.direction = direction
        self.amount = amount
    }

    /// The canonical one-line text hashed into the journal chain.
    var canonical: String { "\(account) \(asset.rawValue) \(direction.rawValue) \(amount)" }

    /// Applies the posting to `state`, refusing to go below zero or past 2^128.
    public func apply(to state: inout AccountState) throws(AmountError) {
        switch direction {
        case .credit: state[asset] = try state[asset].adding(amount)
        case .debit: state[asset] = try state[asset].subtracting(amount)
        }
    }
}
