import Agent
import ArgumentParser
import Core
import Foundation

/// `depin oracle price`: an oracle's side of the burn price feed.
struct OracleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oracle", abstract: "Oracle duties besides epoch roots.", subcommands: [Price.self])

    struct Price: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign and publish the burn price: credits made per whole token burned.")
        @OptionGroup var node: NodeOptions
        @Option(name: .long, help: "The oracle's key file.") var oracleKey: String
        @Option(name: .long, help: "Credits per whole token.") var creditsPerToken: String

        func run() async throws {
            let key = try KeyFile.load(from: oracleKey)
            do { _ = try Amount(parsing: creditsPerToken) } catch { throw CLIError("--credits-per-token: \(error.message)") }
            var quote = PriceQuote()
            quote.creditsPerToken = creditsPerToken
            quote.timestampMs = nowMs()
            quote.sign(with: key)
            let reply = try await node.client.post("/v1/credits/price", body: quote.canonicalBytes)
            guard reply.status == 200 else {
                throw CLIError("\(reply.errorCode ?? "http_\(reply.status)"): \(reply.errorMessage ?? "refused")")
            }
            print("burn price set: \(creditsPerToken) credits per token")
        }
    }
}
