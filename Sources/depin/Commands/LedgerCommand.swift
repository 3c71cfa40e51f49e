import ArgumentParser
import Core
import Foundation
import Ledger
import Store

/// `depin ledger verify`.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Audit the ledger.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay the journal from the database: check the hash chain and every signature, recompute every balance.",
            discussion: "Reads the node's data directory directly; it works whether the node runs or not.")
        @Option(name: .long, help: "The genesis file.") var genesis = "network.toml"
        @Option(name: .long, help: "The node's data directory.") var dataDir = "./depin-data"
        @Option(name: .long, help: "The node's PostgreSQL database (postgres://…), when it keeps its store there.")
        var databaseURL: String?

        func run() async throws {
            let text: String
            do { text = try String(contentsOfFile: genesis, encoding: .utf8) } catch {
                throw CLIError("cannot read the genesis file \(genesis)")
            }
            let parsed: Genesis
            do { parsed = try Genesis(toml: text) } catch { throw CLIError("\(genesis): \(error)") }
            let store = try await StoreOpening.open(dataDir: dataDir, databaseURL: databaseURL)
            let result = try await store.verifyLedger(rules: TransactionRules(genesis: parsed))
            try await store.close()
            print("journal entries: \(result.entries)")
            print("accounts: \(result.accounts)")
            guard result.isSound else {
                for problem in result.problems { print("problem: \(problem)") }
                throw CLIError("the ledger does not verify: \(result.problems.count) problem(s)")
            }
            print("ledger ok")
        }
    }
}
