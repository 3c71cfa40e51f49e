/// A run of bytes the gateway coded and placed: a whole object's data, or one part of a
/// multipart upload. It is cut into segments of the same size (the last may be shorter); each
/// segment is coded k of n into pieces on distinct storage nodes. Objects and upload parts refer
/// to blobs; a blob nothing refers to is garbage and its pieces are deleted.
public struct BlobRecord: Sendable, Equatable {
    /// One segment: its plain length and its pieces.
    public struct Segment: Sendable, Equatable {
        public var length: Int
        public var pieces: [PiecePlacement]

        public init(length: Int, pieces: [PiecePlacement]) {
            self.length = length
            self.pieces = pieces
        }
    }

    /// The store's id, 0 until stored.
    public var id: Int64
    public var k: Int
    public var n: Int
    /// The plain size, bytes.
    public var size: Int64
    /// Plain bytes per segment (the last may be shorter).
    public var segmentBytes: Int
    public var segments: [Segment]

    public init(id: Int64 = 0, k: Int, n: Int, size: Int64, segmentBytes: Int, segments: [Segment]) {
        self.id = id
        self.k = k
        self.n = n
        self.size = size
        self.segmentBytes = segmentBytes
        self.segments = segments
    }
}
