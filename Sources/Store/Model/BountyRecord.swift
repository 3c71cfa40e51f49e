import Core

/// A customer's bounty on an area, as posted.
public struct BountyRecord: Sendable, Equatable, Codable {
    /// Its id (from its transaction).
    public var id: String
    /// Who posted it.
    public var account: Address
    /// The service.
    public var service: String
    /// The H3 cell it covers.
    public var area: String
    /// Its credits, all epochs together.
    public var credits: Amount
    /// Its first epoch.
    public var firstEpoch: Int64
    /// How many epochs it runs.
    public var epochs: Int64
    /// When it was posted.
    public var createdMs: Int64
    /// Credits given back so far (epochs nobody mapped its area).
    public var refunded: Amount

    /// A bounty.
    public init(
        id: String, account: Address, service: String, area: String, credits: Amount, firstEpoch: Int64, epochs: Int64,
        createdMs: Int64, refunded: Amount
    ) {
        self.id = id
        self.account = account
        self.service = service
        self.area = area
        self.credits = credits
        self.firstEpoch = firstEpoch
        self.epochs = epochs
        self.createdMs = createdMs
        self.refunded = refunded
    }
}
