import Foundation

extension PriceQuote {
    /// The bytes the oracle signs: the canonical encoding with `signature` empty.
    public var signingBytes: Data {
        var unsigned = self
        unsigned.signature = Data()
        return unsigned.canonicalBytes
    }

    /// Sets `oracle` to the key's public half and signs.
    public mutating func sign(with key: SigningKey) {
        oracle = key.publicKey.rawRepresentation
        signature = key.sign(signingBytes)
    }

    /// The signing oracle's key, when the signature is valid.
    public func verifySignature() throws(SignatureError) -> PublicKey {
        let key = try PublicKey(rawRepresentation: oracle)
        guard key.isValidSignature(signature, for: signingBytes) else {
            throw SignatureError(.badSignature, "the price quote's signature does not verify for oracle \(key)")
        }
        return key
    }
}
