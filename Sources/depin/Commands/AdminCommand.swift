import Agent
import ArgumentParser
import Core
import Foundation

/// `depin admin`: an operator's changes to a running network, signed by a key the genesis names
/// under `[operators]`. Each takes effect from the next epoch, and is recorded in the journal and
/// in every later epoch's inputs, so `depin epoch verify` still recomputes every root.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "As an operator: denylist devices and change service parameters, from the next epoch.",
        subcommands: [Show.self, Denylist.self, Allow.self, SetParameter.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the denylist and the changed parameters, now and from the next epoch, and every change.")
        @OptionGroup var node: NodeOptions
        @Flag(name: .long, help: "Print the node's JSON.") var json = false

        func run() async throws {
            let reply = try await node.client.getting("/v1/governance")
            if json {
                print(String(decoding: reply.body, as: UTF8.self))
                return
            }
            guard let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any] else {
                throw CLIError("the node's /v1/governance is not a JSON object")
            }
            let operators = object["operators"] as? [String] ?? []
            print("operators: \(operators.isEmpty ? "none (the genesis names no [operators])" : operators.joined(separator: ", "))")
            for (label, key) in [("in force", "current"), ("from the next epoch", "next")] {
                guard let rules = object[key] as? [String: Any] else { continue }
                let denylist = rules["denylist"] as? [[String: Any]] ?? []
                let parameters = rules["parameters"] as? [[String: Any]] ?? []
                print("\(label) (epoch \(rules["epoch"] ?? "?")): \(denylist.count) denylisted, \(parameters.count) parameters changed")
                for entry in denylist { print("  denylisted \(entry["device"] ?? "?")  \(entry["reason"] ?? "")") }
                for entry in parameters {
                    print("  \(entry["service"] ?? "?").\(entry["key"] ?? "?") = \(entry["value"] ?? "?")")
                }
            }
            let changes = object["changes"] as? [[String: Any]] ?? []
            print("changes: \(changes.count)")
            for change in changes {
                let target: String
                if let parameter = change["parameter"] as? [String: Any] {
                    target = "\(parameter["service"] ?? "?").\(parameter["key"] ?? "?") = \(parameter["value"] ?? "?")"
                } else {
                    target = "\(change["device"] ?? "?")"
                }
                print("  #\(change["sequence"] ?? "?") \(change["kind"] ?? "?") \(target) from epoch \(change["effective_epoch"] ?? "?") by \(change["signer"] ?? "?")")
            }
        }
    }

    struct Denylist: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a device on the denylist: from the next epoch it earns nothing and its reports count for nothing.")
        @OptionGroup var node: NodeOptions
        @Option(name: .long, help: "The operator's key file.") var key = "operator.key"
        @Option(name: .long, help: "Why, for the record (at most 200 characters).") var reason = ""
        @Argument(help: "The device's address.") var device: String

        func run() async throws {
            let entry = try await AdminCommand.denylist(device, listed: true, reason: reason, key: key, node: node)
            print("denylisted \(device) from the next epoch, journal entry \(entry["sequence"] ?? "?")")
        }
    }

    struct Allow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a device off the denylist, from the next epoch.")
        @OptionGroup var node: NodeOptions
        @Option(name: .long, help: "The operator's key file.") var key = "operator.key"
        @Option(name: .long, help: "Why, for the record (at most 200 characters).") var reason = ""
        @Argument(help: "The device's address.") var device: String

        func run() async throws {
            let entry = try await AdminCommand.denylist(device, listed: false, reason: reason, key: key, node: node)
            print("lifted \(device) from the denylist from the next epoch, journal entry \(entry["sequence"] ?? "?")")
        }
    }

    struct SetParameter: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-parameter",
            abstract: "Change a service parameter (or its pool weight, key 'weight') from the next epoch.",
            discussion: """
                The value is written as in the genesis file: 12, 0.5, '"text"', '[1, 2]'. The node refuses a
                change the service would not accept in its genesis table, naming why.
                """)
        @OptionGroup var node: NodeOptions
        @Option(name: .long, help: "The operator's key file.") var key = "operator.key"
        @Argument(help: "The service, as named in the genesis.") var service: String
        @Argument(help: "The parameter's key in [services.SERVICE], or weight.") var parameter: String
        @Argument(help: "The new value, as TOML.") var value: String

        func run() async throws {
            let signer = try KeyFile.load(from: key)
            let entry = try await node.client.signAndSubmit(by: signer) {
                $0.setServiceParameter.service = service
                $0.setServiceParameter.key = parameter
                $0.setServiceParameter.value = value
            }
            print("set \(service).\(parameter) = \(value) from the next epoch, journal entry \(entry["sequence"] ?? "?")")
        }
    }

    static func denylist(
        _ device: String, listed: Bool, reason: String, key: String, node: NodeOptions
    ) async throws -> [String: Any] {
        let signer = try KeyFile.load(from: key)
        let target = try parseAddress(device, "device")
        return try await node.client.signAndSubmit(by: signer) {
            $0.denylistDevice.device = target.publicKey.rawRepresentation
            $0.denylistDevice.listed = listed
            $0.denylistDevice.reason = reason
        }
    }
}
