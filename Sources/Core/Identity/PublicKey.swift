import Crypto
import Foundation

/// An Ed25519 public key: the identity of an account, a device, a maker or an oracle.
public struct PublicKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 32 raw key bytes as RFC 8032 writes them.
    public let rawRepresentation: Data

    /// Wraps 32 raw bytes; anything else is refused.
    public init(rawRepresentation: Data) throws(SignatureError) {
        guard rawRepresentation.count == 32,
            (try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation)) != nil
        else {
            throw SignatureError(.malformedKey, "an Ed25519 public key is 32 bytes, got \(rawRepresentation.count)")
        }
        self.rawRepresentation = Data(rawRepresentation)
    }

    /// Whether `signature` is this key's Ed25519 signature of `message`.
    public func isValidSignature(_ signature: Data, for message: Data) -> Bool {
        guard signature.count == 64,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation)
        else { return false }
        return key.isValidSignature(signature, for: message)
    }

    /// The key's address (see `Address`).
    public var address: Address { Address(publicKey: self) }

    /// Hashes the key's four 64-bit words: a registry's keys are looked up several times a
    /// report at ingest, and `Data`'s own hashing went the long way round its storage.
    public func hash(into hasher: inout Hasher) {
        rawRepresentation.withUnsafeBytes { bytes in
            for offset in stride(from: 0, to: bytes.count - 7, by: 8) {
                hasher.combine(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            }
        }
    }

    /// Lower-case hex of the raw bytes.
    public var hex: String { rawRepresentation.hexString }

    /// The address form, which is what people see.
    public var description: String { address.description }

    /// Orders keys by their bytes, for deterministic iteration.
    public static func < (lhs: PublicKey, rhs: PublicKey) -> Bool {
        lhs.rawRepresentation.precedesBytewise(rhs.rawRepresentation)
    }
}
