import Core
import Foundation
import Ledger

/// Pays a service's pool by proof of uptime: one share per heartbeat at most every half
/// interval, up to one epoch's worth of intervals. It is the baseline the engine uses for any
/// service whose own module has not landed yet, like the baseline connection rewards networks
/// pay before usage exists.
///
/// Parameter: `heartbeat_interval_s` (default 300) in the service's genesis table.
/// Reason codes: `too_frequent` (a heartbeat within half an interval of the last counted one),
/// `over_epoch_cap` (more heartbeats than the epoch has intervals); at ingest,
/// `agent_version_too_long` (over 64 characters).
public struct UptimeService: NetworkService {
    public let name: String
    public let reportTypes: [String: Set<DeviceKind>]
    /// Seconds between heartbeats that each count.
    public let intervalSeconds: Int64

    /// The uptime scoring of `service`.
    public init(service: Genesis.Service) {
        name = service.name
        reportTypes = ["heartbeat": Set(service.kinds)]
        if case .integer(let seconds)? = service.parameters["heartbeat_interval_s"]?.value, seconds > 0 {
            intervalSeconds = seconds
        } else {
            intervalSeconds = 300
        }
    }

    public func validate(_ report: Report, kind: DeviceKind) -> String? {
        if case .heartbeat(let heartbeat)? = report.body, heartbeat.agentVersion.count > 64 {
            return "agent_version_too_long"
        }
        return nil
    }

    public func score(_ epoch: ServiceEpoch) -> [Address: ServiceScore] {
        let cap = max(1, (epoch.endMs - epoch.startMs) / (intervalSeconds * 1000))
        let spacing = intervalSeconds * 1000 / 2
        var scores: [Address: ServiceScore] = [:]
        scores.reserveCapacity(epoch.devices.count)
        for device in epoch.devices {
            // Each heartbeat's time and nonce, in that order: a million devices' reports are not
            // copied to be sorted.
            let reports = epoch.reports[device.id] ?? []
            var heartbeats: [(timestampMs: Int64, nonce: UInt64)] = []
            heartbeats.reserveCapacity(reports.count)
            for report in reports {
                if case .heartbeat? = report.body { heartbeats.append((report.timestampMs, report.nonce)) }
            }
            heartbeats.sort { ($0.timestampMs, $0.nonce) < ($1.timestampMs, $1.nonce) }
            var score = ServiceScore(shares: 0, counted: 0)
            var last: Int64?
            for heartbeat in heartbeats {
                if let last, heartbeat.timestampMs - last < spacing {
                    score.rejected["too_frequent", default: 0] += 1
                } else if score.counted >= cap {
                    score.rejected["over_epoch_cap", default: 0] += 1
                } else {
                    score.counted += 1
                    last = heartbeat.timestampMs
                }
            }
            score.shares = UInt128(score.counted)
            scores[device.id] = score
        }
        return scores
    }
}
