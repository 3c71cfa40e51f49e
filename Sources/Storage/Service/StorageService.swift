import Core
import Foundation
import Ledger
import Rewards

/// The storage network's service (Storj's and Filecoin's row). Storage nodes send heartbeats and
/// announce where they serve pieces and how much room they have (`storage_status`).
///
/// What a storage node earned from customers in the epoch (its usage: credits for the bytes it
/// held and served, paid only while it has passed audits and is not disqualified) is its work.
/// Its share of the storage pool is that, times the heartbeats it counted in the epoch (as
/// `UptimeService` counts them): a node paid for holding bytes it was mostly offline for earns
/// little of the pool. A node that holds nothing earns nothing, as on Storj.
public struct StorageService: NetworkService {
    public let name: String
    public let reportTypes: [String: Set<DeviceKind>]
    /// Its coding and repair rules.
    public let parameters: StorageParameters
    let uptime: UptimeService
    /// Seconds between a storage node's heartbeats (and its storage_status announcements).
    public var heartbeatSeconds: Int64 { uptime.intervalSeconds }

    /// The service for `service`'s genesis table; a bad parameter is an error naming its line.
    public init(service: Genesis.Service) throws(GenesisError) {
        name = service.name
        parameters = try StorageParameters(service: service)
        uptime = UptimeService(service: service)
        let kinds = Set(service.kinds)
        reportTypes = ["heartbeat": kinds, "storage_status": kinds]
    }

    public func validate(_ report: Report, kind: DeviceKind) -> String? {
        guard case .storageStatus(let status)? = report.body else { return uptime.validate(report, kind: kind) }
        guard status.url.utf8.count <= 200, let url = URL(string: status.url), ["http", "https"].contains(url.scheme ?? ""),
            url.host?.isEmpty == false
        else { return StorageReason.badURL.rawValue }
        guard status.capacityBytes > 0, status.usedBytes <= status.capacityBytes else { return StorageReason.badCapacity.rawValue }
        return nil
    }

    public func score(_ epoch: ServiceEpoch) -> [Address: ServiceScore] {
        let online = uptime.score(epoch)
        let cap = max(1, (epoch.endMs - epoch.startMs) / (uptime.intervalSeconds * 1_000))
        var scores: [Address: ServiceScore] = [:]
        for device in epoch.devices {
            let earned = epoch.paid[device.id.description] ?? .zero
            let heartbeats = online[device.id] ?? ServiceScore(shares: 0, counted: 0)
            guard earned > .zero || heartbeats.counted > 0 || !heartbeats.rejected.isEmpty else { continue }
            scores[device.id] = ServiceScore(
                shares: earned.units * UInt128(heartbeats.counted), counted: heartbeats.counted, rejected: heartbeats.rejected,
                multiplier: Self.decimal(Int64(heartbeats.counted), over: cap))
        }
        return scores
    }

    /// numerator / denominator as a decimal with four places, rounded down ("0.2500").
    static func decimal(_ numerator: Int64, over denominator: Int64) -> String {
        let permyriad = numerator * 10_000 / max(denominator, 1)
        let fraction = String(permyriad % 10_000)
        return "\(permyriad / 10_000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }
}
