import Compute
import Core
import Foundation
import Ledger
import Logging
import ServiceLifecycle
import Storage
import Store

/// Audits storage nodes and repairs segments, every `audit_interval_s`. An audit round asks
/// every storage node that holds pieces (and is not disqualified) for one leaf of one random
/// piece, the leaf drawn from the epoch's oracle-signed seed, and checks the answer against the
/// piece's Merkle root within `audit_timeout_s`; each result moves the node's Beta reputation,
/// and below the threshold the node is disqualified. A repair pass then rebuilds the pieces of
/// segments with fewer than `repair_threshold` pieces on healthy storage nodes.
struct StorageAuditor: Service {
    let gateway: S3Gateway
    let auditClient: StorageNodeClient
    let reputation: AuditReputation
    let repairer: SegmentRepairer

    init(gateway: S3Gateway) {
        self.gateway = gateway
        auditClient = StorageNodeClient(timeout: TimeInterval(gateway.parameters.auditTimeoutSeconds))
        reputation = AuditReputation(parameters: gateway.parameters)
        repairer = SegmentRepairer(gateway: gateway)
    }

    var state: NodeState { gateway.state }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await auditRound()
                    try await repairer.repairPass()
                    try await bill()
                } catch {
                    state.logger.warning("storage audit round failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: .seconds(gateway.parameters.auditIntervalSeconds))
            }
        }
    }

    /// One audit of one random piece on every storage node that holds pieces.
    func auditRound() async throws {
        let nowMs = state.clock.nowMs()
        let round = Int(nowMs / (gateway.parameters.auditIntervalSeconds * 1_000))
        let epoch = state.genesis.epochs.epoch(ofMs: nowMs)
        let seed = RenderSampling.seed(
            epoch: epoch, startMs: state.genesis.epochs.startMs(of: epoch), oracle: state.oracleKey,
            genesisHash: state.genesisHash)
        let addresses = try await gateway.pool.addresses(nowMs: nowMs)
        let disqualified = Set(try await state.store.reputations().filter { $0.disqualifiedMs != nil }.map(\.node))
        var targets: [PiecePlacement] = []
        for node in try await state.store.nodesHoldingPieces() where !disqualified.contains(node) {
            guard var piece = try await state.store.auditTargets(node: node, count: 1).first else { continue }
            piece.url = addresses[node] ?? piece.url
            targets.append(piece)
        }
        let client = auditClient
        let results = await withTaskGroup(of: (PiecePlacement, Int, String, String).self) { group in
            for piece in targets {
                let leaf = PieceAudit.challenge(
                    seed: seed, piece: piece.pieceID, round: round,
                    leafCount: PieceCommitment.leafCount(length: piece.bytes, leafSize: PieceCommitment.defaultLeafSize))
                group.addTask {
                    let (result, detail) = await Self.audit(piece, leaf: leaf, client: client)
                    return (piece, leaf, result, detail)
                }
            }
            var results: [(PiecePlacement, Int, String, String)] = []
            for await result in group { results.append(result) }
            return results
        }
        for (piece, leaf, result, detail) in results {
            // A piece deleted (its object overwritten or deleted) between the draw and the
            // answer is no longer the node's to keep: the audit does not count.
            if result == "failed", try await !state.store.holds(node: piece.node, pieceID: piece.pieceID) { continue }
            let rule = reputation
            let after = try await state.store.recordAudit(
                StorageAuditRecord(result: result, node: piece.node, pieceID: piece.pieceID, leaf: leaf, detail: detail, ms: nowMs),
                initial: rule.initial(piece.node)
            ) { rule.updated($0, result: result, nowMs: nowMs) }
            if result != "passed" {
                state.logger.info(
                    "storage audit not passed",
                    metadata: ["node": "\(piece.node)", "result": "\(result)", "detail": "\(detail)", "score": "\(after.score)"])
            }
            if after.disqualifiedMs == nowMs {
                state.logger.warning("storage node disqualified", metadata: ["node": "\(piece.node)", "score": "\(after.score)"])
                gateway.pool.invalidate()
            }
        }
    }

    /// Charges customers for the bytes they kept and downloaded since the last pass, and records
    /// what storage nodes earned as their usage in the current epoch: nodes that have passed an
    /// audit and are not disqualified, by bytes held and bytes served.
    func bill() async throws {
        guard let storage = state.storage else { return }
        let nowMs = state.clock.nowMs()
        let reputations = try await state.store.reputations()
        let known = Dictionary(reputations.map { ($0.node, $0) }) { first, _ in first }
        let unproven = try await state.store.nodesHoldingPieces().filter { !reputation.earns(known[$0]) }
        let disqualified = Set(reputations.filter { $0.disqualifiedMs != nil }.map(\.node)).union(unproven)
        let bill = try await state.store.chargeStorage(
            nowMs: nowMs, epoch: state.genesis.epochs.epoch(ofMs: nowMs), service: storage.name,
            creditsPerGBMonth: gateway.parameters.creditsPerGBMonth, creditsPerGBEgress: gateway.parameters.creditsPerGBEgress,
            excluded: disqualified)
        for charge in bill.charges where charge.unpaid > .zero {
            state.logger.warning(
                "storage charge not covered", metadata: ["account": "\(charge.account)", "unpaid": "\(charge.unpaid)"])
        }
    }

    /// The result of asking for `leaf` of `piece`: passed, failed (no piece, or an answer that
    /// does not prove against its root) or offline (no answer in time), and why.
    static func audit(_ piece: PiecePlacement, leaf: Int, client: StorageNodeClient) async -> (String, String) {
        let answer: StorageNodeClient.AuditAnswer?
        do { answer = try await client.audit(id: piece.pieceID, leaf: leaf, url: piece.url) } catch {
            return ("offline", error.description)
        }
        guard let answer else { return ("failed", "the node has no piece \(piece.pieceID.prefix(16)) or no leaf \(leaf)") }
        guard let bytes = Data(base64Encoded: answer.leaf), let root = Data(hex: piece.root) else {
            return ("failed", "the answer's leaf is not base64")
        }
        let path = answer.path.compactMap { Data(hex: $0) }
        guard path.count == answer.path.count,
            PieceCommitment.verify(
                root: root, length: piece.bytes, leafSize: PieceCommitment.defaultLeafSize, index: leaf, leaf: [UInt8](bytes), path: path)
        else { return ("failed", "leaf \(leaf) does not prove against the piece's root") }
        return ("passed", "leaf \(leaf) proved")
    }
}
