import Core
import Coverage
import Ledger
import Rewards

/// The coverage pool paid with no checks at all: every beacon and every witness report counts
/// once, unscaled. What an attacker would earn if the rules did not exist; the adversary
/// scenarios measure the rules against it.
public struct UncheckedCoverageService: NetworkService {
    public let name: String
    public let reportTypes: [String: Set<DeviceKind>]
    let beaconPercent: UInt128

    /// The unchecked twin of `service`.
    public init(service: Genesis.Service, parameters: CoverageParameters) {
        name = service.name
        let kinds = Set(service.kinds)
        reportTypes = ["beacon": kinds, "witness": kinds, "packets": kinds, "heartbeat": kinds]
        beaconPercent = UInt128(parameters.beaconPercent)
    }

    public func score(_ epoch: ServiceEpoch) -> [Address: ServiceScore] {
        var beacons: [Address: UInt128] = [:]
        var witnesses: [Address: UInt128] = [:]
        for (device, reports) in epoch.reports {
            for report in reports {
                if report.typeName == "beacon" { beacons[device, default: 0] += 1 }
                if report.typeName == "witness" { witnesses[device, default: 0] += 1 }
            }
        }
        let beaconTotal = beacons.values.reduce(0, +)
        let witnessTotal = witnesses.values.reduce(0, +)
        var scores: [Address: ServiceScore] = [:]
        for device in Set(beacons.keys).union(witnesses.keys) {
            let b = beacons[device] ?? 0
            let w = witnesses[device] ?? 0
            let shares = beaconTotal == 0 || witnessTotal == 0
                ? b + w : b * beaconPercent * witnessTotal + w * (100 - beaconPercent) * beaconTotal
            scores[device] = ServiceScore(shares: shares, counted: Int(b + w))
        }
        return scores
    }
}
