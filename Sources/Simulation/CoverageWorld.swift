import Core
import Coverage
import Foundation
import Geo
import Rewards

/// A simulated coverage network: hotspots placed in a real city's geography, a radio model, and
/// an oracle publishing entropy. It writes the signed reports the hotspots would send in an
/// epoch; the real rules judge them. Deterministic for a given seed.
public struct CoverageWorld: Sendable {
    /// A latitude/longitude box, degrees.
    public struct Area: Sendable {
        public var south: Double
        public var west: Double
        public var north: Double
        public var east: Double

        public init(south: Double, west: Double, north: Double, east: Double) {
            self.south = south
            self.west = west
            self.north = north
            self.east = east
        }

        /// San Francisco's land area (OpenStreetMap's bounding box of the city, trimmed to the
        /// peninsula).
        public static let sanFrancisco = Area(south: 37.7081, west: -122.5149, north: 37.8120, east: -122.3570)
    }

    public let seed: UInt64
    public let area: Area
    public var radio = RadioModel()
    public var parameters: CoverageParameters
    /// The oracle that signs entropy.
    public let oracle: SigningKey
    /// Where beacon schedules are counted from (the genesis's first epoch), milliseconds.
    public var originMs: Int64 = 0
    public private(set) var hotspots: [SimulatedHotspot] = []

    /// A world with `honest` hotspots spread over `area`.
    public init(seed: UInt64, area: Area = .sanFrancisco, honest: Int, parameters: CoverageParameters, oracle: SigningKey) {
        self.seed = seed
        self.area = area
        self.parameters = parameters
        self.oracle = oracle
        var random = SeededGenerator(seed: seed)
        for _ in 0..<honest {
            let place = (random.uniform(area.south...area.north), random.uniform(area.west...area.east))
            add(role: .honest, asserted: place, actual: place, owner: nil, gain: 3)
        }
    }

    /// Adds a hotspot; a new owner account unless `owner` is given. Returns its index.
    @discardableResult
    public mutating func add(
        role: SimulatedHotspot.Role, asserted: (lat: Double, lng: Double), actual: (lat: Double, lng: Double),
        owner: Address?, gain: Double = 3
    ) -> Int {
        let index = hotspots.count
        let key = Self.key(seed: seed, label: "hotspot", index: index)
        let account = owner ?? Self.key(seed: seed, label: "owner", index: index).address
        hotspots.append(SimulatedHotspot(key: key, owner: account, asserted: asserted, actual: actual, gainDbi: gain, role: role))
        return index
    }

    /// A deterministic key.
    public static func key(seed: UInt64, label: String, index: Int) -> SigningKey {
        let material = SHA256Digest.hash(Data("\(label)/\(seed)/\(index)".utf8))
        return try! SigningKey(seed: material)
    }

    /// The registry as the rules see it.
    public var devices: [EpochInput.Device] {
        hotspots.map {
            EpochInput.Device(
                id: $0.key.address, kind: DeviceKind.hotspot.name, owner: $0.owner, payout: nil,
                location: .init(lat: $0.asserted.lat, lng: $0.asserted.lng, antennaGainDbi: $0.gainDbi))
        }.sorted { $0.id < $1.id }
    }

    /// The oracle's entropy for the interval containing `ms`.
    public func entropy(atMs ms: Int64) -> Entropy {
        let length = parameters.entropyIntervalSeconds * 1000
        var entropy = Entropy()
        entropy.interval = UInt64(ms / length)
        entropy.timestampMs = ms / length * length
        entropy.sign(with: oracle)
        return entropy
    }

    /// When hotspot `index` beacons in [startMs, endMs): once per beacon interval (a spammer
    /// once a minute) at a phase of its own, counted from `originMs` and early enough in each
    /// interval for its witnesses to land in the same interval.
    public func beaconTimes(of index: Int, from startMs: Int64, to endMs: Int64) -> [Int64] {
        let step = hotspots[index].role == .spammer ? 60_000 : parameters.beaconIntervalSeconds * 1000
        var phaseRandom = SeededGenerator(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let room = max(1, step - parameters.witnessWindowMs - 2_000)
        let phase = Int64(phaseRandom.next() % UInt64(room))
        var k = (startMs - originMs - phase + step - 1) / step
        if startMs - originMs - phase < 0 { k = 0 }
        var times: [Int64] = []
        while originMs + phase + k * step < endMs {
            let time = originMs + phase + k * step
            if time >= startMs { times.append(time) }
            k += 1
        }
        return times
    }

    /// What the hotspots send for beacons made in [startMs, endMs), unsigned, with the key that
    /// must sign each, in time order. `entropy` gives the entropy current at a time.
    public func transmissions(
        startMs: Int64, endMs: Int64, entropy: (Int64) -> Entropy
    ) -> [(report: Report, key: SigningKey)] {
        var outgoing: [(report: Report, key: SigningKey)] = []
        for (index, hotspot) in hotspots.enumerated() {
            for time in beaconTimes(of: index, from: startMs, to: endMs) {
                var random = SeededGenerator(seed: seed ^ UInt64(index) << 40 ^ UInt64(time))
                switch hotspot.role {
                case .replayer:
                    // A beacon and a witness captured a day earlier, sent again now.
                    let old = entropy(time - 86_400_000)
                    outgoing.append((beaconReport(hotspot, entropy: old, at: time), hotspot.key))
                    let victim = hotspots[Int(random.next() % UInt64(hotspots.count))]
                    var witness = Witness()
                    witness.beaconer = victim.key.publicKey.rawRepresentation
                    witness.beaconData = ProofOfCoverage.beaconData(entropy: old, beaconer: victim.key.publicKey)
                    witness.location = Self.fix(hotspot.asserted)
                    witness.rssiDbm = -100
                    witness.snrDb = 5
                    witness.frequencyHz = radio.frequencyHz
                    witness.receivedMs = time
                    outgoing.append((Self.report(.witness(witness), at: time + 200), hotspot.key))
                default:
                    let beacon = beaconReport(hotspot, entropy: entropy(time), at: time)
                    outgoing.append((beacon, hotspot.key))
                    outgoing += witnesses(of: index, beacon: beacon, at: time)
                }
            }
        }
        outgoing.sort { ($0.report.timestampMs, $0.key.address) < ($1.report.timestampMs, $1.key.address) }
        return outgoing
    }

    /// Every report the hotspots send for beacons in [startMs, endMs), signed, with the world's
    /// own oracle's entropy and nonces counted from 1.
    public func reports(startMs: Int64, endMs: Int64) -> [Report] {
        var entropies: [Int64: Entropy] = [:]
        let length = parameters.entropyIntervalSeconds * 1000
        let outgoing = transmissions(startMs: startMs, endMs: endMs) { ms in
            if let known = entropies[ms / length] { return known }
            let made = self.entropy(atMs: ms)
            entropies[ms / length] = made
            return made
        }
        var nonces: [Address: UInt64] = [:]
        return outgoing.map { entry in
            var report = entry.report
            let next = (nonces[entry.key.address] ?? 0) + 1
            nonces[entry.key.address] = next
            report.nonce = next
            report.sign(with: entry.key)
            return report
        }
    }

    private func beaconReport(_ hotspot: SimulatedHotspot, entropy: Entropy, at time: Int64) -> Report {
        var beacon = Beacon()
        beacon.entropy = entropy
        beacon.data = ProofOfCoverage.beaconData(entropy: entropy, beaconer: hotspot.key.publicKey)
        beacon.txPowerDbm = radio.txPowerDbm
        beacon.frequencyHz = radio.frequencyHz
        return Self.report(.beacon(beacon), at: time)
    }

    /// The witness reports a beacon draws: real receptions for listening radios, fabricated
    /// ones inside a ring.
    private func witnesses(of beaconerIndex: Int, beacon: Report, at time: Int64) -> [(report: Report, key: SigningKey)] {
        let beaconer = hotspots[beaconerIndex]
        guard case .beacon(let sent)? = beacon.body else { return [] }
        var heard: [(report: Report, key: SigningKey)] = []
        for (index, receiver) in hotspots.enumerated() where index != beaconerIndex {
            var random = SeededGenerator(seed: seed ^ UInt64(beaconerIndex) << 32 ^ UInt64(index) ^ UInt64(time) &* 31)
            let signal: (rssiDbm: Double, snrDb: Double)?
            if beaconer.role == .ring {
                // Fabricated by the ring: a clean, plausible signal for the asserted distance.
                guard receiver.role == .ring, receiver.owner == beaconer.owner else { continue }
                var calm = radio
                calm.shadowingSigmaDb = 0
                signal = calm.reception(
                    distanceM: Self.metres(receiver.asserted, beaconer.asserted), txGainDbi: beaconer.gainDbi,
                    rxGainDbi: receiver.gainDbi, random: &random) ?? (-120, -3)
            } else {
                guard receiver.listens else { continue }
                signal = radio.reception(
                    distanceM: Self.metres(receiver.actual, beaconer.actual), txGainDbi: beaconer.gainDbi,
                    rxGainDbi: receiver.gainDbi, random: &random)
            }
            guard let signal else { continue }
            var witness = Witness()
            witness.beaconer = beaconer.key.publicKey.rawRepresentation
            witness.beaconData = sent.data
            witness.location = Self.fix(receiver.asserted)
            witness.rssiDbm = signal.rssiDbm
            witness.snrDb = signal.snrDb
            witness.frequencyHz = sent.frequencyHz
            witness.receivedMs = time + 50 + Int64(random.unit() * 1_500)
            heard.append((Self.report(.witness(witness), at: witness.receivedMs + 100), receiver.key))
        }
        return heard
    }

    static func report(_ body: Report.OneOf_Body, at time: Int64) -> Report {
        var report = Report()
        report.timestampMs = time
        report.body = body
        return report
    }

    static func fix(_ place: (lat: Double, lng: Double)) -> LocationFix {
        var fix = LocationFix()
        fix.lat = place.lat
        fix.lng = place.lng
        return fix
    }

    static func metres(_ a: (lat: Double, lng: Double), _ b: (lat: Double, lng: Double)) -> Double {
        GreatCircle.metres(lat1: a.lat, lng1: a.lng, lat2: b.lat, lng2: b.lng)
    }
}
