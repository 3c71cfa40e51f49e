import Core
import Foundation

/// Which leaf of a piece an audit asks for: a draw from the epoch's entropy (the oracle-signed
/// seed the rendering market's verification uses too), the piece and the round, so a storage
/// node cannot know in advance which leaves to keep and anyone can check the draw afterwards.
public enum PieceAudit {
    /// The leaf to ask for in audit `round` of `piece` (its id) with `leafCount` leaves.
    public static func challenge(seed: Data, piece: String, round: Int, leafCount: Int) -> Int {
        precondition(leafCount > 0)
        let digest = SHA256Digest.hash(seed + Data("|audit|\(piece)|\(round)".utf8))
        let draw = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int(draw % UInt64(leafCount))
    }
}
