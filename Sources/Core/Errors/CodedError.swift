/// An error with a stable code and a sentence for people: the shape of every refusal in the
/// engine. Each domain names its codes as a `String`-backed enum and a typealias, e.g.
/// `typealias AmountError = CodedError<AmountErrorCode>`.
public struct CodedError<Reason: RawRepresentable & Sendable & Equatable>: Error, Sendable, Equatable,
    CustomStringConvertible
where Reason.RawValue == String {
    /// The domain's codes.
    public typealias Code = Reason

    /// Which rule was broken.
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
