import Agent
import ArgumentParser
import Core
import Foundation
import Storage

/// `depin storage`: the storage network's commands.
struct StorageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage", abstract: "The storage network: S3 access keys, put and get files on storage nodes, sign orders.",
        subcommands: [AccessKeyCommand.self, Put.self, Get.self, Order.self])

    /// `depin storage put FILE`: erasure-code a file onto storage nodes.
    struct Put: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Code a file into pieces (any k of n rebuild each segment), put them on distinct storage nodes, write a manifest.")
        @OptionGroup var network: NodeOptions
        @Argument(help: "The file.") var file: String
        @Option(name: .long, help: "The storage nodes' URLs, comma-separated (at least n); by default those the node lists.")
        var nodes: String?
        @Option(name: .long, help: "Pieces that rebuild a segment.") var k = 4
        @Option(name: .long, help: "Pieces made from a segment.") var n = 6
        @Option(name: .long, help: "Segment size in MiB.") var segmentMib = 64
        @Option(name: .long, help: "The orderer's key file (the key the storage nodes trust).") var key = "orderer.key"
        @Option(name: .long, help: "Where to write the manifest (default FILE.manifest.json).") var out: String?

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
            guard (1...1_024).contains(segmentMib) else { throw CLIError("--segment-mib is between 1 and 1024") }
            let code: ErasureCode
            do { code = try ErasureCode(k: k, n: n) } catch { throw CLIError(error.message) }
            let urls = try await storageNodeURLs()
            let client = PieceClient()
            do {
                var storageNodes: [PieceClient.StorageNode] = []
                for url in urls { storageNodes.append(try await client.node(at: url)) }
                let manifest = try await client.put(
                    data, name: (file as NSString).lastPathComponent, code: code, segmentBytes: segmentMib << 20, nodes: storageNodes,
                    orderer: try KeyFile.load(from: key)
                ) { done, total in
                    FileHandle.standardError.write(Data("segment \(done) of \(total) stored\n".utf8))
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let path = out ?? file + ".manifest.json"
                try encoder.encode(manifest).write(to: URL(fileURLWithPath: path))
                print("stored \(data.count) bytes as \(manifest.segments.count) segments of \(n) pieces (any \(k) rebuild each); manifest \(path)")
            } catch let error as StorageClientError {
                throw CLIError(error.description)
            }
        }

        /// `--nodes`, or the storage nodes the network node lists (`GET /v1/storage/nodes`).
        func storageNodeURLs() async throws -> [URL] {
            if let nodes {
                return try nodes.split(separator: ",").map { text -> URL in
                    guard let url = URL(string: String(text)), url.scheme != nil else { throw CLIError("\(text) is not a URL") }
                    return url
                }
            }
            let reply: NodeClient.Reply
            do { reply = try await network.client.get("/v1/storage/nodes") } catch {
                throw CLIError("cannot reach the node at \(network.node): \(error.localizedDescription)")
            }
            guard reply.status == 200, let listed = try? JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]] else {
                throw CLIError("the node at \(network.node) lists no storage nodes (HTTP \(reply.status))")
            }
            return listed.compactMap { ($0["url"] as? String).flatMap(URL.init(string:)) }
        }
    }

    /// `depin storage get MANIFEST`: rebuild a file from its pieces.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild a file from any k good pieces of each segment (pieces that fail their hash are passed over).")
        @Argument(help: "The manifest `depin storage put` wrote.") var manifest: String
        @Option(name: .long, help: "Where to write the file.") var out: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: manifest) else { throw CLIError("cannot read \(manifest)") }
            let decoder = JSONDecoder()
            let described: FileManifest
            do { described = try decoder.decode(FileManifest.self, from: data) } catch {
                throw CLIError("\(manifest) is not a storage manifest: \(error)")
            }
            do {
                let retrieval = try await PieceClient().get(described)
                try retrieval.data.write(to: URL(fileURLWithPath: out))
                print(
                    "wrote \(retrieval.data.count) bytes to \(out), SHA-256 checked; pieces used \(retrieval.used), unreachable \(retrieval.unreachable), corrupt \(retrieval.corrupt)")
            } catch let error as StorageClientError {
                throw CLIError(error.description)
            } catch let error as ErasureError {
                throw CLIError(error.message)
            }
        }
    }

    /// `depin storage order`: a signed order, as the gateway makes them.
    struct Order: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign an order letting one storage node put or delete one piece; prints the X-Depin-Order header value.")
        @Option(name: .long, help: "The orderer's key file (the key the storage node trusts).") var key = "orderer.key"
        @Option(name: .long, help: "The storage node's address.") var storageNode: String
        @Option(name: .long, help: "The piece id (its SHA-256), or a file whose id and size to order.") var piece: String
        @Option(name: .long, help: "put or delete.") var action = "put"
        @Option(name: .long, help: "For put with a piece id: the piece's size in bytes.") var bytes: UInt64?
        @Option(name: .long, help: "Seconds until the order expires.") var ttl: Int64 = 3_600

        func run() async throws {
            guard ["put", "delete"].contains(action) else { throw CLIError("--action is put or delete") }
            guard ttl > 0 else { throw CLIError("--ttl is a positive number of seconds") }
            let node = try Address(parsing: storageNode)
            var order = PieceOrder()
            if let data = FileManager.default.contents(atPath: piece) {
                order.pieceID = SHA256Digest.hex(data)
                order.bytes = UInt64(data.count)
            } else {
                guard piece.count == 64, piece.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                    throw CLIError("--piece is a piece id (64 lower-case hex digits) or a readable file")
                }
                guard action == "delete" || bytes != nil else { throw CLIError("a put by piece id needs --bytes") }
                order.pieceID = piece
                order.bytes = bytes ?? 0
            }
            order.action = action
            order.storageNode = node.publicKey.rawRepresentation
            order.expiresMs = Int64(Date().timeIntervalSince1970 * 1000) + ttl * 1000
            order.sign(with: try KeyFile.load(from: key))
            print(order.canonicalBytes.base64EncodedString())
        }
    }
}
