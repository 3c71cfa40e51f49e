import Core
import Foundation
import Ledger
import Rewards

/// The coverage network's service module (Helium's row): hotspots earn from proof of coverage,
/// beacons and witnesses scaled by hex density, and from the data they carry for routers.
///
/// Report types: `beacon`, `witness`, `packets` (and `heartbeat`, accepted for liveness, paid
/// nothing). docs/coverage.md describes every rule and reason code.
public struct CoverageService: NetworkService {
    public let name: String
    public let reportTypes: [String: Set<DeviceKind>]
    /// The rules.
    public let parameters: CoverageParameters
    /// Oracle keys whose entropy beacons may use.
    public let oracles: Set<PublicKey>

    /// The coverage module for `service` in `genesis`; a bad parameter is an error naming its line.
    public init(service: Genesis.Service, genesis: Genesis) throws(GenesisError) {
        name = service.name
        let kinds = Set(service.kinds)
        reportTypes = ["beacon": kinds, "witness": kinds, "packets": kinds, "heartbeat": kinds]
        parameters = try CoverageParameters(service: service)
        oracles = Set(genesis.oracles)
    }

    /// Ingest-time checks: the fields a report must have, in their physical ranges.
    public func validate(_ report: Report, kind: DeviceKind) -> String? {
        switch report.body {
        case .beacon(let beacon)?:
            guard beacon.hasEntropy else { return "entropy_missing" }
            guard beacon.data.count == 32 else { return "beacon_data_invalid" }
            guard beacon.txPowerDbm.isFinite, (-30...40).contains(beacon.txPowerDbm) else { return "tx_power_out_of_range" }
            guard (1_000_000...100_000_000_000).contains(beacon.frequencyHz) else { return "frequency_out_of_range" }
        case .witness(let witness)?:
            guard witness.beaconer.count == 32, witness.beaconData.count == 32 else { return "beacon_unknown" }
            guard witness.rssiDbm.isFinite, (-200...0).contains(witness.rssiDbm) else { return "rssi_out_of_range" }
            guard witness.snrDb.isFinite, (-50...50).contains(witness.snrDb) else { return "snr_out_of_range" }
            guard witness.hasLocation, abs(witness.location.lat) <= 90, abs(witness.location.lng) <= 180 else {
                return "invalid_location"
            }
            guard (1_000_000...100_000_000_000).contains(witness.frequencyHz) else { return "frequency_out_of_range" }
        case .heartbeat(let heartbeat)?:
            guard heartbeat.agentVersion.count <= 64 else { return "agent_version_too_long" }
        case .packets(let packets)?:
            guard (try? Address(parsing: packets.router)) != nil else { return "router_invalid" }
            guard packets.payloadBytes > 0, packets.packets > 0, packets.reference.count <= 128 else {
                return "packets_invalid"
            }
        default:
            break
        }
        return nil
    }

    /// Shares of the proof-of-coverage part of the pool: beacons and witnesses weighted so that
    /// beacons take `beacon_percent` of it and witnesses the rest.
    public func score(_ epoch: ServiceEpoch) -> [Address: ServiceScore] {
        let poc = ProofOfCoverage(epoch: epoch, parameters: parameters, oracles: oracles)
        let beaconTotal = poc.outcomes.values.reduce(UInt128(0)) { $0 + $1.beaconUnits }
        let witnessTotal = poc.outcomes.values.reduce(UInt128(0)) { $0 + $1.witnessUnits }
        let beaconWeight = UInt128(parameters.beaconPercent)
        let witnessWeight = UInt128(100 - parameters.beaconPercent)
        var scores: [Address: ServiceScore] = [:]
        for (hotspot, outcome) in poc.outcomes {
            // b·p·W + w·(100−p)·B over every hotspot sums to p·B·W and (100−p)·W·B: the split
            // holds exactly whatever the totals. When one kind earned nothing the other takes all.
            let shares: UInt128
            if beaconTotal == 0 || witnessTotal == 0 {
                shares = outcome.beaconUnits + outcome.witnessUnits
            } else {
                shares = outcome.beaconUnits * beaconWeight * witnessTotal + outcome.witnessUnits * witnessWeight * beaconTotal
            }
            scores[hotspot] = ServiceScore(
                shares: shares, counted: outcome.beacons + outcome.witnesses, rejected: outcome.rejected,
                multiplier: Self.decimal(outcome.scale))
        }
        for device in epoch.devices {
            let packets = (epoch.reports[device.id] ?? []).filter { $0.typeName == "packets" }
            guard !packets.isEmpty else { continue }
            scores[device.id, default: ServiceScore(shares: 0, counted: 0)].counted += packets.count
        }
        return scores
    }

    /// Paid usage confirmed by the hotspot's own packet reports: a device earns for the credits
    /// routers paid it, up to the credits its signed packet reports claim (one per started block
    /// of `bytes_per_credit` payload bytes).
    public func confirmedUsage(_ epoch: ServiceEpoch, paid: [String: Amount]) -> [String: Amount] {
        var confirmed: [String: Amount] = [:]
        for device in epoch.devices {
            guard let credits = paid[device.id.description], credits > .zero else { continue }
            var claimed: UInt128 = 0
            for report in epoch.reports[device.id] ?? [] {
                guard case .packets(let packets)? = report.body else { continue }
                let bytes = UInt128(packets.payloadBytes)
                let block = UInt128(parameters.bytesPerCredit)
                claimed += (bytes + block - 1) / block
            }
            confirmed[device.id.description] = Amount(min(credits.units, claimed))
        }
        return confirmed
    }

    /// Parts per 10,000 as a decimal string, "1" for one.
    static func decimal(_ parts: UInt128) -> String {
        guard parts != HexDensity.one else { return "1" }
        let whole = parts / HexDensity.one
        var fraction = String(parts % HexDensity.one)
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(whole)" : "\(whole).\(fraction)"
    }
}
