import Core

/// An S3 access key pair: what a customer's S3 client signs requests with, bound to the account
/// that created it, which owns its buckets and pays for them.
public struct AccessKey: Sendable, Equatable {
    /// The access key id, 20 upper-case letters and digits, as AWS's.
    public var id: String
    /// The secret access key (SigV4 is an HMAC, so the gateway keeps it).
    public var secret: String
    /// The account it acts for.
    public var account: Address
    public var createdMs: Int64

    public init(id: String, secret: String, account: Address, createdMs: Int64) {
        self.id = id
        self.secret = secret
        self.account = account
        self.createdMs = createdMs
    }
}
