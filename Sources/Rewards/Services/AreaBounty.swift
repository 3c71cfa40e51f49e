import Core

/// A customer's bounty on an area, as one epoch sees it: the part of its credits this epoch
/// pays to whoever serves the area, and who gets that part back if nobody does. Hivemapper's
/// "bursts" work this way: a customer pays for fresh data in a region for a while, mapping there
/// earns more, and what nobody earns is refunded.
public struct AreaBounty: Sendable, Equatable, Codable {
    /// The bounty's id (from its transaction).
    public var id: String
    /// The account that posted it.
    public var account: Address
    /// The service it is for.
    public var service: String
    /// The area: an H3 cell, as its 15-digit hex string.
    public var area: String
    /// Its credits for this epoch.
    public var credits: Amount

    /// A bounty's slice of one epoch.
    public init(id: String, account: Address, service: String, area: String, credits: Amount) {
        self.id = id
        self.account = account
        self.service = service
        self.area = area
        self.credits = credits
    }
}

/// Credits an epoch gives back to an account: an escrow nobody earned.
public struct CreditRefund: Sendable, Equatable, Codable {
    /// Who gets them.
    public var account: Address
    /// How many.
    public var credits: Amount
    /// The escrow they come from (a bounty's id).
    public var reference: String

    /// A refund.
    public init(account: Address, credits: Amount, reference: String) {
        self.account = account
        self.credits = credits
        self.reference = reference
    }
}
