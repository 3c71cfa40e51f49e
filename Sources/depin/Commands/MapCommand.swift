import Agent
import ArgumentParser
import Core
import Foundation

/// `depin map`: the mapping network's customer side. Bounties are signed transactions; map
/// queries are paid with credits through an access key (`depin storage access-key create`).
struct MapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Query the map (paid, with an access key), read map progress, post bounties on areas.",
        subcommands: [Coverage.self, Frames.self, Progress.self, Bounty.self, Bounties.self])

    /// `--access-key ID:SECRET`, or DEPIN_ACCESS_KEY.
    struct AccessKeyOption: ParsableArguments {
        @Option(name: .long, help: "ACCESS_KEY_ID:SECRET (or DEPIN_ACCESS_KEY); queries are paid from its account's credits.")
        var accessKey = ProcessInfo.processInfo.environment["DEPIN_ACCESS_KEY"] ?? ""

        var header: [String: String] {
            get throws {
                guard accessKey.contains(":") else {
                    throw CLIError("map queries are paid: give --access-key ACCESS_KEY_ID:SECRET (depin storage access-key create)")
                }
                return ["Authorization": "Bearer \(accessKey)"]
            }
        }
    }

    struct Coverage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The mapped road cells in a box, with their freshness, as GeoJSON (paid per cell).")
        @OptionGroup var node: NodeOptions
        @OptionGroup var key: AccessKeyOption
        @Option(name: .long, parsing: .unconditional, help: "WEST,SOUTH,EAST,NORTH in degrees (negative values welcome).") var bbox: String
        @Option(name: .long, help: "Write the GeoJSON here instead of a summary.") var out: String?

        func run() async throws {
            let reply = try await node.client.getting("/v1/map/coverage?bbox=\(bbox)", headers: try key.header)
            guard let json = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
                let features = json["features"] as? [[String: Any]]
            else { throw CLIError("the node's answer is not a GeoJSON FeatureCollection") }
            if let out {
                do { try reply.body.write(to: URL(fileURLWithPath: out)) } catch { throw CLIError("cannot write \(out): \(error)") }
            }
            let freshness = features.compactMap { ($0["properties"] as? [String: Any])?["freshness"] as? Double }
            let fresh = freshness.filter { $0 > 0 }.count
            print("\(features.count) mapped cell(s) as of epoch \(json["epoch"].map { "\($0)" } ?? "none"), \(fresh) fresh; charged \(json["credits_charged"] ?? 0) credits")
            if let out { print("wrote \(out)") }
        }
    }

    struct Frames: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The newest frames of one road cell (paid per query).")
        @OptionGroup var node: NodeOptions
        @OptionGroup var key: AccessKeyOption
        @Option(name: .long, help: "The road cell, an H3 index.") var cell: String

        func run() async throws {
            let reply = try await node.client.getting("/v1/map/frames?cell=\(cell)", headers: try key.header)
            guard let json = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
                let frames = json["frames"] as? [[String: Any]]
            else { throw CLIError("the node's answer has no frames") }
            print("cell \(cell): mapped by \(json["mapper"] ?? "?") at \(json["mapped_ms"] ?? "?") ms; charged \(json["credits_charged"] ?? 0) credits")
            for frame in frames {
                print("  \(frame["timestamp_ms"] ?? "?")  \(frame["lat"] ?? "?"),\(frame["lng"] ?? "?")  \(frame["sha256"] ?? "?")\((frame["uploaded"] as? Bool) == true ? "  \(frame["url"] ?? "")" : "  (not uploaded)")")
            }
        }
    }

    struct Progress: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A region's map progress over the last epochs: known and fresh cells, and the multiplier it earns.")
        @OptionGroup var node: NodeOptions
        @Argument(help: "The region, an H3 cell coarser than the road cells.") var region: String
        @Option(name: .long, help: "How many closed epochs, newest last.") var epochs = 10

        func run() async throws {
            let json = try await node.client.json("/v1/map/regions/\(region)?epochs=\(epochs)")
            print("region \(json["region"] ?? region) (resolution \(json["resolution"] ?? "?"))")
            print("epoch".padding(toLength: 10, withPad: " ", startingAt: 0) + "known   fresh   progress  multiplier")
            for row in json["epochs"] as? [[String: Any]] ?? [] {
                let progress = String(format: "%.1f%%", (row["progress"] as? Double ?? 0) * 100)
                print(
                    "\(row["epoch"] ?? "?")".padding(toLength: 10, withPad: " ", startingAt: 0)
                        + "\(row["known_cells"] ?? 0)".padding(toLength: 8, withPad: " ", startingAt: 0)
                        + "\(row["fresh_cells"] ?? 0)".padding(toLength: 8, withPad: " ", startingAt: 0)
                        + progress.padding(toLength: 10, withPad: " ", startingAt: 0) + "\(row["multiplier"] ?? "?")x")
            }
        }
    }

    struct Bounty: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Post a bounty: credits paid to whoever maps an area over the next epochs; what nobody earns comes back.")
        @OptionGroup var node: NodeOptions
        @Option(name: .long, help: "The customer's key file.") var key = "depin.key"
        @Option(name: .long, help: "The area: an H3 cell of resolution 5 to 10.") var area: String
        @Option(name: .long, help: "Credits, all epochs together.") var credits: String
        @Option(name: .long, help: "Epochs it runs, from the next one.") var epochs: UInt32 = 7
        @Option(name: .long, help: "The service, as named in the genesis.") var service = "mapping"

        func run() async throws {
            let signer = try KeyFile.load(from: key)
            do { _ = try Amount(parsing: credits) } catch { throw CLIError("--credits: \(error.message)") }
            let entry = try await node.client.signAndSubmit(by: signer) {
                $0.postBounty.service = service
                $0.postBounty.area = area.lowercased()
                $0.postBounty.credits = credits
                $0.postBounty.epochs = epochs
            }
            print("bounty \(entry["reference"] ?? "?") posted on \(area): \(credits) credits over \(epochs) epoch(s), journal entry \(entry["sequence"] ?? "?")")
        }
    }

    struct Bounties: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List bounties, newest first.")
        @OptionGroup var node: NodeOptions
        @Flag(name: .long, help: "Only those in force this epoch.") var active = false

        func run() async throws {
            let reply = try await node.client.getting("/v1/map/bounties\(active ? "?active=true" : "")")
            let list = (try? JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]]) ?? []
            if list.isEmpty { print("no bounties") }
            for bounty in list {
                print(
                    "\(bounty["id"] ?? "?")  area \(bounty["area"] ?? "?")  \(bounty["credits"] ?? "?") credits  epochs \(bounty["first_epoch"] ?? "?")+\(bounty["epochs"] ?? "?")  refunded \(bounty["refunded"] ?? "0")\((bounty["active"] as? Bool) == true ? "  active" : "")")
            }
        }
    }
}
