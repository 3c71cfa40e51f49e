import Crypto
import Foundation

/// An Ed25519 private key. It signs; it is never sent anywhere.
public struct SigningKey: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    /// A fresh random key.
    public init() {
        key = Curve25519.Signing.PrivateKey()
    }

    /// A key from its 32-byte seed (RFC 8032's "secret key").
    public init(seed: Data) throws(SignatureError) {
        guard seed.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw SignatureError(.malformedKey, "an Ed25519 seed is 32 bytes, got \(seed.count)")
        }
        self.key = key
    }

    /// The 32-byte seed, for the key file.
    public var seed: Data { key.rawRepresentation }

    /// The public half.
    public var publicKey: PublicKey {
        // A key swift-crypto made always has a valid 32-byte public half.
        // swiftlint:disable:next force_try
        try! PublicKey(rawRepresentation: key.publicKey.rawRepresentation)
    }

    /// The address of the public half.
    public var address: Address { publicKey.address }

    /// The Ed25519 signature of `message` (deterministic, RFC 8032).
    public func sign(_ message: Data) -> Data {
        // Signing with a well-formed key cannot fail.
        // swiftlint:disable:next force_try
        try! key.signature(for: message)
    }
}
