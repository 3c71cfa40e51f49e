import Core
import Foundation
import Ledger

/// Who may read which device's telemetry: the grants owners made (by signed transactions), and
/// the node's secret for the short-lived access tokens it issues against them.
public protocol TelemetryAccess: Sendable {
    /// `grantee`'s grant on `device`, expired or not; nil when there is none (never made,
    /// revoked, or dropped by a transfer).
    func grant(device: PublicKey, grantee: Address) async throws -> AccessGrant?
    /// Every grant on `device`.
    func grants(device: PublicKey) async throws -> [AccessGrant]
    /// The node's 32-byte secret for signing access tokens, made on first use and kept.
    func tokenSecret() async throws -> Data
}
