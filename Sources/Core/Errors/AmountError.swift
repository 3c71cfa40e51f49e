/// An amount that cannot be used.
public typealias AmountError = CodedError<AmountErrorCode>

/// Every way an amount can be wrong.
public enum AmountErrorCode: String, Sendable {
    case malformed = "amount_malformed"
    case negative = "amount_negative"
    case overflow = "amount_overflow"
    case insufficient = "amount_insufficient"
}
