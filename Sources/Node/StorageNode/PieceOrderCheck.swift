import Core
import Foundation
import Hummingbird
import SwiftProtobuf

/// Checks the order that must come with every write to a storage node: signed by the orderer the
/// node trusts, for this node, this piece, this action (and for a put, this size), not expired.
struct PieceOrderCheck: Sendable {
    /// The orderer's key.
    let orderer: PublicKey
    /// This storage node's device key.
    let node: PublicKey
    let nowMs: @Sendable () -> Int64

    /// Throws the reason `request` may not `action` piece `id` of `bytes` bytes.
    func check(_ request: Request, action: String, id: String, bytes: Int? = nil) throws {
        // The order comes base64 of its protobuf encoding in X-Depin-Order.
        guard let text = request.headers[.init("X-Depin-Order")!] else {
            throw NodeError(.unauthorized, "order_required", "a \(action) needs a signed order in the X-Depin-Order header")
        }
        guard let data = Data(base64Encoded: text), let order = try? PieceOrder(serializedBytes: data) else {
            throw NodeError(.badRequest, "malformed_order", "X-Depin-Order is not a base64 PieceOrder")
        }
        let signer: PublicKey
        do { signer = try order.verifySignature() } catch {
            throw NodeError(.unauthorized, "bad_signature", "the order's signature does not verify")
        }
        guard signer == orderer else {
            throw NodeError(.forbidden, "unknown_orderer", "orders here are signed by \(orderer.address), not \(signer.address)")
        }
        guard order.storageNode == node.rawRepresentation else {
            throw NodeError(.forbidden, "order_for_another_node", "the order is for another storage node")
        }
        guard order.pieceID == id, order.action == action else {
            throw NodeError(.forbidden, "order_mismatch", "the order is to \(order.action) piece \(order.pieceID), not to \(action) \(id)")
        }
        guard order.expiresMs > nowMs() else {
            throw NodeError(.unauthorized, "order_expired", "the order expired at \(order.expiresMs) ms")
        }
        if let bytes, order.bytes != UInt64(bytes) {
            throw NodeError(.badRequest, "wrong_content_length", "the order is for \(order.bytes) bytes; the body has \(bytes)")
        }
    }
}
