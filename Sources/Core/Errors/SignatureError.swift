/// A key or signature that cannot be used.
public typealias SignatureError = CodedError<SignatureErrorCode>

/// Every way a key or signature can be wrong.
public enum SignatureErrorCode: String, Sendable {
    case malformedKey = "malformed_key"
    case badSignature = "bad_signature"
}
