import Core
import Foundation
import Hummingbird
import Ledger
import Logging
import Prometheus
import Rewards
import Store

/// Closed epochs, their manifests and Merkle proofs, their inputs for recomputation, oracle
/// co-signatures, and each device's explained rewards.
struct EpochRoutes {
    let state: NodeState

    struct EpochView: Encodable {
        var epoch: Int64
        var startMs: Int64
        var endMs: Int64
        var root: String
        var emission: Amount
        var minted: Amount
        var burned: Amount
        var netEmission: String
        var circulatingSupply: Amount
        var final: Bool
        var quorum: Int
        var signatures: [String: String]
        var pools: [EpochResult.Pool]
        var devices: Int
    }

    struct ListedEpoch: Encodable {
        var epoch: Int64
        var root: String
        var emission: Amount
        var minted: Amount
        var burned: Amount
        var final: Bool
        var signatures: Int
        var closedMs: Int64
    }

    struct ManifestView: Encodable {
        var epoch: Int64
        var root: String
        var entries: [EpochResult.ManifestEntry]
    }

    struct ProofView: Encodable {
        var epoch: Int64
        var address: String
        var cumulative: Amount
        var proof: [String]
        var root: String
    }

    struct SignatureRequest: Decodable {
        var oracle: String
        var signature: String
    }

    struct SignatureView: Encodable {
        var epoch: Int64
        var signatures: Int
        var quorum: Int
        var final: Bool
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/epochs") { request, _ in
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 50, 1), 1_000)
            return try JSONBody.response(
                try await state.store.epochs(limit: limit).map {
                    ListedEpoch(
                        epoch: $0.epoch, root: $0.root, emission: $0.emission, minted: $0.minted, burned: $0.burned,
                        final: $0.signatures >= state.genesis.quorum, signatures: $0.signatures, closedMs: $0.closedMs)
                })
        }
        router.get("/v1/epochs/{epoch}") { _, context in
            let digest = try await closedDigest(context)
            let result = digest.summary
            let signatures = try await state.store.signatures(epoch: result.epoch)
            let history = try await state.store.epochs(limit: Int.max).filter { $0.epoch <= result.epoch }
            var supply = state.genesis.allocated
            for epoch in history {
                supply = (try? supply.adding(epoch.minted)) ?? supply
                supply = (try? supply.subtracting(epoch.burned)) ?? .zero
            }
            let net =
                result.minted >= result.burned
                ? (try? result.minted.subtracting(result.burned))?.description ?? "0"
                : "-" + ((try? result.burned.subtracting(result.minted))?.description ?? "0")
            return try JSONBody.response(
                EpochView(
                    epoch: result.epoch, startMs: result.startMs, endMs: result.endMs, root: result.root,
                    emission: result.emission, minted: result.minted, burned: result.burned, netEmission: net,
                    circulatingSupply: supply, final: signatures.count >= state.genesis.quorum,
                    quorum: state.genesis.quorum, signatures: signatures, pools: digest.pools,
                    devices: digest.devices))
        }
        router.get("/v1/epochs/{epoch}/manifest") { _, context in
            let result = try await closedEpoch(context)
            return try JSONBody.response(ManifestView(epoch: result.epoch, root: result.root, entries: result.manifest))
        }
        router.get("/v1/epochs/{epoch}/proofs/{address}") { _, context in
            let epoch = try epochNumber(context)
            let address: EVMAddress
            do throws(EVMAddressError) { address = try EVMAddress(parsing: context.parameters.get("address") ?? "") } catch {
                throw NodeError.coded("invalid_payout_address", error.description)
            }
            // The claim first (a hot read): whether the epoch is closed matters only without one.
            guard let claim = try await state.store.claim(epoch: epoch, payout: address) else {
                _ = try await closedDigest(context)
                throw NodeError.coded("not_in_manifest", "\(address) has nothing to claim in epoch \(epoch)")
            }
            return try JSONBody.response(
                ProofView(
                    epoch: epoch, address: address.description, cumulative: claim.cumulative,
                    proof: claim.proof.map { "0x" + $0.hexString }, root: claim.root))
        }
        router.get("/v1/epochs/{epoch}/inputs") { _, context in
            let result = try await closedEpoch(context)
            return try JSONBody.response(
                try await state.store.epochInput(epoch: result.epoch, startMs: result.startMs, endMs: result.endMs),
                convertKeys: false)
        }
        router.post("/v1/epochs/{epoch}/signatures") { request, context in
            let result = try await closedEpoch(context)
            let body = try await WireBody.collect(request, limit: 4_096)
            guard let signed = try? JSONDecoder().decode(SignatureRequest.self, from: Data(body.readableBytesView)) else {
                throw NodeError.coded("malformed_signature", "send {\"oracle\": ADDRESS, \"signature\": HEX}")
            }
            let oracle = try LedgerRoutes.address(signed.oracle)
            guard state.genesis.oracles.contains(oracle.publicKey) else {
                throw NodeError.coded("unknown_oracle", "\(oracle) is not an oracle of this network")
            }
            guard
                EpochRootMessage.verify(
                    epoch: result.epoch, root: result.root, oracle: oracle.publicKey, signature: signed.signature)
            else {
                throw NodeError.coded("bad_signature", "the signature is not \(oracle)'s over epoch \(result.epoch)'s root")
            }
            try await state.store.addSignature(epoch: result.epoch, oracle: oracle, signature: signed.signature)
            let count = try await state.store.signatures(epoch: result.epoch).count
            state.logger.info("epoch co-signed", metadata: ["epoch": "\(result.epoch)", "oracle": "\(oracle)"])
            return try JSONBody.response(
                SignatureView(
                    epoch: result.epoch, signatures: count, quorum: state.genesis.quorum,
                    final: count >= state.genesis.quorum))
        }
        router.get("/v1/devices/{id}/rewards") { request, context in
            let device = try LedgerRoutes.address(context.parameters.get("id") ?? "")
            var epoch: Int64?
            if let text = request.uri.queryParameters.get("epoch") {
                guard let number = Int64(text), number >= 0 else {
                    throw NodeError.coded("invalid_epoch", "epoch is a whole number, got \(text)")
                }
                epoch = number
            }
            guard let history = try await state.store.rewardHistory(of: device, epoch: epoch, recent: 10) else {
                throw NodeError.coded("device_not_found", "no device \(device) is registered")
            }
            if let epoch, history.lastClosed.map({ epoch > $0 }) ?? true {
                throw NodeError.coded("epoch_not_closed", "epoch \(epoch) is not closed")
            }
            let explained = history.epochs.map { DeviceRewardView(epoch: $0, reward: history.rewards[$0]) }
            return try JSONBody.response(explained)
        }
    }

    struct DeviceRewardView: Encodable {
        var epoch: Int64
        var reward: EpochResult.DeviceReward?
        var explanation: String

        init(epoch: Int64, reward: EpochResult.DeviceReward?) {
            self.epoch = epoch
            self.reward = reward
            guard let reward else {
                explanation = "no counted reports in this epoch"
                return
            }
            if let denied = reward.rejected["denylisted"], reward.counted == 0, reward.amount == .zero {
                explanation = "on the operators' denylist in this epoch: \(denied) report(s) not counted, nothing earned"
                return
            }
            var text = "\(reward.counted) report(s) counted for \(reward.shares) of \(reward.poolShares) shares "
            text += "in the \(reward.service) pool (multiplier \(reward.multiplier))"
            if !reward.rejected.isEmpty {
                text += "; not counted: " + reward.rejected.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                    .joined(separator: ", ")
            }
            explanation = text
        }
    }

    private func closedEpoch(_ context: BasicRequestContext) async throws -> EpochResult {
        let epoch = try epochNumber(context)
        guard let result = try await state.store.epoch(epoch) else {
            throw NodeError.coded("epoch_not_closed", "epoch \(epoch) is not closed (yet)")
        }
        return result
    }

    /// A closed epoch's digest, without decoding its whole result.
    private func closedDigest(_ context: BasicRequestContext) async throws -> EpochDigest {
        let epoch = try epochNumber(context)
        guard let digest = try await state.store.digest(epoch: epoch) else {
            throw NodeError.coded("epoch_not_closed", "epoch \(epoch) is not closed (yet)")
        }
        return digest
    }

    private func epochNumber(_ context: BasicRequestContext) throws -> Int64 {
        let text = context.parameters.get("epoch") ?? ""
        guard let epoch = Int64(text), epoch >= 0 else {
            throw NodeError.coded("invalid_epoch", "an epoch is a whole number, got \(text)")
        }
        return epoch
    }
}
