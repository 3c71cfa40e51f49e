import Foundation
import SwiftProtobuf

/// A wire message signed by one key that it names itself: a device's `Report`, an oracle's
/// `PriceQuote`. The signing rule is the protocol's: Ed25519 over the canonical encoding with
/// the signature field empty.
public protocol SignedMessage: SwiftProtobuf.Message {
    /// The signing key's 32 bytes, carried in the message.
    var signerKey: Data { get set }
    /// The signature.
    var signature: Data { get set }
}

extension SignedMessage {
    /// The bytes the signer signs.
    public var signingBytes: Data {
        var unsigned = self
        unsigned.signature = Data()
        return unsigned.canonicalBytes
    }

    /// Names the key's public half as the signer and signs.
    public mutating func sign(with key: SigningKey) {
        signerKey = key.publicKey.rawRepresentation
        signature = key.sign(signingBytes)
    }

    /// The signer's key, when the signature is valid.
    public func verifySignature() throws(SignatureError) -> PublicKey {
        let key = try PublicKey(rawRepresentation: signerKey)
        guard key.isValidSignature(signature, for: signingBytes) else {
            throw SignatureError(.badSignature, "the signature does not verify for \(key)")
        }
        return key
    }
}

extension Report: SignedMessage {
    /// The device's key.
    public var signerKey: Data {
        get { device }
        set { device = newValue }
    }
}

extension PriceQuote: SignedMessage {
    /// The oracle's key.
    public var signerKey: Data {
        get { oracle }
        set { oracle = newValue }
    }
}

extension Entropy: SignedMessage {
    /// The oracle's key.
    public var signerKey: Data {
        get { oracle }
        set { oracle = newValue }
    }

    /// The entropy's value: SHA-256 of the oracle's signature.
    public var value: Data { SHA256Digest.hash(signature) }
}

extension PieceOrder: SignedMessage {
    /// The orderer's key.
    public var signerKey: Data {
        get { orderer }
        set { orderer = newValue }
    }
}
