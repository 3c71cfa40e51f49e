import ArgumentParser
import Core
import Foundation
import Ledger
import Rewards
import Store

/// The network a benchmark runs: `depin init`'s five services with hourly epochs, the first of
/// them `pastEpochs` hours ago, written to DIRECTORY/network.toml with its keys beside it, and a
/// store bootstrapped on it.
struct BenchGenesis {
    let genesis: Genesis
    let path: String
    /// When epoch 0 began, Unix seconds.
    let startSeconds: Int64

    init(directory: String, pastEpochs: Int) throws {
        let now = Int64(Date().timeIntervalSince1970)
        startSeconds = now - now % 3_600 - Int64(pastEpochs) * 3_600
        path = directory + "/network.toml"
        genesis = try InitCommand.parse([
            "--token", "Bench Token", "--symbol", "BENCH", "--out", path, "--epoch-seconds", "3600", "--grace-seconds", "60",
            "--start", ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(startSeconds))),
        ]).makeGenesis(keyDirectory: directory)
        try genesis.toml.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Bootstraps `store` on the genesis, as the node would.
    func bootstrap(_ store: SQLNetworkStore) async throws {
        try await store.bootstrap(
            genesis: genesis, genesisHash: SHA256Digest.hex(Data(genesis.toml.utf8)), nowMs: startSeconds * 1000)
    }

    /// Closes epochs 0 to `count` − 1 with the real engine, every registered device paid for some
    /// usage and every owner paid out at `payout(owner)`, so that rewards, manifests and proofs
    /// exist for every device and owner.
    func closeEpochsPayingEveryone(_ count: Int, in store: SQLNetworkStore) async throws {
        let engine = EpochEngine(genesis: genesis)
        for epoch in 0..<Int64(count) {
            let begin = genesis.epochs.startMs(of: epoch)
            var input = try await store.epochInput(epoch: epoch, startMs: begin, endMs: begin + 3_600_000)
            for (index, device) in input.devices.enumerated() {
                input.usage[device.id.description] = Amount(UInt128(1 + index % 50))
                input.devices[index].payout = Self.payout(device.owner)
            }
            _ = try await store.commitEpoch(engine.close(input), nowMs: begin + 3_660_000)
        }
    }

    /// An owner's payout address in a benchmark, derived from its address.
    static func payout(_ owner: Address) -> EVMAddress {
        try! EVMAddress(bytes: SHA256Digest.hash(Data(owner.description.utf8)).prefix(20))
    }
}
