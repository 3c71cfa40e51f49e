import ArgumentParser
import Foundation
import Ledger

/// `depin genesis check FILE`.
struct GenesisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genesis", abstract: "Check a genesis file.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a genesis file; print the line and reason of the first problem.")
        @Argument(help: "The genesis file.") var file = "network.toml"

        func run() async throws {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw CLIError("cannot read \(file)")
            }
            do {
                let genesis = try Genesis(toml: text)
                print("\(file): ok (\(genesis.token.name), \(genesis.services.count) services)")
            } catch {
                throw CLIError("\(file): \(error)")
            }
        }
    }
}
