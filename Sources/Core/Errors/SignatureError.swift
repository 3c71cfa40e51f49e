/// A key or signature that cannot be used.
public struct SignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable code for each problem.
    public enum Code: String, Sendable {
        case malformedKey = "malformed_key"
        case badSignature = "bad_signature"
    }

    /// What is wrong.
    public var code: Code
    /// A sentence for people.
    public var message: String

    /// Makes an error with a code and a sentence.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message, prefixed by the code.
    public var description: String { "\(code.rawValue): \(message)" }
}
