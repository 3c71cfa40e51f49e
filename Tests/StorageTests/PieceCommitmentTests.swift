import Foundation
import PropertyBased
import Storage
import Testing

/// A piece's Merkle commitment: every leaf's path verifies against the root, for every length
/// (odd levels included); a changed leaf, a changed sibling, the wrong place or a shortened path
/// does not. Audit draws are deterministic and spread over the leaves.
@Suite struct PieceCommitmentTests {
    @Test func everyLeafProvesAndNoForgeryDoes() async {
        await propertyCheck(count: 120, input: Gen.int(in: 0...9_000), Gen.int(in: 1...700), Gen.uint64(in: 0...UInt64.max)) {
            length, leafSize, seed in
            let piece = ErasureCodePropertyTests.bytes(length, seed: seed)
            let commitment = PieceCommitment(piece: piece, leafSize: leafSize)
            #expect(commitment.leafCount == PieceCommitment.leafCount(length: length, leafSize: leafSize))
            for index in Set([0, commitment.leafCount - 1, Int(seed % UInt64(commitment.leafCount))]) {
                let leaf = Array(piece[min(index * leafSize, length)..<min((index + 1) * leafSize, length)])
                let path = commitment.path(leaf: index)
                #expect(PieceCommitment.verify(root: commitment.root, length: length, leafSize: leafSize, index: index, leaf: leaf, path: path))
                if !leaf.isEmpty {
                    var changed = leaf
                    changed[0] ^= 1
                    #expect(!PieceCommitment.verify(root: commitment.root, length: length, leafSize: leafSize, index: index, leaf: changed, path: path))
                }
                if !path.isEmpty {
                    var forged = path
                    forged[0][0] ^= 1
                    #expect(!PieceCommitment.verify(root: commitment.root, length: length, leafSize: leafSize, index: index, leaf: leaf, path: forged))
                    #expect(!PieceCommitment.verify(root: commitment.root, length: length, leafSize: leafSize, index: index, leaf: leaf, path: path.dropLast()))
                }
                if commitment.leafCount > 1 {
                    let elsewhere = (index + 1) % commitment.leafCount
                    #expect(!PieceCommitment.verify(root: commitment.root, length: length, leafSize: leafSize, index: elsewhere, leaf: leaf, path: path))
                }
            }
        }
    }

    @Test func auditDrawsAreDeterministicAndSpread() {
        let seed = Data("epoch seed".utf8)
        #expect(PieceAudit.challenge(seed: seed, piece: "p1", round: 3, leafCount: 100) == PieceAudit.challenge(seed: seed, piece: "p1", round: 3, leafCount: 100))
        let draws = (0..<2_000).map { PieceAudit.challenge(seed: seed, piece: "p1", round: $0, leafCount: 10) }
        let counts = Dictionary(grouping: draws, by: { $0 }).mapValues(\.count)
        #expect(counts.count == 10 && counts.values.allSatisfy { (140...260).contains($0) }, "\(counts)")
        #expect(Set((0..<20).map { PieceAudit.challenge(seed: Data("other".utf8), piece: "p1", round: $0, leafCount: 1_000) })
            != Set((0..<20).map { PieceAudit.challenge(seed: seed, piece: "p1", round: $0, leafCount: 1_000) }))
    }
}
