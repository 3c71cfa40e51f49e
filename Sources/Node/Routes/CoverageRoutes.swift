import Core
import Coverage
import Foundation
import Hummingbird

/// The coverage network's node side: the entropy beacons must carry, and the reason codes.
struct CoverageRoutes {
    let state: NodeState

    struct EntropyView: Encodable {
        var interval: UInt64
        var timestampMs: Int64
        var oracle: String
        var signature: String
        /// SHA-256 of the signature: the entropy's value.
        var value: String
        /// The signed Entropy message, canonical protobuf bytes in hex, to embed in a Beacon.
        var wire: String
        /// When the next entropy is published.
        var nextMs: Int64
    }

    struct ReasonView: Encodable {
        var code: String
        var explanation: String
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/entropy") { _, _ in
            guard let coverage = state.coverage else {
                throw NodeError.coded("no_coverage_service", "this network runs no coverage service")
            }
            guard let oracle = state.oracleKey else {
                throw NodeError.coded("no_oracle_key", "this node holds no oracle key, so it cannot publish entropy")
            }
            let length = coverage.parameters.entropyIntervalSeconds * 1000
            let now = state.clock.nowMs()
            var entropy = Entropy()
            entropy.interval = UInt64(now / length)
            entropy.timestampMs = now / length * length
            entropy.sign(with: oracle)
            return try JSONBody.response(
                EntropyView(
                    interval: entropy.interval, timestampMs: entropy.timestampMs, oracle: oracle.address.description,
                    signature: entropy.signature.hexString, value: entropy.value.hexString,
                    wire: entropy.canonicalBytes.hexString, nextMs: entropy.timestampMs + length))
        }
        router.get("/v1/coverage/reasons") { _, _ in
            try JSONBody.response(CoverageReason.allCases.map { ReasonView(code: $0.rawValue, explanation: $0.explanation) })
        }
    }
}
