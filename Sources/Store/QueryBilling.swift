import Core
import Foundation

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

    /// The state `service` left after closed epoch `epoch`, if any.
    func serviceState(_ service: String, epoch: Int64) async throws -> Data?

    /// Bounties of `service`, newest first: all, or those in force in `epoch`.
    func bounties(service: String, inForce epoch: Int64?, limit: Int) async throws -> [BountyRecord]
}
