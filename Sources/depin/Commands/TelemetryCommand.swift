import Agent
import ArgumentParser
import Core
import Foundation
import Telemetry

/// `depin telemetry`: owners grant and revoke developers' access to their vehicles' and meters'
/// data; developers read it with a short-lived token (paid per read).
struct TelemetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telemetry", abstract: "Grant, revoke and read access to a vehicle's or meter's telemetry.",
        subcommands: [Grant.self, Revoke.self, Read.self])

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "As the owner: let an account read some of a device's data until a time.")
        @OptionGroup var node: NodeOptions
        @Option(name: .long, help: "The owner's key file.") var key = "depin.key"
        @Option(name: .long, help: "The device's address.") var device: String
        @Option(name: .long, help: "The account allowed.") var grantee: String
        @Option(
            name: .long, parsing: .singleValue,
            help: "current_location, approximate_location, location_history, live_data, diagnostic_codes or vin (repeatable).")
        var privilege: [String] = []
        @Option(name: .long, help: "Days the grant lasts (at most 365).") var days = 30.0

        func run() async throws {
            let signer = try KeyFile.load(from: key)
            let target = try parseAddress(device, "--device")
            guard !privilege.isEmpty else { throw CLIError("name at least one --privilege") }
            guard days > 0, days <= 365 else { throw CLIError("--days is more than 0 and at most 365") }
            let expires = nowMs() + Int64(days * 86_400_000)
            let entry = try await node.client.signAndSubmit(by: signer) {
                $0.grantAccess.device = target.publicKey.rawRepresentation
                $0.grantAccess.grantee = grantee
                $0.grantAccess.privileges = privilege
                $0.grantAccess.expiresMs = expires
            }
            print("granted \(grantee) \(privilege.joined(separator: ", ")) on \(device) until \(expires) ms, journal entry \(entry["sequence"] ?? "?")")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "As the owner: end an account's grant on a device.")
        @OptionGroup var node: NodeOptions
        @Option(name: .long, help: "The owner's key file.") var key = "depin.key"
        @Option(name: .long, help: "The device's address.") var device: String
        @Option(name: .long, help: "The account whose grant ends.") var grantee: String

        func run() async throws {
            let signer = try KeyFile.load(from: key)
            let target = try parseAddress(device, "--device")
            let entry = try await node.client.signAndSubmit(by: signer) {
                $0.revokeAccess.device = target.publicKey.rawRepresentation
                $0.revokeAccess.grantee = grantee
            }
            print("revoked \(grantee)'s grant on \(device), journal entry \(entry["sequence"] ?? "?")")
        }
    }

    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As a grantee: get a token for a device and read what the grant allows (paid per read); prints the JSON.")
        @OptionGroup var node: NodeOptions
        @Option(name: .long, help: "The grantee's key file.") var key = "depin.key"
        @Option(name: .long, help: "The device's address.") var device: String
        @Option(name: .long, help: "Privileges to read, comma-separated (default: all granted).") var fields: String?

        func run() async throws {
            let signer = try KeyFile.load(from: key)
            let target = try parseAddress(device, "--device")
            let client = try node.client
            let request = TelemetryTokenRequest(device: target, key: signer, timestampMs: nowMs())
            let issued = try await client.post("/v1/telemetry/tokens", body: try JSONEncoder().encode(request), contentType: "application/json")
            guard issued.status == 201, let json = try? JSONSerialization.jsonObject(with: issued.body) as? [String: Any],
                let token = json["token"] as? String
            else {
                throw CLIError("\(issued.errorCode ?? "http_\(issued.status)"): \(issued.errorMessage ?? "no token")")
            }
            let reply = try await client.getting(
                "/v1/telemetry/\(device)\(fields.map { "?fields=\($0)" } ?? "")", headers: ["Authorization": "Bearer \(token)"])
            print(String(decoding: reply.body, as: UTF8.self))
        }
    }
}
