import Core
import Foundation

/// What an oracle signs to vouch for an epoch's root:
/// UTF-8 "depin-epoch-root-v1\n" ‖ epoch as 8 bytes big-endian ‖ the 32-byte root.
public enum EpochRootMessage {
    /// The bytes to sign for `root` (0x-hex) of `epoch`; nil when the root is not 32 bytes of hex.
    public static func bytes(epoch: Int64, root: String) -> Data? {
        guard let rootBytes = Data(hex: root), rootBytes.count == 32 else { return nil }
        var data = Data("depin-epoch-root-v1\n".utf8)
        withUnsafeBytes(of: UInt64(bitPattern: epoch).bigEndian) { data.append(contentsOf: $0) }
        return data + rootBytes
    }

    /// An oracle's signature, hex.
    public static func sign(epoch: Int64, root: String, with key: SigningKey) -> String? {
        bytes(epoch: epoch, root: root).map { key.sign($0).hexString }
    }

    /// Whether `signature` (hex) is `oracle`'s signature of the root.
    public static func verify(epoch: Int64, root: String, oracle: PublicKey, signature: String) -> Bool {
        guard let message = bytes(epoch: epoch, root: root), let signatureBytes = Data(hex: signature) else {
            return false
        }
        return oracle.isValidSignature(signatureBytes, for: message)
    }
}
