/// A page of a bucket's keys in order, with the keys that share a prefix up to the delimiter
/// rolled up into common prefixes, as ListObjectsV2 answers.
public struct ObjectListing: Sendable, Equatable {
    /// One key.
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var size: Int64
        public var etag: String
        public var createdMs: Int64

        public init(key: String, size: Int64, etag: String, createdMs: Int64) {
            self.key = key
            self.size = size
            self.etag = etag
            self.createdMs = createdMs
        }
    }

    public var entries: [Entry] = []
    public var commonPrefixes: [String] = []
    /// Where the next page starts, when there is one: list again after this key or prefix.
    public var next: String?

    public init(entries: [Entry] = [], commonPrefixes: [String] = [], next: String? = nil) {
        self.entries = entries
        self.commonPrefixes = commonPrefixes
        self.next = next
    }
}
