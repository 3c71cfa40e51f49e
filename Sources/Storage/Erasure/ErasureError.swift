import Core

/// Why a segment could not be coded or rebuilt.
public typealias ErasureError = CodedError<ErasureErrorCode>

/// Every reason the erasure code refuses.
public enum ErasureErrorCode: String, Sendable {
    case invalidParameters = "invalid_erasure_parameters"
    case notEnoughPieces = "not_enough_pieces"
    case pieceOutOfRange = "piece_out_of_range"
    case unequalPieces = "unequal_pieces"
    case wrongLength = "wrong_segment_length"
    case singular = "pieces_not_independent"
}
