import Foundation

/// A 20-byte EVM address, where a device owner's settled rewards can be claimed.
public struct EVMAddress: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The 20 bytes.
    public let bytes: Data

    /// Wraps 20 bytes.
    public init(bytes: Data) throws(EVMAddressError) {
        guard bytes.count == 20 else { throw EVMAddressError("an EVM address is 20 bytes, got \(bytes.count)") }
        self.bytes = Data(bytes)
    }

    /// Reads `0x` followed by 40 hex digits (either case).
    public init(parsing text: String) throws(EVMAddressError) {
        guard text.hasPrefix("0x") || text.hasPrefix("0X"), text.count == 42, let bytes = Data(hex: text) else {
            throw EVMAddressError("an EVM address is 0x followed by 40 hex digits, got '\(text)'")
        }
        try self.init(bytes: bytes)
    }

    /// Lower-case `0x` hex.
    public var description: String { "0x" + bytes.hexString }

    /// Orders by bytes.
    public static func < (lhs: EVMAddress, rhs: EVMAddress) -> Bool {
        lhs.bytes.precedesBytewise(rhs.bytes)
    }

    /// Decodes from the hex text.
    public init(from decoder: any Decoder) throws {
        self = try EVMAddress(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes as the hex text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// An EVM address that does not parse.
public struct EVMAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why.
    public var description: String

    /// An error with a reason.
    public init(_ description: String) {
        self.description = description
    }
}
