import Core
import Foundation
import Geo
import Rewards

/// One epoch's proof of coverage: which beacons and witnesses count, which do not and why, and
/// the reward units each hotspot earns after hex density scaling. A pure function of the
/// parameters, the trusted oracle keys and the epoch's devices and reports.
public struct ProofOfCoverage: Sendable {
    /// A hotspot's outcome.
    public struct Outcome: Sendable, Equatable {
        /// Beacons that counted.
        public var beacons = 0
        /// Witness reports that counted (selected for a counted beacon).
        public var witnesses = 0
        /// Beacon units after scaling, in parts per 10,000 of a beacon.
        public var beaconUnits: UInt128 = 0
        /// Witness units after scaling, in parts per 10,000 of a witness.
        public var witnessUnits: UInt128 = 0
        /// Reports that did not count, by reason code.
        public var rejected: [String: Int] = [:]
        /// The hotspot's density scale, parts per 10,000.
        public var scale: UInt128 = HexDensity.one

        mutating func reject(_ reason: CoverageReason) { rejected[reason.rawValue, default: 0] += 1 }
    }

    /// Outcomes by hotspot (every hotspot that sent a beacon or a witness).
    public private(set) var outcomes: [Address: Outcome] = [:]

    /// A beacon that passed its own checks, waiting for witnesses.
    private struct PendingBeacon {
        var beaconer: Address
        var report: Report
        var beacon: Beacon
        var entropy: Data
        var witnesses: [(witness: Address, order: Data)] = []
    }

    /// Evaluates `epoch` under `parameters`, trusting entropy signed by `oracles`.
    public init(epoch: ServiceEpoch, parameters: CoverageParameters, oracles: Set<PublicKey>) {
        let devices = Dictionary(uniqueKeysWithValues: epoch.devices.map { ($0.id, $0) })
        var outcomes: [Address: Outcome] = [:]
        var pending: [Data: PendingBeacon] = [:]
        var refused: Set<Data> = []

        func excluded(_ device: EpochInput.Device, at timestampMs: Int64) -> CoverageReason? {
            if parameters.denylist.contains(device.id) { return .denylisted }
            guard let location = device.location else { return .noAssertedLocation }
            if let moved = location.reassertedMs, timestampMs < moved + parameters.locationTrustSeconds * 1000 {
                return .locationNotTrusted
            }
            return nil
        }

        // Beacons first, each hotspot's in time order.
        for device in epoch.devices {
            let beacons = (epoch.reports[device.id] ?? []).filter { $0.typeName == "beacon" }
                .sorted { ($0.timestampMs, $0.nonce) < ($1.timestampMs, $1.nonce) }
            var lastMs: Int64?
            for report in beacons {
                guard case .beacon(let beacon)? = report.body else { continue }
                let key = Self.beaconKey(device.id, beacon.data)
                if let reason = excluded(device, at: report.timestampMs)
                    ?? Self.entropyProblem(beacon, report: report, beaconer: device.id, parameters: parameters, oracles: oracles)
                {
                    outcomes[device.id, default: Outcome()].reject(reason)
                    refused.insert(key)
                    continue
                }
                if let lastMs, report.timestampMs - lastMs < parameters.beaconIntervalSeconds * 1000 {
                    outcomes[device.id, default: Outcome()].reject(.beaconTooFrequent)
                    refused.insert(key)
                    continue
                }
                lastMs = report.timestampMs
                pending[key] = PendingBeacon(
                    beaconer: device.id, report: report, beacon: beacon, entropy: beacon.entropy.value)
            }
        }

        // Witnesses, checked against the beacon they name.
        var seen: Set<Data> = []
        for device in epoch.devices {
            let witnesses = (epoch.reports[device.id] ?? []).filter { $0.typeName == "witness" }
                .sorted { ($0.timestampMs, $0.nonce) < ($1.timestampMs, $1.nonce) }
            for report in witnesses {
                guard case .witness(let witness)? = report.body else { continue }
                let beaconerKey = (try? PublicKey(rawRepresentation: witness.beaconer))?.address
                let key = beaconerKey.map { Self.beaconKey($0, witness.beaconData) } ?? Data()
                let reason: CoverageReason?
                if let problem = excluded(device, at: report.timestampMs) {
                    reason = problem
                } else if let beacon = pending[key], let beaconer = devices[beacon.beaconer] {
                    if !seen.insert(key + device.id.publicKey.rawRepresentation).inserted {
                        reason = .duplicateWitness
                    } else {
                        reason = Self.witnessProblem(
                            witness, by: device, beacon: beacon.beacon, beaconReport: beacon.report, beaconer: beaconer,
                            parameters: parameters)
                    }
                } else {
                    reason = refused.contains(key) ? .beaconerInvalid : .beaconUnknown
                }
                if let reason {
                    outcomes[device.id, default: Outcome()].reject(reason)
                } else {
                    let order = SHA256Digest.hash(pending[key]!.entropy + device.id.publicKey.rawRepresentation)
                    pending[key]!.witnesses.append((device.id, order))
                }
            }
        }

        // Each beacon's witnesses, chosen by the entropy; a beacon nobody validly heard does not count.
        var counted: [(beaconer: Address, witnesses: [Address])] = []
        for key in pending.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let beacon = pending[key]!
            guard !beacon.witnesses.isEmpty else {
                outcomes[beacon.beaconer, default: Outcome()].reject(.noValidWitnesses)
                continue
            }
            // In the entropy's order, at most one witness per cell and `max_witnesses` in all.
            var chosen: [Address] = []
            var cellsTaken: Set<H3Cell> = []
            for candidate in beacon.witnesses.sorted(by: { $0.order.lexicographicallyPrecedes($1.order) }) {
                let cell = devices[candidate.witness]?.location.flatMap {
                    try? H3Cell(latitude: $0.lat, longitude: $0.lng, resolution: parameters.witnessCellResolution)
                }
                guard chosen.count < parameters.maxWitnesses, cell.map({ cellsTaken.insert($0).inserted }) ?? true else {
                    outcomes[candidate.witness, default: Outcome()].reject(.notSelected)
                    continue
                }
                chosen.append(candidate.witness)
            }
            counted.append((beacon.beaconer, chosen))
        }

        // Density over the hotspots that took part, then units at the beaconer's scale.
        var active: [Address: Int] = [:]
        var cells: [Int: H3Cell] = [:]
        for (beaconer, witnesses) in counted {
            for hotspot in [beaconer] + witnesses where active[hotspot] == nil {
                guard let location = devices[hotspot]?.location,
                    let cell = try? H3Cell(
                        latitude: location.lat, longitude: location.lng, resolution: parameters.densityBaseResolution)
                else { continue }
                active[hotspot] = active.count
                cells[active[hotspot]!] = cell
            }
        }
        let density = HexDensity(cells: cells, rules: parameters.density, baseResolution: parameters.densityBaseResolution)
        func scale(_ hotspot: Address) -> UInt128 { active[hotspot].flatMap { density.scales[$0] } ?? HexDensity.one }
        for (beaconer, witnesses) in counted {
            let beaconScale = scale(beaconer)
            outcomes[beaconer, default: Outcome()].beacons += 1
            outcomes[beaconer]!.beaconUnits += beaconScale
            for witness in witnesses {
                // At the beaconer's scale (Helium's rule) and at the witness's own: a crowd
                // cannot farm full witness rewards from honest beacons.
                outcomes[witness, default: Outcome()].witnesses += 1
                outcomes[witness]!.witnessUnits += beaconScale * scale(witness) / HexDensity.one
            }
        }
        for hotspot in outcomes.keys { outcomes[hotspot]!.scale = scale(hotspot) }
        self.outcomes = outcomes
    }

    /// What a beacon's data must be: SHA-256("depin-beacon" ‖ entropy signature ‖ beaconer key).
    public static func beaconData(entropy: Entropy, beaconer: PublicKey) -> Data {
        SHA256Digest.hash(Data("depin-beacon".utf8) + entropy.signature + beaconer.rawRepresentation)
    }

    private static func beaconKey(_ beaconer: Address, _ data: Data) -> Data { beaconer.publicKey.rawRepresentation + data }

    private static func entropyProblem(
        _ beacon: Beacon, report: Report, beaconer: Address, parameters: CoverageParameters, oracles: Set<PublicKey>
    ) -> CoverageReason? {
        guard beacon.hasEntropy, let oracle = try? beacon.entropy.verifySignature(), oracles.contains(oracle) else {
            return .entropyUnknown
        }
        if beacon.entropy.timestampMs > report.timestampMs + parameters.clockSkewMs { return .entropyFromFuture }
        if report.timestampMs - beacon.entropy.timestampMs > parameters.entropyMaxAgeSeconds * 1000 { return .entropyStale }
        guard let key = try? PublicKey(rawRepresentation: report.device),
            beacon.data == beaconData(entropy: beacon.entropy, beaconer: key)
        else { return .beaconDataInvalid }
        return nil
    }

    private static func witnessProblem(
        _ witness: Witness, by device: EpochInput.Device, beacon: Beacon, beaconReport: Report,
        beaconer: EpochInput.Device, parameters: CoverageParameters
    ) -> CoverageReason? {
        guard let here = device.location, let there = beaconer.location else { return .noAssertedLocation }
        if device.owner == beaconer.owner { return .sameOwner }
        let earliest = beaconReport.timestampMs - parameters.clockSkewMs
        guard witness.receivedMs >= earliest, witness.receivedMs <= beaconReport.timestampMs + parameters.witnessWindowMs
        else { return .witnessTimeOutsideWindow }
        if witness.frequencyHz != beacon.frequencyHz { return .frequencyMismatch }
        guard witness.hasLocation,
            GreatCircle.metres(lat1: witness.location.lat, lng1: witness.location.lng, lat2: here.lat, lng2: here.lng)
                <= parameters.locationToleranceM
        else { return .locationMismatch }
        let distance = GreatCircle.metres(lat1: here.lat, lng1: here.lng, lat2: there.lat, lng2: there.lng)
        if distance < parameters.minWitnessDistanceM { return .witnessTooClose }
        if distance > parameters.maxWitnessDistanceM { return .witnessTooFar }
        if let mine = try? H3Cell(latitude: here.lat, longitude: here.lng, resolution: parameters.sameCellResolution),
            let theirs = try? H3Cell(latitude: there.lat, longitude: there.lng, resolution: parameters.sameCellResolution),
            mine == theirs
        {
            return .sameCell
        }
        let ceiling = RadioPhysics.maximumRssiDbm(
            txPowerDbm: beacon.txPowerDbm, txGainDbi: there.antennaGainDbi, rxGainDbi: here.antennaGainDbi,
            distanceM: distance, frequencyHz: Double(beacon.frequencyHz))
        if witness.rssiDbm > ceiling + parameters.rssiMarginDb { return .rssiTooStrong }
        return nil
    }
}
