import Core
import Foundation

/// A Merkle tree built exactly as OpenZeppelin's `StandardMerkleTree` builds one for the leaf
/// type `(address, uint256)`, so that standard EVM tooling (OpenZeppelin's `MerkleProof`)
/// verifies its proofs:
///
/// - leaf = keccak256(keccak256(abi.encode(address, uint256)));
/// - leaves sorted ascending by hash;
/// - the tree is an array of 2n - 1 nodes with the leaves at the end in reverse order and
///   node i = hashPair(node 2i + 1, node 2i + 2), where hashPair hashes the two sorted.
public struct StandardMerkleTree: Sendable {
    /// One claim: a payout address and its cumulative amount.
    public struct Leaf: Sendable, Equatable, Hashable {
        /// The payout address.
        public var address: EVMAddress
        /// The cumulative amount claimable, in base units.
        public var amount: Amount

        /// A leaf.
        public init(address: EVMAddress, amount: Amount) {
            self.address = address
            self.amount = amount
        }

        /// keccak256(keccak256(abi.encode(address, uint256))).
        public var hash: Data { digest.data }

        /// The same as a `Digest256`: abi.encode's two words are eight 64-bit words (the
        /// address right-aligned in the first, the amount in the last two).
        public var digest: Digest256 {
            let address = Digest256(Data(count: 12) + self.address.bytes)!
            var words = (
                address.w0, address.w1, address.w2, address.w3, UInt64(0), UInt64(0),
                UInt64(truncatingIfNeeded: amount.units >> 64), UInt64(truncatingIfNeeded: amount.units)
            )
            let inner = withUnsafeBytes(of: &words) { Keccak256.hash(words: $0.assumingMemoryBound(to: UInt64.self)) }
            var once = (inner.w0, inner.w1, inner.w2, inner.w3)
            return withUnsafeBytes(of: &once) { Keccak256.hash(words: $0.assumingMemoryBound(to: UInt64.self)) }
        }
    }

    /// The nodes, root first.
    public var nodes: [Data] { digests.map(\.data) }
    /// The nodes as digests, root first.
    public let digests: [Digest256]
    /// The tree index of each leaf's hash.
    private let positions: [Digest256: Int]

    /// A tree over `leaves` (order does not matter: leaves are sorted by hash).
    public init(leaves: [Leaf]) {
        let hashes = leaves.map(\.digest).sorted()
        guard !hashes.isEmpty else {
            digests = []
            positions = [:]
            return
        }
        var tree = [Digest256](repeating: Digest256(0, 0, 0, 0), count: 2 * hashes.count - 1)
        var positions: [Digest256: Int] = [:]
        positions.reserveCapacity(hashes.count)
        for (index, hash) in hashes.enumerated() {
            tree[tree.count - 1 - index] = hash
            positions[hash] = tree.count - 1 - index
        }
        var index = tree.count - 1 - hashes.count
        while index >= 0 {
            tree[index] = Self.hashPair(tree[2 * index + 1], tree[2 * index + 2])
            index -= 1
        }
        digests = tree
        self.positions = positions
    }

    /// The root; 32 zero bytes for an empty tree.
    public var root: Data { digests.first?.data ?? Data(count: 32) }

    /// The sibling hashes from `leaf` up to the root, or nil when the leaf is not in the tree.
    public func proof(for leaf: Leaf) -> [Data]? {
        position(of: leaf).map { Self.proofPositions(from: $0).map { digests[$0].data } }
    }

    /// Where `leaf` sits in `nodes`, or nil when it is not in the tree.
    public func position(of leaf: Leaf) -> Int? { positions[leaf.digest] }

    /// The positions in `nodes` of the proof of the leaf at `position`, leaf's sibling first: a
    /// store that keeps the nodes reads only these to prove a claim.
    public static func proofPositions(from position: Int) -> [Int] {
        var index = position
        var siblings: [Int] = []
        while index > 0 {
            siblings.append(index % 2 == 1 ? index + 1 : index - 1)
            index = (index - 1) / 2
        }
        return siblings
    }

    /// Whether `proof` proves `leaf` under `root` (OpenZeppelin `MerkleProof.verify`).
    public static func verify(leaf: Leaf, proof: [Data], root: Data) -> Bool {
        var hash = leaf.hash
        for node in proof { hash = hashPair(hash, node) }
        return hash == root
    }

    /// keccak256 of the two hashes concatenated, smaller first.
    public static func hashPair(_ a: Data, _ b: Data) -> Data {
        a.precedesBytewise(b) ? Keccak256.hash(a, b) : Keccak256.hash(b, a)
    }

    /// The same for digests.
    public static func hashPair(_ a: Digest256, _ b: Digest256) -> Digest256 {
        a < b ? Keccak256.hash(a, b) : Keccak256.hash(b, a)
    }
}
