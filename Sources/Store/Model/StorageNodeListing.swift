import Core

/// A storage node as it last announced itself.
public struct StorageNodeListing: Sendable, Equatable, Codable {
    public var device: Address
    /// The base URL of its piece server.
    public var url: String
    public var capacityBytes: UInt64
    public var usedBytes: UInt64
    /// When it said so (the report's timestamp).
    public var reportedMs: Int64

    /// A listing.
    public init(device: Address, url: String, capacityBytes: UInt64, usedBytes: UInt64, reportedMs: Int64) {
        self.device = device
        self.url = url
        self.capacityBytes = capacityBytes
        self.usedBytes = usedBytes
        self.reportedMs = reportedMs
    }
}
