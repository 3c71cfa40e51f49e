import Agent
import ArgumentParser
import Core
import Foundation
import Storage

/// `depin storage access-key`: an account's S3 access keys for the node's S3 gateway.
struct AccessKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access-key", abstract: "Create, list and delete an account's S3 access keys.",
        subcommands: [Create.self, List.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an access key pair for an account; the secret is shown once.")
        @OptionGroup var network: NodeOptions
        @Option(name: .long, help: "The account's key file.") var key = "account.key"
        @Flag(name: .long, help: "Print JSON (access_key_id, secret_access_key, account).") var json = false

        func run() async throws {
            let signer = try KeyFile.load(from: key)
            let request = AccessKeyRequest(action: "create", key: signer, timestampMs: Int64(Date().timeIntervalSince1970 * 1000))
            let reply = try await AccessKeyCommand.send(try network.client, "POST", "/v1/storage/access-keys", request)
            guard reply.status == 201, let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
                let id = object["access_key_id"] as? String, let secret = object["secret_access_key"] as? String
            else { throw CLIError("\(reply.errorCode ?? "http_\(reply.status)"): \(reply.errorMessage ?? "the node refused")") }
            if json {
                print(String(decoding: reply.body, as: UTF8.self))
            } else {
                print("access key id:     \(id)")
                print("secret access key: \(secret)")
                print("account:           \(signer.address)")
                print("The secret is not shown again. For the aws CLI: aws configure set aws_access_key_id \(id); aws configure set aws_secret_access_key …")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an account's access key ids.")
        @OptionGroup var network: NodeOptions
        @Option(name: .long, help: "The account's address.") var account: String

        func run() async throws {
            let reply = try await network.client.getting("/v1/storage/access-keys?account=\(account)")
            guard let keys = try? JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]] else {
                throw CLIError("the node's answer is not a list of keys")
            }
            if keys.isEmpty { print("\(account) has no access keys") }
            for entry in keys {
                let created = (entry["created_ms"] as? Int64).map { Date(timeIntervalSince1970: Double($0) / 1000) }
                print("\(entry["access_key_id"] as? String ?? "?")  created \(created.map { "\($0)" } ?? "?")")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete one of an account's access keys.")
        @OptionGroup var network: NodeOptions
        @Argument(help: "The access key id.") var id: String
        @Option(name: .long, help: "The account's key file.") var key = "account.key"

        func run() async throws {
            let signer = try KeyFile.load(from: key)
            let request = AccessKeyRequest(
                action: "delete", key: signer, timestampMs: Int64(Date().timeIntervalSince1970 * 1000), accessKeyID: id)
            let reply = try await AccessKeyCommand.send(try network.client, "DELETE", "/v1/storage/access-keys/\(id)", request)
            guard reply.status == 204 else {
                throw CLIError("\(reply.errorCode ?? "http_\(reply.status)"): \(reply.errorMessage ?? "the node refused")")
            }
            print("deleted access key \(id)")
        }
    }

    static func send(_ client: NodeClient, _ method: String, _ path: String, _ request: AccessKeyRequest) async throws
        -> NodeClient.Reply
    {
        let body = try JSONEncoder().encode(request)
        do {
            return method == "POST"
                ? try await client.post(path, body: body, contentType: "application/json") : try await client.delete(path, body: body)
        } catch {
            throw CLIError("cannot reach the node at \(client.baseURL): \(error.localizedDescription)")
        }
    }
}
