import Crypto
import Foundation

/// SHA-256, the hash of the journal chain and of content addresses.
public enum SHA256Digest {
    /// The 32-byte digest of `data`.
    public static func hash(_ data: Data) -> Data {
        Data(SHA256.hash(data: data))
    }

    /// The lower-case hex digest of `data`.
    public static func hex(_ data: Data) -> String {
        hash(data).hexString
    }
}
