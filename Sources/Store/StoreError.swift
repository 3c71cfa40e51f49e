/// A store-level refusal.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every reason.
    public enum Code: String, Sendable {
        case genesisMismatch = "genesis_mismatch"
    }

    /// Which reason.
    public var code: Code
    /// A sentence for people.
    public var message: String

    /// An error with a code and a sentence.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message, prefixed by the code.
    public var description: String { "\(code.rawValue): \(message)" }
}
