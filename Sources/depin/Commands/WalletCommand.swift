import Agent
import ArgumentParser
import Core
import Foundation

/// `depin wallet balance|transfer|burn`.
struct WalletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wallet", abstract: "Balances, transfers and burns.",
        subcommands: [Balance.self, Transfer.self, Burn.self, Spend.self, Payout.self])

    struct Balance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print an account's tokens and credits.")
        @OptionGroup var node: NodeOptions
        @Argument(help: "The account's address (default: the key file's).") var address: String?
        @Option(name: .long, help: "A key file whose account to show.") var key = "depin.key"

        func run() async throws {
            let account = try address.map { try parseAddress($0, "address") } ?? KeyFile.load(from: key).address
            let client = try node.client
            let network = try await client.json("/v1/network")
            let decimals = (network["decimals"] as? NSNumber)?.intValue ?? 0
            let symbol = network["symbol"] as? String ?? ""
            let reply = try await client.get("/v1/accounts/\(account)")
            var tokens = Amount.zero
            var credits = Amount.zero
            var nonce = "0"
            if reply.status == 200, let object = try JSONSerialization.jsonObject(with: reply.body) as? [String: Any] {
                tokens = try Amount(parsing: object["tokens"] as? String ?? "0")
                credits = try Amount(parsing: object["credits"] as? String ?? "0")
                nonce = "\(object["nonce"] ?? 0)"
            } else if reply.status != 404 {
                throw CLIError("\(reply.errorCode ?? "http_\(reply.status)"): \(reply.errorMessage ?? "")")
            }
            print("account: \(account)")
            print("tokens: \(tokens.formatted(decimals: decimals)) \(symbol) (\(tokens) base units)")
            print("credits: \(credits)")
            print("nonce: \(nonce)")
        }
    }

    struct Transfer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send tokens to another account.")
        @OptionGroup var node: NodeOptions
        @Option(name: .long, help: "The sender's key file.") var key = "depin.key"
        @Option(name: .long, help: "The recipient's address.") var to: String
        @Option(name: .long, parsing: .unconditional, help: "The amount in base units.") var amount: String

        func run() async throws {
            let signer = try KeyFile.load(from: key)
            let recipient = try parseAddress(to, "--to")
            do { _ = try Amount(parsing: amount) } catch { throw CLIError("--amount: \(error.message)") }
            let client = try node.client
            var transfer = Core.Transfer()
            transfer.to = recipient.description
            transfer.amount = amount
            let entry = try await client.signAndSubmit(by: signer) { $0.transfer = transfer }
            print("sent \(amount) base units to \(recipient), journal entry \(entry["sequence"] ?? "?")")
        }
    }

    struct Burn: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Burn tokens into non-transferable credits.")
        @OptionGroup var node: NodeOptions
        @Option(name: .long, help: "The burner's key file.") var key = "depin.key"
        @Option(name: .long, parsing: .unconditional, help: "Tokens to burn, in base units.") var amount: String
        @Option(name: .long, help: "Refuse the burn if it makes fewer credits.") var minCredits: String?

        func run() async throws {
            let signer = try KeyFile.load(from: key)
            do { _ = try Amount(parsing: amount) } catch { throw CLIError("--amount: \(error.message)") }
            let client = try node.client
            let quote = try await client.json("/v1/credits/quote?tokens=\(amount)")
            var burn = Core.Burn()
            burn.amount = amount
            burn.minCredits = minCredits ?? (quote["credits"] as? String ?? "")
            let entry = try await client.signAndSubmit(by: signer) { $0.burn = burn }
            print("burned \(amount) base units for \(quote["credits"] ?? "?") credits, journal entry \(entry["sequence"] ?? "?")")
        }
    }

    struct Payout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the EVM address where your settled rewards can be claimed.")
        @OptionGroup var node: NodeOptions
        @Option(name: .long, help: "The owner's key file.") var key = "depin.key"
        @Option(name: .long, help: "The EVM payout address, 0x followed by 40 hex digits.") var address: String

        func run() async throws {
            let signer = try KeyFile.load(from: key)
            do { _ = try EVMAddress(parsing: address) } catch { throw CLIError("--address: \(error)") }
            let client = try node.client
            let entry = try await client.signAndSubmit(by: signer) { $0.setPayoutAddress.payoutAddress = address }
            print("payout address set to \(address), journal entry \(entry["sequence"] ?? "?")")
        }
    }

    struct Spend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pay devices in credits for service they delivered (usage that earns them a share of the pool).")
        @OptionGroup var node: NodeOptions
        @Option(name: .long, help: "The customer's key file.") var key = "depin.key"
        @Option(name: .long, help: "The service, as named in the genesis.") var service: String
        @Option(name: .long, parsing: .singleValue, help: "DEVICE=CREDITS (repeatable).") var charge: [String] = []
        @Option(name: .long, help: "A reference for your records.") var reference = ""

        func run() async throws {
            let signer = try KeyFile.load(from: key)
            guard !charge.isEmpty else { throw CLIError("give at least one --charge DEVICE=CREDITS") }
            var spend = SpendCredits()
            spend.service = service
            spend.reference = reference
            for text in charge {
                let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw CLIError("--charge is DEVICE=CREDITS, got \(text)") }
                var usage = UsageCharge()
                usage.device = try parseAddress(parts[0], "--charge").publicKey.rawRepresentation
                do { _ = try Amount(parsing: parts[1]) } catch { throw CLIError("--charge \(text): \(error.message)") }
                usage.credits = parts[1]
                spend.charges.append(usage)
            }
            let client = try node.client
            let entry = try await client.signAndSubmit(by: signer) { $0.spendCredits = spend }
            print("paid \(charge.count) device(s) for \(service), journal entry \(entry["sequence"] ?? "?")")
        }
    }
}
