import Foundation

extension Transaction {
    /// The bytes every signer signs: the canonical encoding with `signature` and
    /// `cosignatures` empty.
    public var signingBytes: Data {
        var unsigned = self
        unsigned.signature = Data()
        unsigned.cosignatures = []
        return unsigned.canonicalBytes
    }

    /// Sets `signer` to the key's public half and signs (do this before cosigning).
    public mutating func sign(with key: SigningKey) {
        signer = key.publicKey.rawRepresentation
        signature = key.sign(signingBytes)
    }

    /// Adds `key`'s cosignature (a device's or a maker's, for onboarding).
    public mutating func cosign(with key: SigningKey) {
        var cosignature = Cosignature()
        cosignature.key = key.publicKey.rawRepresentation
        cosignature.signature = key.sign(signingBytes)
        cosignatures.append(cosignature)
    }

    /// The signer's key, when the signature is valid.
    public func verifySignature() throws(SignatureError) -> PublicKey {
        let key = try PublicKey(rawRepresentation: signer)
        guard key.isValidSignature(signature, for: signingBytes) else {
            throw SignatureError(.badSignature, "the signature does not verify for account \(key)")
        }
        return key
    }
}
