import Core
import Foundation
import Storage

/// Puts a file on storage nodes as erasure-coded pieces, with orders signed by the orderer, and
/// gets it back from any k good pieces of each segment: the gateway's work, done from the
/// command line until the gateway lands.
public struct PieceClient: Sendable {
    /// A storage node: where it listens and its address (which orders name).
    public struct StorageNode: Sendable {
        public var url: URL
        public var address: Address
    }

    /// What a get found: pieces used, and pieces passed over because their node did not answer
    /// or their bytes did not match their id.
    public struct Retrieval: Sendable {
        public var data: Data
        public var used = 0
        public var unreachable = 0
        public var corrupt = 0
    }

    public var timeout: TimeInterval = 30

    /// A client.
    public init() {}

    /// The node at `url`, as it describes itself.
    public func node(at url: URL) async throws -> StorageNode {
        let reply: NodeClient.Reply
        do { reply = try await NodeClient(baseURL: url, timeout: timeout).get("/status") } catch {
            throw StorageClientError("cannot reach the storage node at \(url): \(error.localizedDescription)")
        }
        guard reply.status == 200, let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
            let text = object["node"] as? String, let address = try? Address(parsing: text)
        else { throw StorageClientError("\(url) is not a storage node (GET /status answered \(reply.status))") }
        return StorageNode(url: url, address: address)
    }

    /// Codes `data` into `code`'s pieces per segment of `segmentBytes` and puts piece i of
    /// segment s on node (i + s) mod count, so a segment's pieces are on distinct nodes.
    public func put(
        _ data: Data, name: String, code: ErasureCode, segmentBytes: Int, nodes: [StorageNode], orderer: SigningKey,
        progress: (Int, Int) -> Void = { _, _ in }
    ) async throws -> FileManifest {
        guard nodes.count >= code.n else {
            throw StorageClientError("a segment's \(code.n) pieces go to \(code.n) distinct storage nodes; \(nodes.count) given")
        }
        // One client (one URL session) per storage node, not one per piece.
        let clients = nodes.map { NodeClient(baseURL: $0.url, timeout: timeout) }
        var segments: [FileManifest.Segment] = []
        let starts = Array(stride(from: 0, to: max(data.count, 1), by: segmentBytes))
        for (number, start) in starts.enumerated() {
            let segment = [UInt8](data[start..<min(start + segmentBytes, data.count)])
            var pieces: [FileManifest.Piece] = []
            for (index, piece) in code.encode(segment).enumerated() {
                let place = (index + number) % nodes.count
                let node = nodes[place]
                let bytes = Data(piece)
                let id = SHA256Digest.hex(bytes)
                var order = PieceOrder()
                order.pieceID = id
                order.action = "put"
                order.bytes = UInt64(bytes.count)
                order.storageNode = node.address.publicKey.rawRepresentation
                order.expiresMs = Int64(Date().timeIntervalSince1970 * 1000) + 3_600_000
                order.sign(with: orderer)
                let reply: NodeClient.Reply
                do {
                    reply = try await clients[place].put(
                        "/pieces/\(id)", body: bytes, headers: ["X-Depin-Order": order.canonicalBytes.base64EncodedString()])
                } catch {
                    throw StorageClientError("cannot reach the storage node at \(node.url): \(error.localizedDescription)")
                }
                guard reply.status == 201 else {
                    throw StorageClientError("\(node.url) refused piece \(index): \(reply.errorCode ?? "http_\(reply.status)"): \(reply.errorMessage ?? "")")
                }
                pieces.append(.init(index: index, id: id, nodeURL: node.url.absoluteString, node: node.address.description))
            }
            segments.append(.init(length: segment.count, pieces: pieces))
            progress(number + 1, starts.count)
        }
        return FileManifest(
            name: name, length: data.count, sha256: SHA256Digest.hex(data), k: code.k, n: code.n, segmentBytes: segmentBytes,
            segments: segments)
    }

    /// The file `manifest` describes, from any k good pieces of each segment.
    public func get(_ manifest: FileManifest) async throws -> Retrieval {
        let code = try ErasureCode(k: manifest.k, n: manifest.n)
        var retrieval = Retrieval(data: Data())
        var clients: [String: NodeClient] = [:]
        for (number, segment) in manifest.segments.enumerated() {
            var good: [Int: [UInt8]] = [:]
            for piece in segment.pieces where good.count < code.k {
                if clients[piece.nodeURL] == nil, let url = URL(string: piece.nodeURL) {
                    clients[piece.nodeURL] = NodeClient(baseURL: url, timeout: timeout)
                }
                guard let client = clients[piece.nodeURL], let reply = try? await client.get("/pieces/\(piece.id)"),
                    reply.status == 200
                else {
                    retrieval.unreachable += 1
                    continue
                }
                guard SHA256Digest.hex(reply.body) == piece.id else {
                    retrieval.corrupt += 1
                    continue
                }
                good[piece.index] = [UInt8](reply.body)
            }
            guard good.count >= code.k else {
                throw StorageClientError(
                    "segment \(number) has \(good.count) good pieces of the \(code.k) needed (\(retrieval.unreachable) unreachable, \(retrieval.corrupt) corrupt so far)")
            }
            retrieval.used += good.count
            retrieval.data.append(contentsOf: try code.decode(good, length: segment.length))
        }
        guard SHA256Digest.hex(retrieval.data) == manifest.sha256 else {
            throw StorageClientError("the rebuilt file does not match its SHA-256 \(manifest.sha256)")
        }
        return retrieval
    }
}
