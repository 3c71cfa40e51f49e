import Core

/// One billing pass of the storage network: what each account paid (and still owes), and the
/// credits each storage node earned for the bytes it holds and the bytes it served.
public struct StorageBill: Sendable, Equatable {
    /// One account's charge.
    public struct Charge: Sendable, Equatable {
        public var account: Address
        public var storedBytes: Int64
        public var egressBytes: Int64
        /// Credits taken.
        public var paid: Amount
        /// Credits owed that its balance did not cover.
        public var unpaid: Amount

        public init(account: Address, storedBytes: Int64, egressBytes: Int64, paid: Amount, unpaid: Amount) {
            self.account = account
            self.storedBytes = storedBytes
            self.egressBytes = egressBytes
            self.paid = paid
            self.unpaid = unpaid
        }
    }

    public var charges: [Charge] = []
    /// Credits earned by each storage node in this pass, recorded as its usage in the epoch.
    public var earned: [Address: Amount] = [:]

    public init(charges: [Charge] = [], earned: [Address: Amount] = [:]) {
        self.charges = charges
        self.earned = earned
    }
}
