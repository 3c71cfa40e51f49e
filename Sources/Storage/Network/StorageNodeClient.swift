import Core
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Talks to storage nodes' piece servers (`PieceRoutes`): puts and deletes pieces with orders
/// signed by the orderer, gets pieces back. One client keeps one URL session, so connections to
/// each node are reused across pieces.
public struct StorageNodeClient: Sendable {
    /// Why a transfer failed.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    private let session: URLSession
    /// How long an order stays good, milliseconds.
    public var orderLifetimeMs: Int64 = 3_600_000

    /// A client whose requests give up after `timeout` seconds.
    public init(timeout: TimeInterval = 30) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpMaximumConnectionsPerHost = 8
        session = URLSession(configuration: configuration)
    }

    /// An order for `node` to `action` ("put" or "delete") piece `id`, signed by `orderer`.
    public func order(_ action: String, piece id: String, bytes: Int, node: Address, orderer: SigningKey) -> PieceOrder {
        var order = PieceOrder()
        order.pieceID = id
        order.action = action
        order.bytes = UInt64(bytes)
        order.storageNode = node.publicKey.rawRepresentation
        order.expiresMs = Int64(Date().timeIntervalSince1970 * 1000) + orderLifetimeMs
        order.sign(with: orderer)
        return order
    }

    /// Puts `piece` (whose id is its SHA-256, hex) on the node at `url` whose address is `node`.
    public func put(_ piece: Data, id: String, url: String, node: Address, orderer: SigningKey) async throws(Failure) {
        let order = order("put", piece: id, bytes: piece.count, node: node, orderer: orderer)
        var request = try Self.request(url, "/pieces/\(id)", method: "PUT")
        request.httpBody = piece
        request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        request.setValue(order.canonicalBytes.base64EncodedString(), forHTTPHeaderField: "X-Depin-Order")
        let (status, body) = try await send(request, to: url)
        guard status == 201 else { throw Failure(description: "\(url) refused piece \(id.prefix(12)): \(Self.reason(status, body))") }
    }

    /// Piece `id` from the node at `url`, checked against its id; nil when the node does not
    /// have it or sends other bytes.
    public func get(id: String, url: String) async throws(Failure) -> Data? {
        let request = try Self.request(url, "/pieces/\(id)", method: "GET")
        let (status, body) = try await send(request, to: url)
        guard status == 200 else { return nil }
        return SHA256Digest.hex(body) == id ? body : nil
    }

    /// Deletes piece `id` from the node at `url`; true when it was there.
    @discardableResult
    public func delete(id: String, url: String, node: Address, orderer: SigningKey) async throws(Failure) -> Bool {
        let order = order("delete", piece: id, bytes: 0, node: node, orderer: orderer)
        var request = try Self.request(url, "/pieces/\(id)", method: "DELETE")
        request.setValue(order.canonicalBytes.base64EncodedString(), forHTTPHeaderField: "X-Depin-Order")
        let (status, body) = try await send(request, to: url)
        guard status == 204 || status == 404 else {
            throw Failure(description: "\(url) refused to delete piece \(id.prefix(12)): \(Self.reason(status, body))")
        }
        return status == 204
    }

    /// An audit's answer: the leaf's bytes and its Merkle path, as hex strings.
    public struct AuditAnswer: Sendable, Decodable {
        public var leaf: String
        public var path: [String]
        public var length: Int
        public var leafSize: Int

        enum CodingKeys: String, CodingKey {
            case leaf, path, length
            case leafSize = "leaf_size"
        }
    }

    /// The node's answer to an audit of leaf `leaf` of piece `id`; nil when it has no answer.
    public func audit(id: String, leaf: Int, url: String) async throws(Failure) -> AuditAnswer? {
        let request = try Self.request(url, "/pieces/\(id)/audit?leaf=\(leaf)", method: "GET")
        let (status, body) = try await send(request, to: url)
        guard status == 200 else { return nil }
        return try? JSONDecoder().decode(AuditAnswer.self, from: body)
    }

    private func send(_ request: URLRequest, to url: String) async throws(Failure) -> (Int, Data) {
        do {
            let (data, response) = try await session.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        } catch {
            throw Failure(description: "cannot reach the storage node at \(url): \(error.localizedDescription)")
        }
    }

    private static func request(_ base: String, _ path: String, method: String) throws(Failure) -> URLRequest {
        guard let url = URL(string: base.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path) else {
            throw Failure(description: "\(base) is not a URL")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        return request
    }

    private static func reason(_ status: Int, _ body: Data) -> String {
        let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
        let code = object?["error"] as? String ?? "http_\(status)"
        return object?["message"].map { "\(code): \($0)" } ?? code
    }
}
