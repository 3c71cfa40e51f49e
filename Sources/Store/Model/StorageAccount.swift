import Core

/// A storage customer's standing: bytes kept now, egress not yet billed, credits paid so far,
/// and whether a charge went unpaid (then the gateway refuses its requests until it pays).
public struct StorageAccount: Sendable, Equatable, Codable {
    public var account: Address
    public var storedBytes: Int64
    public var objects: Int
    public var unbilledEgressBytes: Int64
    public var paid: Amount
    public var unpaid: Amount

    public init(account: Address, storedBytes: Int64, objects: Int, unbilledEgressBytes: Int64, paid: Amount, unpaid: Amount) {
        self.account = account
        self.storedBytes = storedBytes
        self.objects = objects
        self.unbilledEgressBytes = unbilledEgressBytes
        self.paid = paid
        self.unpaid = unpaid
    }
}
