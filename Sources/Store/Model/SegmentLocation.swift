/// A segment and where its pieces are: what repair reads and rewrites.
public struct SegmentLocation: Sendable, Equatable {
    public var blob: Int64
    public var number: Int
    public var k: Int
    public var n: Int
    /// Its plain length.
    public var length: Int
    public var pieces: [PiecePlacement]

    public init(blob: Int64, number: Int, k: Int, n: Int, length: Int, pieces: [PiecePlacement]) {
        self.blob = blob
        self.number = number
        self.k = k
        self.n = n
        self.length = length
        self.pieces = pieces
    }
}
