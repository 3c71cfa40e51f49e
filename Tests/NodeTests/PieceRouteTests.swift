import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Node
import NIOCore
import Storage
import Testing

/// A storage node's pieces over HTTP: written only with an order signed by the orderer, for this
/// node, piece, action and size, not expired; stored by hash and on disk before the answer,
/// read whole and by range, refused when full or mislabelled, deleted, and audits answered with
/// a leaf and a path that verify against the piece's commitment.
@Suite struct PieceRouteTests {
    static let (node, orderer, stranger) = (SigningKey(), SigningKey(), SigningKey())
    static let nowMs: Int64 = 1_800_000_000_000

    /// An X-Depin-Order header.
    static func order(
        _ action: String, _ id: String, bytes: Int = 0, by signer: SigningKey = orderer, for storageNode: SigningKey = node,
        expiresMs: Int64 = nowMs + 60_000
    ) -> HTTPFields {
        var order = PieceOrder()
        order.pieceID = id
        order.action = action
        order.bytes = UInt64(bytes)
        order.storageNode = storageNode.publicKey.rawRepresentation
        order.expiresMs = expiresMs
        order.sign(with: signer)
        return [.init("X-Depin-Order")!: order.canonicalBytes.base64EncodedString()]
    }

    @Test func piecesAreStoredReadAuditedAndDeleted() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depin-storage-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = StorageNodeConfiguration(
            directory: directory, capacityBytes: 8_000, node: Self.node.publicKey, orderer: Self.orderer.publicKey)
        configuration.nowMs = { Self.nowMs }
        let store = try PieceStore(directory: directory + "/pieces", capacityBytes: configuration.capacityBytes)
        let router = StorageNodeApplication.makeRouter(store: store, configuration: configuration, logger: Logger(label: "test"))
        let app = Application(router: router)
        let piece = Data((0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        let id = SHA256Digest.hex(piece)
        try await app.test(.router) { client in
            // Writes need a good order: none, a stranger's, another node's, another piece's,
            // an expired one, one for another size, all refused and nothing stored.
            func put(_ headers: HTTPFields) async throws -> (HTTPResponse.Status, String?) {
                let answer = try await client.execute(uri: "/pieces/\(id)", method: .put, headers: headers, body: ByteBuffer(bytes: piece))
                return (answer.status, answer.status == .created ? nil : try object(answer.body)["error"] as? String)
            }
            #expect(try await put([:]) == (.unauthorized, "order_required"))
            #expect(try await put([.init("X-Depin-Order")!: "not base64!"]) == (.badRequest, "malformed_order"))
            #expect(try await put(Self.order("put", id, bytes: 5_000, by: Self.stranger)) == (.forbidden, "unknown_orderer"))
            #expect(try await put(Self.order("put", id, bytes: 5_000, for: Self.stranger)) == (.forbidden, "order_for_another_node"))
            #expect(try await put(Self.order("delete", id)) == (.forbidden, "order_mismatch"))
            #expect(try await put(Self.order("put", id, bytes: 5_000, expiresMs: Self.nowMs)) == (.unauthorized, "order_expired"))
            #expect(try await put(Self.order("put", id, bytes: 4_999)) == (.badRequest, "wrong_content_length"))
            #expect(store.usedBytes == 0 && !store.contains(id))
            #expect(try await put(Self.order("put", id, bytes: 5_000)) == (.created, nil))
            #expect(store.usedBytes == 5_000)
            // The wrong id for the body; a malformed id.
            let wrongID = String(repeating: "a", count: 64)
            let mislabelled = try await client.execute(
                uri: "/pieces/\(wrongID)", method: .put, headers: Self.order("put", wrongID, bytes: 5_000), body: ByteBuffer(bytes: piece))
            #expect(try mislabelled.status == .badRequest && object(mislabelled.body)["error"] as? String == "piece_hash_mismatch")
            #expect(try await client.execute(uri: "/pieces/xyz", method: .get).status == .badRequest)
            // Whole and ranged reads.
            let whole = try await client.execute(uri: "/pieces/\(id)", method: .get)
            #expect(whole.status == .ok && Data(whole.body.readableBytesView) == piece)
            let part = try await client.execute(uri: "/pieces/\(id)", method: .get, headers: [.range: "bytes=100-199"])
            #expect(part.status == .partialContent && part.headers[.contentRange] == "bytes 100-199/5000")
            #expect(Data(part.body.readableBytesView) == piece[100..<200])
            let tail = try await client.execute(uri: "/pieces/\(id)", method: .get, headers: [.range: "bytes=-10"])
            #expect(Data(tail.body.readableBytesView) == piece.suffix(10))
            let beyond = try await client.execute(uri: "/pieces/\(id)", method: .get, headers: [.range: "bytes=6000-"])
            #expect(beyond.status == .rangeNotSatisfiable && beyond.headers[.contentRange] == "bytes */5000")
            // Full: a second piece does not fit and is not stored.
            let other = Data(repeating: 9, count: 3_001)
            let otherID = SHA256Digest.hex(other)
            let full = try await client.execute(
                uri: "/pieces/\(otherID)", method: .put, headers: Self.order("put", otherID, bytes: 3_001), body: ByteBuffer(bytes: other))
            #expect(try full.status.code == 507 && object(full.body)["error"] as? String == "storage_full")
            #expect(!store.contains(SHA256Digest.hex(other)))
            let status = try object(try await client.execute(uri: "/status", method: .get).body)
            #expect(status["used_bytes"] as? Int == 5_000 && status["free_bytes"] as? Int == 3_000)
            // An audit answer verifies against the commitment; a leaf past the end does not exist.
            let root = PieceCommitment(piece: [UInt8](piece), leafSize: 1_024).root
            let audit = try object(try await client.execute(uri: "/pieces/\(id)/audit?leaf=4", method: .get).body)
            let leaf = [UInt8](try #require(Data(base64Encoded: audit["leaf"] as? String ?? "")))
            let path = (audit["path"] as? [String] ?? []).map { hex in
                Data(stride(from: 0, to: hex.count, by: 2).map { UInt8(hex.dropFirst($0).prefix(2), radix: 16)! })
            }
            #expect(leaf.count == 5_000 - 4 * 1_024)
            #expect(PieceCommitment.verify(root: root, length: 5_000, leafSize: 1_024, index: 4, leaf: leaf, path: path))
            #expect(try await client.execute(uri: "/pieces/\(id)/audit?leaf=5", method: .get).status == .badRequest)
            // Deleted with an order (not without), then gone.
            #expect(try await client.execute(uri: "/pieces/\(id)", method: .delete).status == .unauthorized)
            #expect(try await client.execute(uri: "/pieces/\(id)", method: .delete, headers: Self.order("delete", id)).status == .noContent)
            #expect(try await client.execute(uri: "/pieces/\(id)", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/pieces/\(id)", method: .delete, headers: Self.order("delete", id)).status == .notFound)
            #expect(store.usedBytes == 0)
        }
    }
}
