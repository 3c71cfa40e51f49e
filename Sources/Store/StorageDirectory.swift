import Core

/// Where the storage nodes are: each one's latest `storage_status` report, as accepted.
public protocol StorageDirectory: Sendable {
    /// Storage nodes by their latest announcement, newest first.
    func storageNodes(limit: Int) async throws -> [StorageNodeListing]
}
