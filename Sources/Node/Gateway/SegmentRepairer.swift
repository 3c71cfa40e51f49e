import Core
import Foundation
import Logging
import Storage
import Store

/// Repairs segments whose pieces on healthy storage nodes (online and not disqualified) fell
/// below `repair_threshold`: it fetches k good pieces, rebuilds the missing ones (the same rows
/// of the code, behind the segment's nonce), puts them on healthy storage nodes that hold no
/// piece of the segment, and records them in place of the lost ones, whose nodes are then told
/// to delete them.
struct SegmentRepairer: Sendable {
    let gateway: S3Gateway

    var state: NodeState { gateway.state }

    /// Repairs up to 100 of the least healthy segments; returns how many it repaired. The
    /// directory is read afresh, so nodes that joined since the last pass are used.
    @discardableResult
    func repairPass() async throws -> Int {
        let nowMs = state.clock.nowMs()
        gateway.pool.invalidate()
        let online = try await gateway.pool.candidates(pieceBytes: 0, nowMs: nowMs)
        let healthy = Set(online.map(\.device))
        let segments = try await state.store.segmentsNeedingRepair(
            healthy: healthy, threshold: gateway.parameters.repairThreshold, limit: 100)
        var repaired = 0
        for segment in segments where try await repair(segment, online: online) { repaired += 1 }
        return repaired
    }

    /// Rebuilds `segment`'s pieces that are not on `online` nodes, and those whose node answered
    /// without a good copy (gone, or failing its hash); false when it cannot.
    func repair(_ segment: SegmentLocation, online: [StorageNodeListing]) async throws -> Bool {
        // New homes: healthy nodes holding no piece of this segment. With none, nothing is fetched.
        let holders = Set(segment.pieces.map(\.node))
        var targets = online.filter { !holders.contains($0.device) }[...]
        guard !targets.isEmpty else { return false }
        let urls = Dictionary(online.map { ($0.device, $0.url) }) { first, _ in first }
        let kept = segment.pieces.filter { urls[$0.node] != nil }
        // k good pieces, with their nonce, from the healthy nodes.
        var fetched: [Int: Data] = [:]
        var bad: Set<Int> = []
        for piece in kept where fetched.count < segment.k {
            do {
                if let bytes = try await gateway.client.get(id: piece.pieceID, url: urls[piece.node] ?? piece.url),
                    bytes.count > BlobWriter.nonceBytes
                {
                    fetched[piece.index] = bytes
                } else {
                    bad.insert(piece.index)
                }
            } catch {
                // Unreachable for now: neither good nor known to be bad.
            }
        }
        guard fetched.count >= segment.k, let nonce = fetched.values.first?.prefix(BlobWriter.nonceBytes) else {
            state.logger.error(
                "segment cannot be repaired",
                metadata: ["blob": "\(segment.blob)", "segment": "\(segment.number)", "good": "\(fetched.count)", "k": "\(segment.k)"])
            return false
        }
        let code = try ErasureCode(k: segment.k, n: segment.n)
        let keptIndices = Set(kept.map(\.index)).subtracting(bad)
        let missing = (0..<segment.n).filter { !keptIndices.contains($0) }
        let rebuilt = try code.reconstruct(missing, from: fetched.mapValues { [UInt8]($0.dropFirst(BlobWriter.nonceBytes)) })
        var placements: [PiecePlacement] = []
        for index in missing {
            guard let coded = rebuilt[index] else { continue }
            let piece = Data(nonce) + Data(coded)
            let id = SHA256Digest.hex(piece)
            while let node = targets.popFirst() {
                do {
                    try await gateway.client.put(piece, id: id, url: node.url, node: node.device, orderer: gateway.orderer)
                    placements.append(
                        PiecePlacement(
                            index: index, pieceID: id, node: node.device, url: node.url,
                            root: PieceCommitment(piece: [UInt8](piece)).root.hexString, bytes: piece.count))
                    break
                } catch {
                    state.logger.info("repair passed over a storage node", metadata: ["node": "\(node.device)", "error": "\(error)"])
                }
            }
        }
        guard !placements.isEmpty else { return false }
        let replaced = try await state.store.replacePieces(blob: segment.blob, segment: segment.number, with: placements)
        gateway.discard(replaced)
        state.logger.info(
            "segment repaired",
            metadata: [
                "blob": "\(segment.blob)", "segment": "\(segment.number)", "rebuilt": "\(placements.count)",
                "healthy": "\(keptIndices.count + placements.count) of \(segment.n)", "bad": "\(bad.count)",
            ])
        return true
    }
}
