import Core
import Foundation
import Geo

extension TransactionRules {
    /// The most epochs one bounty may run.
    public static let maxBountyEpochs: UInt32 = 1_000
    /// The resolutions a bounty's area may have: a neighbourhood (10) to a metro region (5).
    public static let bountyResolutions = 5...10

    /// An escrow's id (a render job's, a bounty's): the first 16 hex digits of the SHA-256 of its
    /// signed transaction.
    public static func escrowID(_ transaction: Transaction) -> String {
        String(SHA256Digest.hex(transaction.canonicalBytes).prefix(16))
    }

    /// Checks a bounty's terms and returns its escrow: a service of the genesis, an H3 cell of a
    /// bounty resolution, 1 to `maxBountyEpochs` epochs, and at least one credit per epoch.
    func bounty(_ bounty: PostBounty, in transaction: Transaction) throws -> Escrow {
        guard let service = genesis.services.first(where: { $0.name == bounty.service }) else {
            throw TransactionError(.unknownService, "this network runs no service '\(bounty.service)'")
        }
        let cell: H3Cell
        do { cell = try H3Cell(parsing: bounty.area) } catch {
            throw TransactionError(.invalidBounty, "area: \(error.message)")
        }
        guard Self.bountyResolutions.contains(cell.resolution), bounty.area == cell.description else {
            throw TransactionError(
                .invalidBounty,
                "area is an H3 cell of resolution \(Self.bountyResolutions.lowerBound) to \(Self.bountyResolutions.upperBound), "
                    + "as 15 lower-case hex digits (got resolution \(cell.resolution))")
        }
        guard (1...Self.maxBountyEpochs).contains(bounty.epochs) else {
            throw TransactionError(.invalidBounty, "a bounty runs 1 to \(Self.maxBountyEpochs) epochs")
        }
        let credits = try Self.positiveAmount(bounty.credits)
        guard credits >= Amount(UInt128(bounty.epochs)) else {
            throw TransactionError(.invalidBounty, "a bounty pays at least one credit per epoch")
        }
        return Escrow(job: Self.escrowID(transaction), service: service.name, credits: credits)
    }
}
