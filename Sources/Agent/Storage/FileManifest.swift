/// Where a file's pieces went: what `depin storage put` writes and `depin storage get` reads.
/// The file is cut into segments; each segment is coded into n pieces, any k of which rebuild
/// it, and each piece is named by its SHA-256, so a corrupted piece is known and passed over.
public struct FileManifest: Codable, Sendable, Equatable {
    /// One piece: its number in the segment's code, its id, and the storage node holding it.
    public struct Piece: Codable, Sendable, Equatable {
        public var index: Int
        public var id: String
        public var nodeURL: String
        public var node: String

        enum CodingKeys: String, CodingKey {
            case index, id, node
            case nodeURL = "node_url"
        }
    }

    /// One segment: its length and its pieces.
    public struct Segment: Codable, Sendable, Equatable {
        public var length: Int
        public var pieces: [Piece]
    }

    public var name: String
    public var length: Int
    /// SHA-256 of the whole file, checked after a get.
    public var sha256: String
    public var k: Int
    public var n: Int
    public var segmentBytes: Int
    public var segments: [Segment]

    enum CodingKeys: String, CodingKey {
        case name, length, sha256, k, n, segments
        case segmentBytes = "segment_bytes"
    }
}
