import Agent
import ArgumentParser
import Core

/// `depin keys new|show|check`.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Make and read Ed25519 key files.",
        subcommands: [New.self, Show.self, Check.self])

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a new key file (mode 0600) and print its address.")
        @Option(name: .long, help: "Where to write the key.") var out = "depin.key"

        func run() async throws {
            let key = try KeyFile.create(at: out)
            print(key.address)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a key file's address and public key.")
        @Option(name: .long, help: "The key file.") var key = "depin.key"
        @Flag(name: .long, help: "Also print the public key in hex.") var verbose = false

        func run() async throws {
            let signingKey = try KeyFile.load(from: key)
            print(signingKey.address)
            if verbose { print("public key: \(signingKey.publicKey.hex)") }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check an address and print its public key.")
        @Argument(help: "An address, depin1…") var address: String

        func run() async throws {
            let parsed = try parseAddress(address, "address")
            print(parsed.publicKey.hex)
        }
    }
}
