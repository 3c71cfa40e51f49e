import Core
import Foundation
import Ledger
import Rewards

/// The storage network's service (Storj's and Filecoin's row). Storage nodes send heartbeats and
/// announce where they serve pieces and how much room they have (`storage_status`). Until audits
/// over the network land, a storage node's epoch share is its uptime, scored exactly as
/// `UptimeService` scores heartbeats; audited bytes held and bytes served will replace it.
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

    public func score(_ epoch: ServiceEpoch) -> [Address: ServiceScore] { uptime.score(epoch) }
}
