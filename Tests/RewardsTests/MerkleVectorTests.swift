import Core
import Foundation
import Rewards
import Testing

/// StandardMerkleTree against OpenZeppelin's published example and against vectors made by an
/// independent Python implementation of the same rule (scripts/merkle-vectors.py).
@Suite struct MerkleVectorTests {
    struct Case: Decodable {
        struct LeafCase: Decodable {
            var address: String
            var amount: String
            var hash: String
            var proof: [String]
        }

        var root: String
        var leaves: [LeafCase]
    }

    static func cases() throws -> [Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/merkle.json")
        return try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    }

    func leaf(_ address: String, _ amount: String) throws -> StandardMerkleTree.Leaf {
        StandardMerkleTree.Leaf(address: try EVMAddress(parsing: address), amount: try Amount(parsing: amount))
    }

    /// The example in OpenZeppelin's merkle-tree README.
    @Test func matchesOpenZeppelinsPublishedExample() throws {
        let tree = StandardMerkleTree(leaves: [
            try leaf("0x1111111111111111111111111111111111111111", "5000000000000000000"),
            try leaf("0x2222222222222222222222222222222222222222", "2500000000000000000"),
        ])
        #expect("0x" + tree.root.hexString == "0xd4dee0beab2d53f2cc83e567171bd2820e49898130a22622b10ead383e90bd77")
    }

    @Test func matchesTheIndependentImplementation() throws {
        let cases = try Self.cases()
        #expect(cases.count == 9)
        for testCase in cases {
            let leaves = try testCase.leaves.map { try leaf($0.address, $0.amount) }
            let tree = StandardMerkleTree(leaves: leaves)
            #expect("0x" + tree.root.hexString == testCase.root)
            for (leaf, expected) in zip(leaves, testCase.leaves) {
                #expect("0x" + leaf.hash.hexString == expected.hash)
                let proof = try #require(tree.proof(for: leaf))
                #expect(proof.map { "0x" + $0.hexString } == expected.proof)
                #expect(StandardMerkleTree.verify(leaf: leaf, proof: proof, root: tree.root))
            }
        }
    }
}
