import Foundation

/// The textual form of a public key: Bech32m with the prefix `depin`, whose data part is one
/// key-type byte (0 for Ed25519) followed by the 32 key bytes.
///
/// `depin1qq…` (65 characters). docs/protocol.md, "Addresses", specifies it.
public struct Address: Hashable, Sendable, Comparable, CustomStringConvertible, LosslessStringConvertible {
    /// The human-readable prefix of every address.
    public static let prefix = "depin"
    /// The key-type byte for Ed25519.
    public static let ed25519KeyType: UInt8 = 0

    /// The key the address names.
    public let publicKey: PublicKey

    /// The address of `publicKey`.
    public init(publicKey: PublicKey) {
        self.publicKey = publicKey
    }

    /// Reads an address, or says exactly why it is not one.
    public init(parsing text: String) throws(AddressError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let decoded = try Bech32m.decode(trimmed)
        guard decoded.humanReadablePart == Self.prefix else {
            throw AddressError(
                .wrongPrefix,
                "an address starts with '\(Self.prefix)1', this one with '\(decoded.humanReadablePart)1'"
            )
        }
        guard let bytes = Bech32m.convertBits(decoded.values, from: 5, to: 8, pad: false) else {
            throw AddressError(.wrongLength, "the data part does not decode to whole bytes")
        }
        guard bytes.count == 33 else {
            throw AddressError(.wrongLength, "an address carries 33 bytes (key type and key), this one \(bytes.count)")
        }
        guard bytes[0] == Self.ed25519KeyType else {
            throw AddressError(.unknownKeyType, "key type \(bytes[0]) is unknown; 0 is Ed25519")
        }
        do {
            publicKey = try PublicKey(rawRepresentation: Data(bytes[1...]))
        } catch {
            throw AddressError(.wrongLength, "the key bytes are not an Ed25519 public key")
        }
    }

    /// `LosslessStringConvertible`: nil where `init(parsing:)` throws.
    public init?(_ description: String) {
        guard let address = try? Address(parsing: description) else { return nil }
        self = address
    }

    /// The Bech32m text.
    public var description: String {
        let bytes = [Self.ed25519KeyType] + Array(publicKey.rawRepresentation)
        let values = Bech32m.convertBits(bytes, from: 8, to: 5, pad: true) ?? []
        return Bech32m.encode(humanReadablePart: Self.prefix, values: values)
    }

    /// Orders by key bytes.
    public static func < (lhs: Address, rhs: Address) -> Bool { lhs.publicKey < rhs.publicKey }
}

extension Address: Codable {
    /// Decodes from the Bech32m text.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try Address(parsing: text)
    }

    /// Encodes as the Bech32m text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
