import Core
import Foundation

/// How a storage node runs: where its pieces live, how much it offers, where it listens, and
/// whose orders it takes.
public struct StorageNodeConfiguration: Sendable {
    /// The folder holding the pieces.
    public var directory: String
    /// The most bytes of pieces it holds.
    public var capacityBytes: Int64
    /// The address and port to listen on (port 0: any free port, written to DIR/storage.port).
    public var host = "127.0.0.1"
    public var port = 0
    /// The largest piece it takes: a 64 MiB segment in 4 pieces, with room to spare.
    public var maxPieceBytes = 32 << 20

    /// The storage node's own device key: orders name it.
    public var node: PublicKey
    /// The key whose signed orders may put and delete pieces (the gateway's).
    public var orderer: PublicKey
    /// The clock orders' expiry is read against, milliseconds since the Unix epoch.
    public var nowMs: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    /// A configuration with the defaults.
    public init(directory: String, capacityBytes: Int64, node: PublicKey, orderer: PublicKey) {
        self.directory = directory
        self.capacityBytes = capacityBytes
        self.node = node
        self.orderer = orderer
    }
}
