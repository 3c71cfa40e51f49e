import Core
import Foundation
import Ledger
import Rewards

/// A network and its economy over many epochs, in process: a population of devices that grows
/// when owning one pays and shrinks when it does not, customers whose spending grows and
/// suffers shocks, and a token price that moves at random and with burn and mint. Every epoch
/// is closed by the node's own `EpochEngine` (emission, supply cap, pools, output and usage
/// splits, treasury) with each device scored by its service's uptime rule from heartbeats, as
/// the node would score them. Deterministic for a seed.
public struct EconomySimulation: Sendable {
    /// A hardware owner's own device, followed through an earnings estimate.
    public struct TrackedDevice: Sendable, Equatable {
        /// Its fleet's index in the scenario.
        public var fleet: Int
        /// Its region's index, or nil.
        public var region: Int?
        /// Its quality tier.
        public var tier: Int

        /// A device to follow.
        public init(fleet: Int, region: Int?, tier: Int) {
            self.fleet = fleet
            self.region = region
            self.tier = tier
        }
    }

    /// What a caller may watch of each epoch: the engine's input, the reports it scored (by
    /// device, unsigned) and its result.
    public typealias Observer = @Sendable (EpochInput, [Address: [Report]], EpochResult) -> Void

    /// The network's rules.
    public let genesis: Genesis
    /// The world.
    public let scenario: Scenario
    /// Cohorts or one device each.
    public let mode: DeviceFleet.Mode
    /// Credits a dollar buys.
    public let creditsPerUSD: Double
    /// The genesis services (by index) that pay each fleet.
    let servicesOfFleet: [[Int]]
    /// Milliseconds between a fleet's heartbeats: its services' shortest interval.
    let heartbeatMs: [Int64]
    /// 10^decimals, as a Double, to turn base units into whole tokens.
    let tokenScale: Double

    /// A simulation of `scenario` under `genesis`; refuses a scenario that does not fit the genesis.
    public init(genesis: Genesis, scenario: Scenario, mode: DeviceFleet.Mode = .cohorts) throws(SimulationError) {
        self.genesis = genesis
        self.scenario = scenario
        self.mode = mode
        var services: [[Int]] = []
        var intervals: [Int64] = []
        for fleet in scenario.fleets {
            let indices = genesis.services.indices.filter { genesis.services[$0].kinds.contains(fleet.kind) }
            guard !indices.isEmpty else {
                throw SimulationError("kind \(fleet.kind.name) is in the scenario but no service of the genesis pays it")
            }
            services.append(indices)
            intervals.append(indices.map { UptimeService(service: genesis.services[$0]).intervalSeconds * 1000 }.min()!)
        }
        for name in scenario.demand.keys.sorted() where !genesis.services.contains(where: { $0.name == name }) {
            throw SimulationError("the scenario has demand for '\(name)', which is not a service of the genesis")
        }
        if mode == .individual {
            let initial = scenario.fleets.reduce(0) { $0 + $1.initial }
            guard initial <= 50_000 else {
                throw SimulationError("one device each is for populations up to 50,000 devices; this one starts with \(initial)")
            }
        }
        servicesOfFleet = services
        heartbeatMs = intervals
        var scale = 1.0
        for _ in 0..<genesis.token.decimals { scale *= 10 }
        tokenScale = scale
        let genesisPerToken = Double(genesis.creditsPerToken.units)
        creditsPerUSD = scenario.price.creditsPerUSD ?? genesisPerToken / scenario.price.initialUSD
    }

    /// What one device's power costs in an epoch, dollars, for fleet `fleet`.
    public func powerCostUSD(fleet: Int) -> Double {
        scenario.fleets[fleet].powerWatts * Double(genesis.epochs.lengthSeconds) / 3_600 / 1_000 * scenario.powerUSDPerKWh
    }

    /// Runs the scenario once with `seed`, optionally following `tracked`; `progress` hears each
    /// finished epoch.
    public func run(
        seed: UInt64, tracked: TrackedDevice? = nil, observe: Observer? = nil, progress: ((Int) -> Void)? = nil
    ) -> SimulationRun {
        var random = SeededGenerator(seed: seed)
        var price = PriceWalk(scenario.price, epochSeconds: genesis.epochs.lengthSeconds, seed: seed)
        var fleet = DeviceFleet(mode: mode, scenario: scenario)
        for (index, spec) in scenario.fleets.enumerated() {
            for _ in 0..<spec.initial { addDevice(fleet: index, epoch: 0, to: &fleet, using: &random) }
        }
        var trackedIndex: Int32?
        if let tracked {
            let uptime = DeviceFleet.uptime(
                tier: tracked.tier, of: scenario.tiers,
                range: tracked.region.flatMap { scenario.regions[$0].uptime } ?? scenario.fleets[tracked.fleet].uptime)
            trackedIndex = fleet.add(
                fleet: tracked.fleet, region: tracked.region, tier: tracked.tier, uptime: uptime, epoch: 0, pinned: true)
        }
        let initialByFleet = scenario.fleets.map { max($0.initial, 1) }

        var ledger = SupplyBook(genesis: genesis)
        var carried: [String: Amount] = [:]
        // Dollars and tokens earned per member of each cohort, cumulative, one entry per epoch boundary.
        var cumulativeUSD: [[Double]] = Array(repeating: [0], count: fleet.cohorts.count)
        var rows: [SimulatedEpoch] = []
        var trackedUSD: [Double] = []
        var trackedTokens: [Double] = []
        rows.reserveCapacity(scenario.epochs)

        for epoch in 0..<scenario.epochs {
            while cumulativeUSD.count < fleet.cohorts.count { cumulativeUSD.append(Array(repeating: 0, count: epoch + 1)) }
            let startMs = (genesis.epochs.startTime + Int64(epoch) * Int64(genesis.epochs.lengthSeconds)) * 1000
            let endMs = startMs + Int64(genesis.epochs.lengthSeconds) * 1000
            let active = scenario.fleets.indices.map { index in
                fleet.cohorts.indices.reduce(0) { fleet.cohorts[$1].fleet == index ? $0 + fleet.members[$1].count : $0 }
            }

            // Customers: dollars, the tokens they burn for credits, and who served the credits.
            let market = spending(epoch: epoch, active: active, initial: initialByFleet, priceUSD: price.priceUSD)
            let burned = ledger.burn(tokens: market.usd / price.priceUSD, scale: tokenScale)
            let usage = usageCredits(market.creditsByService, fleet: fleet)

            // The epoch, closed by the node's engine over representatives.
            var devices: [EpochInput.Device] = []
            var reports: [Address: [Report]] = [:]
            var sizes: [Address: UInt128] = [:]
            for (index, cohort) in fleet.cohorts.enumerated() where !fleet.members[index].isEmpty {
                devices.append(
                    EpochInput.Device(
                        id: cohort.address, kind: scenario.fleets[cohort.fleet].kind.name, owner: cohort.address, payout: nil))
                reports[cohort.address] = heartbeats(cohort, startMs: startMs, endMs: endMs, epoch: epoch)
                sizes[cohort.address] = UInt128(fleet.members[index].count)
            }
            devices.sort { $0.id < $1.id }
            let input = EpochInput(
                epoch: Int64(epoch), startMs: startMs, endMs: endMs, devices: devices, reports: [], usage: usage,
                emittedBefore: ledger.emitted, burned: burned, carried: carried, previousCumulative: [:])
            var modules: [String: any NetworkService] = [:]
            for service in genesis.services {
                let module = UptimeService(service: service)
                modules[service.name] = mode == .cohorts ? CohortService(inner: module, sizes: sizes) : module
            }
            let result = EpochEngine(genesis: genesis, services: modules).close(input, verified: reports)
            observe?(input, reports, result)
            ledger.record(result)
            carried = result.carryForward

            // Each member's part, valued at the epoch's price.
            var memberTokens = [Double](repeating: 0, count: fleet.cohorts.count)
            let amounts = Dictionary(result.devices.map { ($0.device, $0.amount) }, uniquingKeysWith: { first, _ in first })
            for (index, cohort) in fleet.cohorts.enumerated() where !fleet.members[index].isEmpty {
                let total = amounts[cohort.address]?.units ?? 0
                memberTokens[index] = Double(total / UInt128(fleet.members[index].count)) / tokenScale
            }
            for index in fleet.cohorts.indices {
                cumulativeUSD[index].append(cumulativeUSD[index][epoch] + memberTokens[index] * price.priceUSD)
            }
            if let trackedIndex {
                let cohort = Int(fleet.cohortOf[Int(trackedIndex)])
                trackedTokens.append(memberTokens[cohort])
                trackedUSD.append(memberTokens[cohort] * price.priceUSD)
            }
            let earnings = scenario.fleets.indices.map { index in
                Self.percentiles(
                    fleet.cohorts.indices.filter { fleet.cohorts[$0].fleet == index && !fleet.members[$0].isEmpty }
                        .map { (memberTokens[$0], fleet.members[$0].count) })
            }

            // Owners decide: buy more where a device pays back, switch off where it does not.
            let priceNow = price.priceUSD
            let changes = evolve(
                &fleet, epoch: epoch, memberTokens: memberTokens, earnings: earnings, active: active, priceUSD: priceNow,
                using: &random)
            rows.append(
                SimulatedEpoch(
                    epoch: epoch, devices: active, added: changes.added, removed: changes.removed,
                    emission: result.emission, minted: result.minted, burned: burned, supply: ledger.supply,
                    priceUSD: priceNow, demandUSD: market.usd, credits: Amount(market.credits), earnings: earnings))
            price.step(demandUSD: market.usd, mintedTokens: Double(result.minted.units) / tokenScale)
            progress?(epoch)
        }
        return SimulationRun(
            seed: seed, epochs: rows, fleets: outcomes(fleet, cumulativeUSD: cumulativeUSD), trackedUSD: trackedUSD,
            trackedTokens: trackedTokens)
    }

    /// One heartbeat per interval for the share of the epoch the cohort's devices are online.
    private func heartbeats(_ cohort: DeviceFleet.Cohort, startMs: Int64, endMs: Int64, epoch: Int) -> [Report] {
        let interval = heartbeatMs[cohort.fleet]
        let slots = max(1, (endMs - startMs) / interval)
        let count = Int((Double(slots) * cohort.uptime).rounded())
        let device = cohort.key.publicKey.rawRepresentation
        return (0..<count).map { slot in
            var report = Report()
            report.device = device
            report.nonce = UInt64(epoch) << 24 | UInt64(slot + 1)
            report.timestampMs = startMs + Int64(slot) * interval
            report.heartbeat = Heartbeat()
            return report
        }
    }

    /// Weighted percentiles of per-device earnings: `values` pairs an amount with how many
    /// devices earned it.
    static func percentiles(_ values: [(Double, Int)]) -> SimulatedEpoch.Earnings {
        let sorted = values.filter { $0.1 > 0 }.sorted { $0.0 < $1.0 }
        let total = sorted.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return .none }
        func at(_ fraction: Double) -> Double {
            let rank = Int((Double(total - 1) * fraction).rounded())
            var seen = 0
            for (value, count) in sorted {
                seen += count
                if seen > rank { return value }
            }
            return sorted[sorted.count - 1].0
        }
        return .init(p10: at(0.1), median: at(0.5), p90: at(0.9))
    }
}
