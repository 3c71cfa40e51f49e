/// Why a file could not be put on or got from storage nodes: a sentence for the operator.
public struct StorageClientError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
