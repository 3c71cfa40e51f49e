/// Why a textual address could not be read.
public typealias AddressError = CodedError<AddressErrorCode>

/// Every way an address can be wrong.
public enum AddressErrorCode: String, Sendable {
    case wrongLength = "address_wrong_length"
    case invalidCharacter = "address_invalid_character"
    case mixedCase = "address_mixed_case"
    case missingSeparator = "address_missing_separator"
    case badChecksum = "address_bad_checksum"
    case wrongPrefix = "address_wrong_prefix"
    case unknownKeyType = "address_unknown_key_type"
}
