import Core

/// An S3 object: its name, what its client said about it, and the blobs its bytes are, in order
/// (one for a plain PUT, one per part for a multipart upload).
public struct ObjectRecord: Sendable, Equatable {
    /// One run of the object's bytes.
    public struct Part: Sendable, Equatable {
        public var blob: Int64
        public var size: Int64

        public init(blob: Int64, size: Int64) {
            self.blob = blob
            self.size = size
        }
    }

    public var bucket: String
    public var key: String
    public var size: Int64
    /// The ETag without quotes: the MD5 of a plain PUT, or MD5-of-MD5s "-N" for a multipart one.
    public var etag: String
    public var contentType: String
    /// User metadata (x-amz-meta-*), names lower-case without the prefix.
    public var metadata: [String: String]
    public var createdMs: Int64
    public var parts: [Part]

    public init(
        bucket: String, key: String, size: Int64, etag: String, contentType: String, metadata: [String: String], createdMs: Int64,
        parts: [Part]
    ) {
        self.bucket = bucket
        self.key = key
        self.size = size
        self.etag = etag
        self.contentType = contentType
        self.metadata = metadata
        self.createdMs = createdMs
        self.parts = parts
    }
}
