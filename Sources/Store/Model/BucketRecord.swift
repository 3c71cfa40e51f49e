import Core

/// An S3 bucket and the account that owns it.
public struct BucketRecord: Sendable, Equatable {
    public var name: String
    public var owner: Address
    public var createdMs: Int64

    public init(name: String, owner: Address, createdMs: Int64) {
        self.name = name
        self.owner = owner
        self.createdMs = createdMs
    }
}
