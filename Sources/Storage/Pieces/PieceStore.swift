import Core
import Foundation
import Store
import Synchronization

/// The pieces a storage node holds: content-addressed files (a piece's id is the SHA-256 of its
/// bytes, so a corrupted piece is known by its hash), each on disk and synced before a put
/// returns, within the capacity the operator offers. Answers audits from the bytes on disk.
public final class PieceStore: Sendable {
    /// The most bytes the node holds.
    public let capacityBytes: Int64
    let content: ContentStore
    /// Bytes held. Puts go one at a time under this lock, so that two puts cannot both take the
    /// last free space, nor the same piece be counted twice.
    let used: Mutex<Int64>

    /// The pieces in `directory` (created when missing), counted from disk.
    public init(directory: String, capacityBytes: Int64) throws {
        self.capacityBytes = capacityBytes
        content = try ContentStore(directory: directory)
        used = Mutex(content.entries().reduce(0) { $0 + $1.size })
    }

    /// Bytes held now.
    public var usedBytes: Int64 { used.withLock { $0 } }

    /// Stores `piece` durably and returns its id. A piece already held is not stored or counted
    /// again. `storage_full` when it does not fit.
    @discardableResult
    public func put(_ piece: Data) throws(PieceStoreError) -> String {
        let id = SHA256Digest.hex(piece)
        return try used.withLock { (used: inout Int64) throws(PieceStoreError) -> String in
            if content.contains(id) { return id }
            guard used + Int64(piece.count) <= capacityBytes else {
                throw PieceStoreError(
                    .storageFull, "a piece of \(piece.count) bytes does not fit: \(used) of \(capacityBytes) bytes are used")
            }
            do { _ = try content.put(piece) } catch {
                throw PieceStoreError(.diskFailed, "cannot store the piece: \(error)")
            }
            used += Int64(piece.count)
            return id
        }
    }

    /// Piece `id`, or bytes `range` of it; nil when it is not held.
    public func get(_ id: String, range: Range<Int>? = nil) -> Data? {
        guard let range else { return content.get(id) }
        return content.read(id, range: range)
    }

    /// Piece `id`'s size in bytes, nil when it is not held.
    public func size(_ id: String) -> Int64? { content.size(id) }

    /// Whether piece `id` is held.
    public func contains(_ id: String) -> Bool { content.contains(id) }

    /// Deletes piece `id`; false when it was not held.
    @discardableResult
    public func delete(_ id: String) -> Bool {
        used.withLock { used in
            guard let size = content.remove(id) else { return false }
            used -= size
            return true
        }
    }

    /// The answer to an audit of leaf `leaf` of piece `id` in `leafSize` leaves: the leaf and
    /// its path to the piece's commitment. Nil when the piece is not held or has no such leaf.
    public func answerAudit(_ id: String, leaf: Int, leafSize: Int = PieceCommitment.defaultLeafSize) -> AuditAnswer? {
        guard let piece = content.get(id) else { return nil }
        let bytes = [UInt8](piece)
        let commitment = PieceCommitment(piece: bytes, leafSize: leafSize)
        guard (0..<commitment.leafCount).contains(leaf) else { return nil }
        let start = min(leaf * leafSize, bytes.count)
        return AuditAnswer(
            leaf: Array(bytes[start..<min(start + leafSize, bytes.count)]), path: commitment.path(leaf: leaf), length: bytes.count)
    }

    /// A storage node's answer to an audit: a leaf, its Merkle path, and the piece's length.
    public struct AuditAnswer: Sendable, Equatable {
        public var leaf: [UInt8]
        public var path: [Data]
        public var length: Int
    }
}
