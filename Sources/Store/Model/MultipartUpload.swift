import Core

/// A multipart upload in progress, and its parts so far.
public struct MultipartUpload: Sendable, Equatable {
    /// One uploaded part.
    public struct Part: Sendable, Equatable {
        public var number: Int
        public var blob: Int64
        public var size: Int64
        /// MD5 of the part, hex, without quotes.
        public var etag: String
        public var createdMs: Int64

        public init(number: Int, blob: Int64, size: Int64, etag: String, createdMs: Int64) {
            self.number = number
            self.blob = blob
            self.size = size
            self.etag = etag
            self.createdMs = createdMs
        }
    }

    public var id: String
    public var bucket: String
    public var key: String
    public var owner: Address
    public var contentType: String
    public var metadata: [String: String]
    public var createdMs: Int64

    public init(
        id: String, bucket: String, key: String, owner: Address, contentType: String, metadata: [String: String], createdMs: Int64
    ) {
        self.id = id
        self.bucket = bucket
        self.key = key
        self.owner = owner
        self.contentType = contentType
        self.metadata = metadata
        self.createdMs = createdMs
    }
}
