import Core

/// Why a transaction was refused. The code is stable; docs/protocol.md lists them all.
public typealias TransactionError = CodedError<TransactionErrorCode>

/// Every reason a transaction can be refused.
public enum TransactionErrorCode: String, Sendable, CaseIterable {
    case malformed = "malformed_transaction"
    case badSignature = "bad_signature"
    case badNonce = "bad_nonce"
    case timestampOutOfWindow = "timestamp_out_of_window"
    case invalidAmount = "invalid_amount"
    case invalidAddress = "invalid_address"
    case insufficientBalance = "insufficient_balance"
    case selfTransfer = "self_transfer"
    case quoteBelowMinimum = "quote_below_minimum"
    case supplyCapExceeded = "supply_cap_exceeded"
    case deviceExists = "device_exists"
    case unknownDevice = "unknown_device"
    case notOwner = "not_owner"
    case untrustedMaker = "untrusted_maker"
    case missingCosignature = "missing_cosignature"
    case kindNotAllowed = "kind_not_allowed"
    case locationRequired = "location_required"
    case invalidLocation = "invalid_location"
    case invalidPayoutAddress = "invalid_payout_address"
    case unknownOracle = "unknown_oracle"
    case stalePrice = "stale_price"
    case unknownService = "unknown_service"
    case insufficientCredits = "insufficient_credits"
    case invalidRenderJob = "invalid_render_job"
    case invalidBounty = "invalid_bounty"
    case invalidGrant = "invalid_grant"
    case notOperator = "not_operator"
    case invalidParameter = "invalid_parameter"
    case invalidDenylist = "invalid_denylist"
}
