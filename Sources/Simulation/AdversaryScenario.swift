import Core
import Coverage
import Foundation
import Ledger
import Rewards

/// An attack on the coverage network, run through the real epoch engine three times: the honest
/// world alone, the world with the attackers under the rules, and the same world with no rules.
/// It reports the share of honest rewards kept and the share of the attackers' rewards denied.
public struct AdversaryScenario: Sendable {
    /// The attacks.
    public enum Attack: String, Sendable, CaseIterable {
        /// Hotspots asserting a location 120 km from where they are.
        case spoofer
        /// A ring of one owner's hotspots fabricating witnesses for each other.
        case ring
        /// Hotspots replaying beacons and witnesses from a day before.
        case replayer
        /// Hotspots beaconing every minute.
        case spammer
        /// Hotspots crowded into one hex.
        case cluster
    }

    /// One scenario's figures.
    public struct Outcome: Sendable {
        public var attack: Attack
        public var attackers: Int
        /// Tokens honest hotspots earned with no attackers, with attackers under the rules.
        public var honestClean: Amount
        public var honestUnderAttack: Amount
        /// Tokens the attackers earned under the rules and with no rules.
        public var attackersChecked: Amount
        public var attackersUnchecked: Amount

        /// Honest rewards kept, 0…1.
        public var honestKept: Double { Self.ratio(honestUnderAttack, honestClean) }
        /// Attacker rewards denied, 0…1.
        public var attackersDenied: Double { 1 - Self.ratio(attackersChecked, attackersUnchecked) }

        static func ratio(_ a: Amount, _ b: Amount) -> Double {
            b.units == 0 ? 1 : Double(a.units) / Double(b.units)
        }
    }

    public var attack: Attack
    public var seed: UInt64
    public var honest: Int
    public var epochs: Int

    public init(attack: Attack, seed: UInt64 = 7, honest: Int = 100, epochs: Int = 1) {
        self.attack = attack
        self.seed = seed
        self.honest = honest
        self.epochs = epochs
    }

    /// When the scenarios' first epoch starts (2027-01-15), milliseconds.
    public static let origin: Int64 = 1_800_000_000_000

    /// The genesis the scenarios run under: one coverage pool, nothing to the treasury.
    public static func genesis(oracle: PublicKey, parameters: TOMLTable = TOMLTable()) -> Genesis {
        let treasury = CoverageWorld.key(seed: 0, label: "treasury", index: 0).address
        return Genesis(
            token: .init(name: "Sim", symbol: "SIM", decimals: 6, supplyCap: Amount(UInt128(1) << 100)),
            emission: .init(perEpoch: Amount(1_000_000_000_000), decay: .none),
            epochs: .init(lengthSeconds: 3_600, startTime: origin / 1000),
            creditsPerToken: Amount(100_000),
            services: [.init(name: "coverage", weight: 100, kinds: [.hotspot], parameters: parameters)],
            treasury: .init(weight: 0, account: treasury, emptyPools: .treasury, settlementAccount: treasury),
            reports: .init(maxFutureSeconds: 60, maxAgeSeconds: 3_600), oracles: [oracle], quorum: 1,
            makers: [], allocations: [])
    }

    /// Runs the scenario.
    public func run() throws -> Outcome {
        let oracle = CoverageWorld.key(seed: seed, label: "oracle", index: 0)
        var table = TOMLTable()
        table["beacon_interval_s"] = .init(value: .integer(3_600), line: 0)
        let genesis = Self.genesis(oracle: oracle.publicKey, parameters: table)
        let service = genesis.services[0]
        let parameters = try CoverageParameters(service: service)
        var clean = CoverageWorld(seed: seed, honest: honest, parameters: parameters, oracle: oracle)
        clean.originMs = Self.origin
        var attacked = clean
        let attackers = addAttackers(to: &attacked)

        let checked = EpochEngine(genesis: genesis, services: ["coverage": try CoverageService(service: service, genesis: genesis)])
        let unchecked = EpochEngine(
            genesis: genesis, services: ["coverage": UncheckedCoverageService(service: service, parameters: parameters)])
        let honestKeys = Set(clean.hotspots.map(\.key.address))
        let attackerKeys = Set(attackers.map { attacked.hotspots[$0].key.address })
        var outcome = Outcome(
            attack: attack, attackers: attackers.count, honestClean: .zero, honestUnderAttack: .zero,
            attackersChecked: .zero, attackersUnchecked: .zero)
        for epoch in 0..<Int64(epochs) {
            let start = Self.origin + epoch * 3_600_000
            let end = start + 3_600_000
            let cleanRewards = checked.close(Self.input(clean, epoch: epoch, start: start, end: end))
            let attackInput = Self.input(attacked, epoch: epoch, start: start, end: end)
            let underRules = checked.close(attackInput)
            let noRules = unchecked.close(attackInput)
            outcome.honestClean = try outcome.honestClean.adding(Self.total(cleanRewards, honestKeys))
            outcome.honestUnderAttack = try outcome.honestUnderAttack.adding(Self.total(underRules, honestKeys))
            outcome.attackersChecked = try outcome.attackersChecked.adding(Self.total(underRules, attackerKeys))
            outcome.attackersUnchecked = try outcome.attackersUnchecked.adding(Self.total(noRules, attackerKeys))
        }
        return outcome
    }

    /// Places the attack's hotspots; returns their indexes.
    private func addAttackers(to world: inout CoverageWorld) -> [Int] {
        var random = SeededGenerator(seed: seed ^ 0xA77AC)
        let area = world.area
        func somewhere() -> (lat: Double, lng: Double) {
            (random.uniform(area.south...area.north), random.uniform(area.west...area.east))
        }
        switch attack {
        case .spoofer:
            // Really in the city; asserted around Sacramento, 120 km away.
            return (0..<3).map { _ in
                world.add(role: .spoofer, asserted: (38.58 + random.uniform(-0.05...0.05), -121.49), actual: somewhere(), owner: nil)
            }
        case .ring:
            // One owner, asserted a kilometre or two apart across the Golden Gate in Marin.
            let owner = CoverageWorld.key(seed: seed, label: "ring-owner", index: 0).address
            return (0..<5).map { index in
                let place = (37.90 + 0.012 * Double(index), -122.62 + 0.01 * Double(index % 2))
                return world.add(role: .ring, asserted: place, actual: somewhere(), owner: owner)
            }
        case .replayer:
            return (0..<3).map { _ in
                let place = somewhere()
                return world.add(role: .replayer, asserted: place, actual: place, owner: nil)
            }
        case .spammer:
            return (0..<3).map { _ in
                let place = somewhere()
                return world.add(role: .spammer, asserted: place, actual: place, owner: nil)
            }
        case .cluster:
            // Ten hotspots within about 20 m of one spot, each with its own owner.
            let center = somewhere()
            return (0..<10).map { _ in
                let place = (center.lat + random.uniform(-0.0002...0.0002), center.lng + random.uniform(-0.0002...0.0002))
                return world.add(role: .cluster, asserted: place, actual: place, owner: nil)
            }
        }
    }

    /// The epoch input for `world`'s reports in [start, end).
    public static func input(_ world: CoverageWorld, epoch: Int64, start: Int64, end: Int64) -> EpochInput {
        let reports = world.reports(startMs: start, endMs: end).enumerated().map {
            EpochInput.LoggedReport(id: Int64($0.offset + 1), bytes: $0.element.canonicalBytes.hexString)
        }
        return EpochInput(
            epoch: epoch, startMs: start, endMs: end, devices: world.devices, reports: reports,
            emittedBefore: Amount(UInt128(epoch) * 1_000_000_000_000))
    }

    static func total(_ result: EpochResult, _ devices: Set<Address>) -> Amount {
        result.devices.filter { devices.contains($0.device) }.reduce(Amount.zero) { (try? $0.adding($1.amount)) ?? $0 }
    }
}
