import Core
import Foundation
import PropertyBased
import Rewards
import Testing

@Suite struct MerklePropertyTests {
    static let leaves = Gen.uint64(in: 0...UInt64.max).array(of: 1...40)

    @Test func everyProofVerifiesAndNoAlteredLeafDoes() async {
        await propertyCheck(count: 30, input: Self.leaves) { seeds in
            let leaves = seeds.enumerated().map { index, seed in
                var bytes = Data(count: 12)
                withUnsafeBytes(of: seed.bigEndian) { bytes.append(contentsOf: $0) }
                bytes[0] = UInt8(truncatingIfNeeded: index)
                bytes[1] = UInt8(truncatingIfNeeded: index >> 8)
                return StandardMerkleTree.Leaf(address: try! EVMAddress(bytes: bytes), amount: Amount(UInt128(seed)))
            }
            let tree = StandardMerkleTree(leaves: leaves)
            for leaf in leaves {
                guard let proof = tree.proof(for: leaf) else {
                    Issue.record("no proof for a leaf in the tree")
                    continue
                }
                #expect(StandardMerkleTree.verify(leaf: leaf, proof: proof, root: tree.root))
                var altered = leaf
                altered.amount = Amount(leaf.amount.units &+ 1)
                #expect(!StandardMerkleTree.verify(leaf: altered, proof: proof, root: tree.root))
                if var first = proof.first {
                    first[0] ^= 1
                    #expect(!StandardMerkleTree.verify(leaf: leaf, proof: [first] + proof.dropFirst(), root: tree.root))
                }
            }
        }
    }
}
