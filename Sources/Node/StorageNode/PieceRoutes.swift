import Core
import Foundation
import Hummingbird
import Storage
import Store

/// A storage node's pieces over HTTP. `PUT /pieces/{id}` stores a piece whose SHA-256 is its id,
/// on disk before the answer, and `DELETE` removes one, each with an order signed by the
/// orderer (`PieceOrderCheck`); `GET` returns it, or a byte range of it (`Range: bytes=a-b`);
/// `DELETE` removes it; `GET /pieces/{id}/audit?leaf=N` answers an audit with the leaf and its
/// Merkle path; `GET /status` tells capacity and use.
struct PieceRoutes {
    let store: PieceStore
    let maxPieceBytes: Int
    let orders: PieceOrderCheck

    struct Stored: Encodable {
        var id: String
        var bytes: Int
    }

    struct Audit: Encodable {
        var leaf: String
        var path: [String]
        var length: Int
        var leafSize: Int
    }

    struct Status: Encodable {
        /// The storage node's address, which orders name.
        var node: String
        var capacityBytes: Int64
        var usedBytes: Int64
        var freeBytes: Int64
    }

    func add(to router: Router<BasicRequestContext>) {
        router.put("/pieces/{id}") { request, context in
            let id = try Self.pieceID(context)
            try orders.check(request, action: "put", id: id)
            let body = try await WireBody.collect(request, limit: maxPieceBytes)
            let piece = Data(body.readableBytesView)
            try orders.check(request, action: "put", id: id, bytes: piece.count)
            guard SHA256Digest.hex(piece) == id else {
                throw NodeError(.badRequest, "piece_hash_mismatch", "the body's SHA-256 is not the piece id \(id)")
            }
            do { try store.put(piece) } catch let failure as PieceStoreError {
                let status: HTTPResponse.Status =
                    failure.code == .storageFull ? .init(code: 507, reasonPhrase: "Insufficient Storage") : .internalServerError
                throw NodeError(status, failure.code.rawValue, failure.message)
            }
            return try JSONBody.response(Stored(id: id, bytes: piece.count), status: .created)
        }
        router.get("/pieces/{id}") { request, context in
            let id = try Self.pieceID(context)
            var headers = HTTPFields()
            headers[.contentType] = "application/octet-stream"
            headers[.acceptRanges] = "bytes"
            if let text = request.headers[.range] {
                guard let total = store.size(id) else { throw Self.missing(id) }
                guard let range = Self.byteRange(text, size: total) else {
                    var error = NodeError(.rangeNotSatisfiable, "invalid_range", "\(text) is not a range within \(total) bytes")
                    error.headers[.contentRange] = "bytes */\(total)"
                    throw error
                }
                guard let part = store.get(id, range: range) else { throw Self.missing(id) }
                headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(total)"
                headers[.contentLength] = String(part.count)
                return Response(status: .partialContent, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: part)))
            }
            guard let piece = store.get(id) else { throw Self.missing(id) }
            headers[.contentLength] = String(piece.count)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: piece)))
        }
        router.delete("/pieces/{id}") { request, context in
            let id = try Self.pieceID(context)
            try orders.check(request, action: "delete", id: id)
            guard store.delete(id) else { throw Self.missing(id) }
            return Response(status: .noContent)
        }
        router.get("/pieces/{id}/audit") { request, context in
            let id = try Self.pieceID(context)
            guard let leaf = request.uri.queryParameters.get("leaf", as: Int.self), leaf >= 0 else {
                throw NodeError(.badRequest, "invalid_leaf", "leaf is a whole number")
            }
            let leafSize = request.uri.queryParameters.get("leaf_size", as: Int.self) ?? PieceCommitment.defaultLeafSize
            guard (64...(1 << 20)).contains(leafSize) else {
                throw NodeError(.badRequest, "invalid_leaf", "leaf_size is between 64 and 1048576 bytes")
            }
            guard store.contains(id) else { throw Self.missing(id) }
            guard let answer = store.answerAudit(id, leaf: leaf, leafSize: leafSize) else {
                throw NodeError(.badRequest, "invalid_leaf", "piece \(id) has no leaf \(leaf) of \(leafSize) bytes")
            }
            return try JSONBody.response(
                Audit(
                    leaf: Data(answer.leaf).base64EncodedString(), path: answer.path.map { $0.map { String(format: "%02x", $0) }.joined() },
                    length: answer.length, leafSize: leafSize))
        }
        router.get("/status") { _, _ in
            let used = store.usedBytes
            return try JSONBody.response(
                Status(
                    node: orders.node.address.description, capacityBytes: store.capacityBytes, usedBytes: used, freeBytes: max(store.capacityBytes - used, 0)))
        }
    }

    static func pieceID(_ context: BasicRequestContext) throws -> String {
        let id = context.parameters.get("id") ?? ""
        guard ContentStore.isAddress(id) else {
            throw NodeError(.badRequest, "invalid_piece_id", "a piece id is the piece's SHA-256: 64 lower-case hex digits")
        }
        return id
    }

    static func missing(_ id: String) -> NodeError { NodeError(.notFound, "piece_not_found", "no piece \(id) here") }

    /// A single `bytes=first-last`, `bytes=first-` or `bytes=-suffix` range within `size` bytes.
    static func byteRange(_ header: String, size: Int64) -> Range<Int>? {
        guard header.hasPrefix("bytes="), !header.contains(","), size > 0 else { return nil }
        let parts = header.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let (first, last) = (Int64(parts[0]), Int64(parts[1]))
        switch (parts[0].isEmpty, parts[1].isEmpty) {
        case (true, false):
            guard let suffix = last, suffix > 0 else { return nil }
            return Int(max(size - suffix, 0))..<Int(size)
        case (false, _):
            guard let first, first < size else { return nil }
            let end = parts[1].isEmpty ? size - 1 : min(last ?? -1, size - 1)
            guard end >= first else { return nil }
            return Int(first)..<Int(end + 1)
        default:
            return nil
        }
    }
}
