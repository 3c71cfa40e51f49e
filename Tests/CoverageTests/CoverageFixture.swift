import Core
import Coverage
import Foundation
import Geo
import Rewards

/// A beaconer and witnesses on a street in San Francisco, an oracle, and signed reports, for
/// testing one rule at a time.
struct CoverageFixture {
    static let start: Int64 = 1_800_000_000_000
    let oracle = SigningKey()
    var parameters = CoverageParameters()
    var devices: [EpochInput.Device] = []
    var keys: [Address: SigningKey] = [:]
    var reports: [Address: [Report]] = [:]
    var nonces: [Address: UInt64] = [:]

    /// A hotspot `metresNorth` of the base point, with its own owner unless one is given.
    mutating func hotspot(metresNorth: Double = 0, metresEast: Double = 0, owner: Address? = nil, gain: Double = 3,
                          reassertedMs: Int64? = nil, located: Bool = true) -> SigningKey {
        let key = SigningKey()
        keys[key.address] = key
        let place = Self.place(metresNorth: metresNorth, metresEast: metresEast)
        devices.append(
            .init(
                id: key.address, kind: DeviceKind.hotspot.name, owner: owner ?? SigningKey().address, payout: nil,
                location: located
                    ? .init(lat: place.lat, lng: place.lng, antennaGainDbi: gain, reassertedMs: reassertedMs) : nil))
        devices.sort { $0.id < $1.id }
        return key
    }

    static func place(metresNorth: Double, metresEast: Double = 0) -> (lat: Double, lng: Double) {
        let lat = 37.7700 + metresNorth / 111_194.9
        return (lat, -122.4200 + metresEast / (111_194.9 * cos(37.77 * .pi / 180)))
    }

    func location(of key: SigningKey) -> (lat: Double, lng: Double) {
        let device = devices.first { $0.id == key.address }!.location!
        return (device.lat, device.lng)
    }

    func distance(_ a: SigningKey, _ b: SigningKey) -> Double {
        let (p, q) = (location(of: a), location(of: b))
        return GreatCircle.metres(lat1: p.lat, lng1: p.lng, lat2: q.lat, lng2: q.lng)
    }

    func entropy(at ms: Int64, signer: SigningKey? = nil) -> Entropy {
        var entropy = Entropy()
        entropy.interval = UInt64(ms / 60_000)
        entropy.timestampMs = ms
        entropy.sign(with: signer ?? oracle)
        return entropy
    }

    /// A signed beacon by `key` at `ms` with entropy published at `entropyMs`.
    @discardableResult
    mutating func beacon(
        by key: SigningKey, at ms: Int64, entropyMs: Int64? = nil, entropySigner: SigningKey? = nil,
        data: Data? = nil, txPower: Double = 27
    ) -> Beacon {
        var beacon = Beacon()
        beacon.entropy = entropy(at: entropyMs ?? ms - 1_000, signer: entropySigner)
        beacon.data = data ?? ProofOfCoverage.beaconData(entropy: beacon.entropy, beaconer: key.publicKey)
        beacon.txPowerDbm = txPower
        beacon.frequencyHz = 915_000_000
        send(.beacon(beacon), by: key, at: ms)
        return beacon
    }

    /// A signed witness of `beacon` by `key`, received at `receivedMs`.
    mutating func witness(
        _ beacon: Beacon, from beaconer: SigningKey, by key: SigningKey, receivedMs: Int64, rssi: Double = -110,
        frequency: UInt64 = 915_000_000, reportedMetresNorth: Double? = nil
    ) {
        var witness = Witness()
        witness.beaconer = beaconer.publicKey.rawRepresentation
        witness.beaconData = beacon.data
        var fix = LocationFix()
        let here = location(of: key)
        fix.lat = here.lat
        fix.lng = here.lng
        if let north = reportedMetresNorth { fix.lat = Self.place(metresNorth: north).lat }
        witness.location = fix
        witness.rssiDbm = rssi
        witness.snrDb = 5
        witness.frequencyHz = frequency
        witness.receivedMs = receivedMs
        send(.witness(witness), by: key, at: receivedMs + 100)
    }

    mutating func send(_ body: Report.OneOf_Body, by key: SigningKey, at ms: Int64) {
        var report = Report()
        report.timestampMs = ms
        report.body = body
        let nonce = (nonces[key.address] ?? 0) + 1
        nonces[key.address] = nonce
        report.nonce = nonce
        report.sign(with: key)
        reports[key.address, default: []].append(report)
    }

    var epoch: ServiceEpoch {
        ServiceEpoch(epoch: 0, startMs: Self.start, endMs: Self.start + 86_400_000, devices: devices, reports: DeviceReports(reports))
    }

    func evaluate() -> ProofOfCoverage {
        ProofOfCoverage(epoch: epoch, parameters: parameters, oracles: [oracle.publicKey])
    }
}
