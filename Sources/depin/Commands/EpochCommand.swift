import Agent
import ArgumentParser
import Core
import Foundation
import Ledger
import Node
import Rewards
import Store

/// `depin epoch list|show|verify|cosign`.
struct EpochCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "epoch", abstract: "Closed epochs: list, show, recompute, co-sign.",
        subcommands: [List.self, Show.self, Verify.self, Cosign.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List closed epochs, newest first.")
        @OptionGroup var node: NodeOptions
        @Option(name: .long, help: "How many.") var limit = 20

        func run() async throws {
            let reply = try await node.client.getting("/v1/epochs?limit=\(limit)")
            let epochs = (try? JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]]) ?? []
            print("epoch  minted  burned  final  root")
            for epoch in epochs {
                print(
                    "\(epoch["epoch"] ?? "")  \(epoch["minted"] ?? "")  \(epoch["burned"] ?? "")  "
                        + "\((epoch["final"] as? Bool) == true ? "yes" : "no")  \(epoch["root"] ?? "")")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a closed epoch.")
        @OptionGroup var node: NodeOptions
        @Argument(help: "The epoch number.") var epoch: Int64

        func run() async throws {
            let json = try await node.client.json("/v1/epochs/\(epoch)")
            for key in ["epoch", "root", "emission", "minted", "burned", "net_emission", "circulating_supply", "final", "quorum"] {
                print("\(key): \(json[key] ?? "")")
            }
            for (oracle, _) in (json["signatures"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
                print("signed by: \(oracle)")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute an epoch from its report log and registry snapshot and compare the root bit for bit.",
            discussion: """
                With --data-dir it reads the node's database directly; otherwise it fetches the epoch's \
                inputs from --node. Either way the computation runs here, from the genesis file given.
                """)
        @OptionGroup var node: NodeOptions
        @Argument(help: "The epoch number.") var epoch: Int64
        @Option(name: .long, help: "The genesis file.") var genesis = "network.toml"
        @Option(name: .long, help: "Read the node's data directory instead of asking the node.") var dataDir: String?
        @Option(name: .long, help: "Read the node's PostgreSQL database (postgres://…) instead of asking the node.")
        var databaseURL: String?

        func run() async throws {
            let (computed, published) = try await EpochCheck(genesisPath: genesis, node: node, dataDir: dataDir, databaseURL: databaseURL)
                .recompute(epoch: epoch)
            print("published root: \(published)")
            print("recomputed root: \(computed.root)")
            guard computed.root == published else {
                throw CLIError("epoch \(epoch) does not verify: the recomputed root differs")
            }
            print("epoch \(epoch) verifies: minted \(computed.minted), \(computed.devices.count) device reward(s)")
        }
    }

    struct Cosign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As an oracle: recompute an epoch from the node's inputs and, when the root matches, sign it.")
        @OptionGroup var node: NodeOptions
        @Argument(help: "The epoch number.") var epoch: Int64
        @Option(name: .long, help: "The genesis file.") var genesis = "network.toml"
        @Option(name: .long, help: "The oracle's key file.") var oracleKey: String

        func run() async throws {
            let key = try KeyFile.load(from: oracleKey)
            let (computed, published) = try await EpochCheck(genesisPath: genesis, node: node, dataDir: nil, databaseURL: nil)
                .recompute(epoch: epoch)
            guard computed.root == published else {
                throw CLIError("refusing to sign: the recomputed root \(computed.root) differs from \(published)")
            }
            guard let signature = EpochRootMessage.sign(epoch: epoch, root: computed.root, with: key) else {
                throw CLIError("the root is not 32 bytes of hex")
            }
            let body = try JSONSerialization.data(withJSONObject: ["oracle": key.address.description, "signature": signature])
            let client = try node.client
            let reply = try await client.post("/v1/epochs/\(epoch)/signatures", body: body, contentType: "application/json")
            guard reply.status == 200, let json = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any]
            else {
                throw CLIError("\(reply.errorCode ?? "http_\(reply.status)"): \(reply.errorMessage ?? "refused")")
            }
            let final = (json["final"] as? Bool) == true
            print("signed epoch \(epoch): \(json["signatures"] ?? "?") of \(json["quorum"] ?? "?") signatures\(final ? ", final" : "")")
        }
    }
}

/// Recomputes an epoch from a genesis file and the epoch's inputs, local or fetched.
struct EpochCheck {
    let genesisPath: String
    let node: NodeOptions
    let dataDir: String?
    let databaseURL: String?

    func recompute(epoch: Int64) async throws -> (EpochResult, String) {
        let text: String
        do { text = try String(contentsOfFile: genesisPath, encoding: .utf8) } catch {
            throw CLIError("cannot read the genesis file \(genesisPath)")
        }
        let genesis: Genesis
        do { genesis = try Genesis(toml: text) } catch { throw CLIError("\(genesisPath): \(error)") }
        let engine: EpochEngine
        do { engine = try ServiceCatalog.engine(for: genesis) } catch { throw CLIError("\(genesisPath): \(error)") }
        if dataDir != nil || databaseURL != nil {
            let store = try await StoreOpening.open(dataDir: dataDir ?? "./depin-data", databaseURL: databaseURL)
            guard let published = try await store.epoch(epoch) else { throw CLIError("epoch \(epoch) is not closed") }
            let input = try await store.epochInput(epoch: epoch, startMs: published.startMs, endMs: published.endMs)
            try await store.close()
            return (try Self.engine(engine, for: input).close(input), published.root)
        }
        let client = try node.client
        let health = try await client.json("/health")
        let localHash = SHA256Digest.hex(Data(text.utf8))
        guard health["genesis_hash"] as? String == localHash else {
            throw CLIError("the node runs another genesis than \(genesisPath)")
        }
        let summary = try await client.json("/v1/epochs/\(epoch)")
        guard let root = summary["root"] as? String else { throw CLIError("the node served no root for epoch \(epoch)") }
        let inputs = try await client.getting("/v1/epochs/\(epoch)/inputs")
        let input: EpochInput
        do { input = try JSONDecoder().decode(EpochInput.self, from: inputs.body) } catch {
            throw CLIError("the node's epoch inputs do not decode: \(error)")
        }
        return (try Self.engine(engine, for: input).close(input), root)
    }

    /// The engine for `input`'s epoch, with the operators' parameter changes it records applied.
    private static func engine(_ engine: EpochEngine, for input: EpochInput) throws -> EpochEngine {
        do { return try ServiceCatalog.engine(engine, for: input) } catch {
            throw CLIError("epoch \(input.epoch)'s parameter changes do not apply to the genesis: \(error)")
        }
    }
}
