import Core
import Ledger
import Store

/// Which report types a node takes and from which device kinds, and the time window. The types
/// come from the services (`EpochEngine.reportTypes`).
public struct ReportAdmission: Sendable {
    /// Report type name to the kinds that may send it.
    public var allowedKinds: [String: Set<DeviceKind>]
    /// The genesis (epoch timing, report windows).
    public let genesis: Genesis

    /// Admission under `genesis` for the report types in `allowedKinds` (the epoch engine's).
    public init(genesis: Genesis, allowedKinds: [String: Set<DeviceKind>]) {
        self.genesis = genesis
        self.allowedKinds = allowedKinds
    }

    /// The epoch that `timestampMs` falls in.
    public func epoch(ofMs timestampMs: Int64) -> Int64 {
        genesis.epochs.epoch(ofMs: timestampMs)
    }

    /// Checks what needs no database: the signature, the type and the time window.
    public func verify(_ report: Report, nowMs: Int64) -> Result<VerifiedReport, NodeError> {
        let device: PublicKey
        do { device = try report.verifySignature() } catch {
            let code = error.code == .malformedKey ? "malformed_report" : "bad_signature"
            return .failure(.coded(code, error.message))
        }
        guard let type = report.typeName else {
            return .failure(.coded("unknown_report_type", "the report has no body of a type this node knows"))
        }
        guard allowedKinds[type] != nil else {
            return .failure(.coded("unknown_report_type", "this node takes no \(type) reports"))
        }
        guard report.nonce > 0, report.nonce <= UInt64(Int64.max) else {
            return .failure(.coded("malformed_report", "a nonce is between 1 and 2^63 - 1"))
        }
        if case .heartbeat(let heartbeat)? = report.body, heartbeat.hasLocation {
            let fix = heartbeat.location
            guard fix.lat.isFinite, fix.lng.isFinite, abs(fix.lat) <= 90, abs(fix.lng) <= 180 else {
                return .failure(.coded("invalid_location", "a location fix is within ±90° latitude and ±180° longitude"))
            }
        }
        if report.timestampMs > nowMs + Int64(genesis.reports.maxFutureSeconds) * 1000 {
            return .failure(.coded("timestamp_in_future", "the report is dated after the node's clock allows"))
        }
        if report.timestampMs < nowMs - Int64(genesis.reports.maxAgeSeconds) * 1000 {
            return .failure(
                .coded(
                    "timestamp_too_old", "the report is older than \(genesis.reports.maxAgeSeconds) seconds"))
        }
        if report.timestampMs < genesis.epochs.startTime * 1000 {
            return .failure(.coded("timestamp_before_genesis", "the report is dated before the network started"))
        }
        let reportEpoch = epoch(ofMs: report.timestampMs)
        if genesis.epochs.endMs(of: reportEpoch) + Int64(genesis.epochs.graceSeconds) * 1000 <= nowMs {
            // Once an epoch is due its input is frozen, closed yet or not, so that every close of it
            // (after a crash too) and every recomputation sees the same reports.
            return .failure(
                .coded("epoch_closed", "epoch \(reportEpoch) ended more than its grace period ago; its reports no longer count"))
        }
        return .success(VerifiedReport(report: report, device: device, type: type, epoch: reportEpoch))
    }
}
