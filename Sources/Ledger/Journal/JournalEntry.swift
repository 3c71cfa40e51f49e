import Core
import Foundation

/// One change to the ledger, chained to the one before by its hash, so that nobody can rewrite
/// history without every later hash changing.
public struct JournalEntry: Sendable, Equatable, Codable {
    /// What made the change.
    public enum Kind: String, Sendable, Codable {
        /// Tokens allocated by the genesis file.
        case genesis
        /// A signed transfer.
        case transfer
        /// A signed burn of tokens into credits.
        case burn
        /// Tokens minted by an epoch's settlement.
        case mint
        /// A device onboarded.
        case onboardDevice = "onboard_device"
        /// A device handed to a new owner.
        case transferDevice = "transfer_device"
        /// An account's payout address set or changed.
        case setPayoutAddress = "set_payout_address"
        /// Credits spent on devices' service.
        case spendCredits = "spend_credits"
        /// A device's location asserted anew, for a fee in credits.
        case assertLocation = "assert_location"
        /// A render job submitted, its price cap escrowed from the creator's credits.
        case submitRenderJob = "submit_render_job"
        /// What a finished job's escrow did not spend, returned to its creator by the node.
        case escrowRefund = "escrow_refund"
        /// Credits a storage customer owes for bytes kept and bytes downloaded, taken by the
        /// node under the account's signed access-key request (`transaction` holds it).
        case storageCharge = "storage_charge"
        /// A bounty posted on an area, its credits escrowed from the customer's.
        case postBounty = "post_bounty"
        /// Credits a customer spent on paid queries (map data), taken by the node as each query
        /// is served, under the account's signed access-key request (`transaction` holds it).
        case queryCharge = "query_charge"
        /// An owner's grant of an account's access to a device's telemetry.
        case grantAccess = "grant_access"
        /// An owner's revocation of a grant.
        case revokeAccess = "revoke_access"
        /// An operator's change to the denylist.
        case denylistDevice = "denylist_device"
        /// An operator's change to a service parameter.
        case setServiceParameter = "set_service_parameter"
    }

    /// The entry's position, from 1.
    public var sequence: UInt64
    /// When the node applied it, milliseconds since the Unix epoch.
    public var timestampMs: Int64
    /// What made it.
    public var kind: Kind
    /// The signed transaction's bytes (empty for genesis and mints), kept so a replay can
    /// check the signature again.
    public var transaction: Data
    /// A free reference: the genesis hash, the epoch number.
    public var reference: String
    /// The balance changes.
    public var postings: [Posting]
    /// The previous entry's hash (32 zero bytes before the first).
    public var previousHash: Data
    /// SHA-256 over the previous hash and this entry's canonical text.
    public var hash: Data

    /// An entry chained after `previousHash`, with its hash computed.
    public init(
        sequence: UInt64, timestampMs: Int64, kind: Kind, transaction: Data = Data(), reference: String = "",
        postings: [Posting], previousHash: Data
    ) {
        self.sequence = sequence
        self.timestampMs = timestampMs
        self.kind = kind
        self.transaction = transaction
        self.reference = reference
        self.postings = postings
        self.previousHash = previousHash
        self.hash = Data()
        self.hash = computedHash
    }

    /// The hash that `hash` must equal.
    public var computedHash: Data {
        var text = "depin-journal-v1\n\(sequence)\n\(timestampMs)\n\(kind.rawValue)\n"
        text += "\(transaction.hexString)\n\(reference)\n"
        for posting in postings { text += posting.canonical + "\n" }
        return SHA256Digest.hash(previousHash + Data(text.utf8))
    }

    /// The hash before the first entry.
    public static let genesisPreviousHash = Data(repeating: 0, count: 32)
}
