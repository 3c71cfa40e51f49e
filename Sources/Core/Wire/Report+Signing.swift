import Foundation
import SwiftProtobuf

extension Report {
    /// The bytes the device signs: the canonical encoding with `signature` empty.
    public var signingBytes: Data {
        var unsigned = self
        unsigned.signature = Data()
        return unsigned.canonicalBytes
    }

    /// Sets `device` to the key's public half and signs.
    public mutating func sign(with key: SigningKey) {
        device = key.publicKey.rawRepresentation
        signature = key.sign(signingBytes)
    }

    /// The signing device's key, when the signature is valid.
    public func verifySignature() throws(SignatureError) -> PublicKey {
        let key = try PublicKey(rawRepresentation: device)
        guard key.isValidSignature(signature, for: signingBytes) else {
            throw SignatureError(.badSignature, "the signature does not verify for device \(key)")
        }
        return key
    }

    /// The report type's name, e.g. "heartbeat"; nil when the body is missing or unknown.
    public var typeName: String? {
        switch body {
        case .heartbeat?: "heartbeat"
        case nil: nil
        }
    }
}

extension Message {
    /// The canonical binary encoding: field-number order, as swift-protobuf writes it.
    public var canonicalBytes: Data {
        // Encoding a message that was built or decoded in memory does not fail.
        // swiftlint:disable:next force_try
        try! serializedBytes()
    }

    /// Decodes the binary encoding.
    public init(wireBytes: Data) throws {
        self.init()
        try merge(serializedBytes: wireBytes)
    }
}
