import Core

/// The storage network's metering and billing: egress counted as the gateway serves it, and
/// periodic charges for bytes kept (byte-time) and bytes downloaded, taken from customers'
/// credits and recorded as storage nodes' usage.
public protocol StorageBilling: Sendable {
    /// Counts `bytes` downloaded by `account`, with the piece bytes each storage node served for it.
    func recordEgress(account: Address, bytes: Int64, served: [Address: Int64]) async throws
    /// Charges every account with buckets for the bytes it kept since its last charge and the
    /// egress since, at the given prices (credits per 10⁹ bytes for a 30-day month, and per 10⁹
    /// bytes downloaded), carrying fractions of a credit to the next pass; takes what each
    /// balance covers (journal `storage_charge`, with the account's signed access-key request),
    /// and splits what was taken among storage nodes not `excluded` (disqualified): the storage
    /// part by piece bytes held, the egress part by piece bytes served, as usage of `service`
    /// in `epoch`.
    func chargeStorage(
        nowMs: Int64, epoch: Int64, service: String, creditsPerGBMonth: Int64, creditsPerGBEgress: Int64,
        excluded: Set<Address>
    ) async throws -> StorageBill
    /// `account`'s standing.
    func storageAccount(_ account: Address) async throws -> StorageAccount
    /// What `account` owes that its credits did not cover (a key lookup, for every request).
    func unpaidStorageCredits(_ account: Address) async throws -> Amount
}
