import Core

/// A store-level refusal.
public typealias StoreError = CodedError<StoreErrorCode>

/// Every reason the store refuses.
public enum StoreErrorCode: String, Sendable {
    case genesisMismatch = "genesis_mismatch"
    case deviceExists = "device_exists"
    case corrupt = "store_corrupt"
    case unknownJob = "unknown_job"
    case noLease = "no_lease"
    case notBenchmarked = "not_benchmarked"
    case wrongReferenceScene = "wrong_reference_scene"
    case noBenchmarkCheck = "no_benchmark_check"
    case replayedRequest = "replayed_request"
    case bucketExists = "bucket_exists"
    case bucketNotEmpty = "bucket_not_empty"
    case noSuchBucket = "no_such_bucket"
    case noSuchUpload = "no_such_upload"
    case badDatabaseURL = "bad_database_url"
    case databaseUnavailable = "database_unavailable"
}
