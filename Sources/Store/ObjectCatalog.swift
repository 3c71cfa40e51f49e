import Core
import Foundation

/// The storage network's metadata, kept by the node for its S3 gateway: access keys, buckets,
/// objects and multipart uploads, and where every piece of their data is. Operations that drop
/// the last reference to data return the pieces that are now garbage, for the gateway to delete
/// from their storage nodes; a piece another blob still uses on the same node is not returned.
public protocol ObjectCatalog: Sendable {
    /// Records a new access key for `key.account`, requested at `requestMs` by the signed
    /// `request` (kept: it is the account's consent to storage charges); a request time not after
    /// the account's last one is refused (`replayed_request`), so a request cannot be replayed.
    func createAccessKey(_ key: AccessKey, requestMs: Int64, request: Data) async throws
    /// The access key with id `id`.
    func accessKey(id: String) async throws -> AccessKey?
    /// `account`'s access keys, oldest first.
    func accessKeys(account: Address) async throws -> [AccessKey]
    /// Deletes an access key of `account`; false when it has none with that id.
    func deleteAccessKey(id: String, account: Address) async throws -> Bool

    /// Creates a bucket; `bucket_exists` when the name is taken (by anyone).
    func createBucket(_ bucket: BucketRecord) async throws
    func bucket(_ name: String) async throws -> BucketRecord?
    /// `owner`'s buckets by name.
    func buckets(owner: Address) async throws -> [BucketRecord]
    /// Deletes an empty bucket; `bucket_not_empty` when it holds objects or uploads.
    func deleteBucket(_ name: String) async throws

    /// Stores a blob's segments and piece placements; returns its id. Until an object or part
    /// refers to it, it is an orphan that `sweepOrphanBlobs` collects.
    func addBlob(_ blob: BlobRecord, nowMs: Int64) async throws -> Int64
    /// The blob with id `id`.
    func blob(_ id: Int64) async throws -> BlobRecord?
    /// Deletes blobs nothing refers to that were stored before `beforeMs`, with their pieces.
    func sweepOrphanBlobs(beforeMs: Int64) async throws -> [PiecePlacement]

    /// Stores `object`, replacing any object under its key.
    func putObject(_ object: ObjectRecord) async throws -> [PiecePlacement]
    func object(bucket: String, key: String) async throws -> ObjectRecord?
    /// Deletes an object; nil when there was none.
    func deleteObject(bucket: String, key: String) async throws -> [PiecePlacement]?
    /// Up to `limit` keys and common prefixes of `bucket` starting with `prefix`, after `after`.
    func listObjects(bucket: String, prefix: String, delimiter: String?, after: String?, limit: Int) async throws -> ObjectListing

    /// Starts a multipart upload.
    func createUpload(_ upload: MultipartUpload) async throws
    func upload(_ id: String) async throws -> MultipartUpload?
    /// Stores a part, replacing one with the same number.
    func putPart(upload: String, part: MultipartUpload.Part) async throws -> [PiecePlacement]
    /// The upload's parts by number.
    func parts(upload: String) async throws -> [MultipartUpload.Part]
    /// The uploads in progress in `bucket`, oldest first.
    func uploads(bucket: String) async throws -> [MultipartUpload]
    /// Ends an upload as `object` (whose parts are some of the upload's); the parts left out
    /// are garbage.
    func completeUpload(_ id: String, as object: ObjectRecord) async throws -> [PiecePlacement]
    /// Ends an upload without an object; its parts are garbage. Nil when there was none.
    func abortUpload(_ id: String) async throws -> [PiecePlacement]?
}
