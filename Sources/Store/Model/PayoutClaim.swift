import Core
import Foundation

/// What a payout address may claim on chain as of a closed epoch, with the Merkle proof that the
/// settlement contract checks against the epoch's root.
public struct PayoutClaim: Sendable, Equatable {
    /// The epoch.
    public var epoch: Int64
    /// The payout address.
    public var address: EVMAddress
    /// Its cumulative total, in base units.
    public var cumulative: Amount
    /// The epoch's root, 0x-hex.
    public var root: String
    /// The sibling hashes from the leaf up to the root (OpenZeppelin `MerkleProof`).
    public var proof: [Data]

    /// A claim as given.
    public init(epoch: Int64, address: EVMAddress, cumulative: Amount, root: String, proof: [Data]) {
        self.epoch = epoch
        self.address = address
        self.cumulative = cumulative
        self.root = root
        self.proof = proof
    }
}
