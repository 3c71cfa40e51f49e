/// Why a textual address could not be read.
public struct AddressError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable code for each way an address can be wrong.
    public enum Code: String, Sendable {
        case wrongLength = "address_wrong_length"
        case invalidCharacter = "address_invalid_character"
        case mixedCase = "address_mixed_case"
        case missingSeparator = "address_missing_separator"
        case badChecksum = "address_bad_checksum"
        case wrongPrefix = "address_wrong_prefix"
        case unknownKeyType = "address_unknown_key_type"
    }

    /// Which rule the address broke.
    public var code: Code
    /// A sentence for the person who typed it.
    public var message: String

    /// Makes an error with a code and a sentence.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message, prefixed by the code.
    public var description: String { "\(code.rawValue): \(message)" }
}
