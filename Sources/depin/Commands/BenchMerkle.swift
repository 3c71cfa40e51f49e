import ArgumentParser
import Core
import Foundation
import Rewards

extension BenchCommand {
    /// `depin bench merkle`: the settlement tree and every proof for many payees, and Keccak-256
    /// against pycryptodome's C in the same run.
    struct Merkle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merkle",
            abstract: "Build the settlement Merkle tree and every proof for many payees; Keccak-256 against native C.",
            discussion: """
                Times StandardMerkleTree over PAYEES leaves (two hashes a leaf, one a node) and the proof of every leaf \
                (each checked against the root for a sample), then Keccak-256 on the tree's work (64 bytes to 32, \
                chained) against pycryptodome's C Keccak called from a C loop (scripts/bench-keccak.py; needs python3 \
                with pycryptodome and a C compiler). Both sides must end on the same digest. The goal: within 2x of \
                the native one. Build with -c release for meaningful numbers.
                """)
        @Option(name: .long, help: "How many payees.") var payees = 1_000_000
        @Option(name: .long, help: "Chained hashes for the Keccak comparison.") var hashes = 1_000_000
        @Option(name: .long, help: "The repository's scripts folder.") var scripts = "scripts"

        func run() async throws {
            guard (1...20_000_000).contains(payees), (1_000...100_000_000).contains(hashes) else {
                throw CLIError("--payees is 1 to 20000000 and --hashes 1000 to 100000000")
            }
            var leaves: [StandardMerkleTree.Leaf] = []
            leaves.reserveCapacity(payees)
            for index in 0..<payees {
                var bytes = Data(count: 20)
                withUnsafeBytes(of: UInt64(index).bigEndian) { bytes.replaceSubrange(12..<20, with: $0) }
                bytes[0] = 0xD5
                leaves.append(.init(address: try EVMAddress(bytes: bytes), amount: Amount(UInt128(index + 1) * 1_000_000)))
            }
            let clock = ContinuousClock()
            var tree: StandardMerkleTree?
            let built = clock.measure { tree = StandardMerkleTree(leaves: leaves) }
            let root = tree!.root
            var proofNodes = 0
            var checked = 0
            let proven = clock.measure {
                for position in (payees - 1)..<(2 * payees - 1) {
                    let proof = StandardMerkleTree.proofPositions(from: position).map { tree!.digests[$0] }
                    proofNodes += proof.count
                }
            }
            for leaf in leaves.prefix(1_000) {
                guard let proof = tree!.proof(for: leaf), StandardMerkleTree.verify(leaf: leaf, proof: proof, root: root) else {
                    throw CLIError("a proof does not verify: the tree is wrong")
                }
                checked += 1
            }

            // Keccak-256 on the tree's work, chained: 64 bytes in, the digest into one half of the next input.
            var block = Data((0..<64).map { UInt8($0) })
            var digest = Data()
            let count = hashes
            let swiftElapsed = clock.measure {
                for index in 0..<count {
                    digest = block.withUnsafeBytes { Keccak256.hash($0) }
                    block.replaceSubrange((32 * (index & 1))..<(32 * (index & 1) + 32), with: digest)
                }
            }
            let native = try Self.native(count: hashes, scripts: scripts)
            guard native.digest == digest.hexString else {
                throw CLIError("the two Keccaks disagree: \(digest.hexString) against pycryptodome's \(native.digest)")
            }
            let treeHashes = 3 * payees - 1
            let buildSeconds = BenchCommand.Sim.seconds(built)
            let proofSeconds = BenchCommand.Sim.seconds(proven)
            let swiftRate = Double(hashes) / BenchCommand.Sim.seconds(swiftElapsed)
            let nativeRate = Double(hashes) / native.seconds
            print("payees: \(payees), root 0x\(root.hexString)")
            print(String(format: "tree: %.2f s (%d Keccak-256 hashes, %.0f a second, with sorting and indexing)", buildSeconds, treeHashes, Double(treeHashes) / buildSeconds))
            print(String(format: "every proof: %.2f s (%d sibling digests read; %d proofs checked against the root)", proofSeconds, proofNodes, checked))
            print(String(format: "root and all proofs: %.2f s", buildSeconds + proofSeconds))
            print(String(format: "keccak-256, 64 bytes in, chained %d times (the same last digest on both sides):", hashes))
            print(String(format: "  swift: %.0f hashes/s", swiftRate))
            print(String(format: "  pycryptodome %@ C, from a C loop: %.0f hashes/s", native.version, nativeRate))
            print(String(format: "  native / swift: %.2f (goal: at most 2)", nativeRate / swiftRate))
            print(String(format: "peak resident memory: %.0f MB", BenchCommand.Sim.peakResidentMB()))
        }

        static func native(count: Int, scripts: String) throws -> (seconds: Double, digest: String, version: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", scripts + "/bench-keccak.py", "\(count)"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0,
                let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                let seconds = json["seconds"] as? Double, let digest = json["digest"] as? String
            else { throw CLIError("the reference benchmark failed (needs python3 with pycryptodome and a C compiler)") }
            return (seconds, digest, json["pycryptodome"] as? String ?? "?")
        }
    }
}
