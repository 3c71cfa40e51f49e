import Core
import Foundation
import Storage
import Testing

/// A storage node's pieces on disk: stored by hash, read whole or by range, counted against the
/// capacity (once per piece, and again after a restart), deleted, and audits answered with a
/// leaf and a path that verify against the piece's commitment.
@Suite struct PieceStoreTests {
    func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("depin-pieces-\(UUID())").path
    }

    @Test func piecesAreStoredCountedReadAndDeleted() throws {
        let directory = folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try PieceStore(directory: directory, capacityBytes: 10_000)
        let piece = Data(ErasureCodePropertyTests.bytes(4_000, seed: 1))
        let id = try store.put(piece)
        #expect(try store.put(piece) == id && store.usedBytes == 4_000)
        #expect(store.get(id) == piece && store.get(id, range: 100..<164) == piece[100..<164])
        #expect(store.get(id, range: 3_990..<5_000) == piece[3_990...] && store.get(id, range: 5_000..<5_001) == nil)
        #expect(store.get(String(repeating: "0", count: 64)) == nil)
        // A second piece fits; a third does not, and is not stored.
        try store.put(Data(ErasureCodePropertyTests.bytes(5_000, seed: 2)))
        let third = Data(ErasureCodePropertyTests.bytes(1_001, seed: 3))
        #expect(throws: PieceStoreError(.storageFull, "a piece of 1001 bytes does not fit: 9000 of 10000 bytes are used")) {
            try store.put(third)
        }
        #expect(store.usedBytes == 9_000)
        // After a restart the count comes from disk.
        let reopened = try PieceStore(directory: directory, capacityBytes: 10_000)
        #expect(reopened.usedBytes == 9_000 && reopened.contains(id))
        #expect(reopened.delete(id) && !reopened.delete(id) && reopened.usedBytes == 5_000 && !reopened.contains(id))
        #expect(try reopened.put(third).count == 64)
    }

    @Test func auditsAreAnsweredWithAVerifiableLeaf() throws {
        let directory = folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try PieceStore(directory: directory, capacityBytes: 1 << 20)
        let bytes = ErasureCodePropertyTests.bytes(10_500, seed: 4)
        let id = try store.put(Data(bytes))
        let root = PieceCommitment(piece: bytes).root
        for leaf in [0, 5, 10] {
            let answer = try #require(store.answerAudit(id, leaf: leaf))
            #expect(
                PieceCommitment.verify(
                    root: root, length: answer.length, leafSize: PieceCommitment.defaultLeafSize, index: leaf, leaf: answer.leaf,
                    path: answer.path))
        }
        #expect(store.answerAudit(id, leaf: 11) == nil)
        #expect(store.answerAudit(String(repeating: "1", count: 64), leaf: 0) == nil)
    }
}
