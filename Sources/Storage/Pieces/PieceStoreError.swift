import Core

/// Why a piece was not stored.
public typealias PieceStoreError = CodedError<PieceStoreErrorCode>

/// Every reason a piece store refuses.
public enum PieceStoreErrorCode: String, Sendable {
    case storageFull = "storage_full"
    case diskFailed = "disk_failed"
}
