import Core

/// Paid queries (map data): credits taken from the customer as each query is served and
/// recorded as the usage of the devices whose data it served.
public protocol QueryBilling: Sendable {
    /// Takes the sum of `earned` from `account`'s credits for a query of `service`, and records
    /// each device's part as its usage in `epoch`, in one transaction (journal `query_charge`,
    /// with the account's signed access-key request as its consent). When the balance is short
    /// it throws `insufficientCredits` and changes nothing. Credits are Int64 here: a UInt128
    /// parameter of an async function crashed on Linux (Swift 6.3).
    func chargeQuery(
        account: Address, service: String, epoch: Int64, earned: [(device: PublicKey, credits: Int64)], reference: String,
        nowMs: Int64
    ) async throws
}
