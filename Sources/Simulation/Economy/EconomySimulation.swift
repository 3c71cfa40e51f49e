import Core
import Foundation
import Ledger
import Rewards
import Telemetry

/// A network and its economy over many epochs, in process: a population of devices that grows
/// when owning one pays and shrinks when it does not, customers whose spending grows and
/// suffers shocks, and a token price that moves at random and with burn and mint. Every epoch
/// is closed by the node's own `EpochEngine` (emission, supply cap, pools, output and usage
/// splits, treasury). Vehicles and meters are scored by the node's telemetry module from the
/// batches they send, streaks and bindings carried from epoch to epoch as the node carries
/// them; the other kinds, whose modules score work the simulator does not model (radio
/// geometry, render jobs, stored pieces, drives), by the uptime module from heartbeats.
/// Deterministic for a seed.
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
    /// What each fleet's devices send.
    public let work: [FleetWork]
    /// The module that scores each genesis service, by name.
    let modules: [String: any NetworkService]
    /// 10^decimals, as a Double, to turn base units into whole tokens.
    let tokenScale: Double

    /// A simulation of `scenario` under `genesis`; refuses a scenario that does not fit the genesis.
    public init(genesis: Genesis, scenario: Scenario, mode: DeviceFleet.Mode = .cohorts) throws(SimulationError) {
        self.genesis = genesis
        self.scenario = scenario
        self.mode = mode
        var modules: [String: any NetworkService] = [:]
        for service in genesis.services {
            if Self.isTelemetry(service) {
                do { modules[service.name] = try TelemetryService(service: service) } catch {
                    throw SimulationError("the genesis's \(service.name) service: \(error)")
                }
            } else {
                modules[service.name] = UptimeService(service: service)
            }
        }
        var services: [[Int]] = []
        var work: [FleetWork] = []
        for fleet in scenario.fleets {
            let indices = genesis.services.indices.filter { genesis.services[$0].kinds.contains(fleet.kind) }
            guard !indices.isEmpty else {
                throw SimulationError("kind \(fleet.kind.name) is in the scenario but no service of the genesis pays it")
            }
            services.append(indices)
            if indices.contains(where: { Self.isTelemetry(genesis.services[$0]) }), fleet.kind == .vehicle || fleet.kind == .meter {
                work.append(fleet.kind == .vehicle ? .vehicle : .meter)
            } else {
                let interval = indices.map { UptimeService(service: genesis.services[$0]).intervalSeconds * 1000 }.min()!
                work.append(.heartbeats(intervalMs: interval))
            }
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
        self.work = work
        self.modules = modules
        var scale = 1.0
        for _ in 0..<genesis.token.decimals { scale *= 10 }
        tokenScale = scale
        let genesisPerToken = Double(genesis.creditsPerToken.units)
        creditsPerUSD = scenario.price.creditsPerUSD ?? genesisPerToken / scenario.price.initialUSD
    }

    /// Whether the node runs the telemetry module for `service` (as its service catalog decides:
    /// vehicles or meters, and no kind another module claims first).
    static func isTelemetry(_ service: Genesis.Service) -> Bool {
        let claimed: Set<DeviceKind> = [.hotspot, .renderNode, .storageNode, .dashcam]
        return service.name != "coverage" && service.kinds.allSatisfy { !claimed.contains($0) }
            && (service.kinds.contains(.vehicle) || service.kinds.contains(.meter))
    }

    /// How each genesis service is scored in the simulator, one line each, for the summary.
    public var scoring: [String] {
        genesis.services.map { service in
            let kinds = service.kinds.map(\.name).joined(separator: ", ")
            return modules[service.name] is TelemetryService
                ? "\(service.name) (\(kinds)): the node's telemetry module, from OBD-II and Modbus batches"
                : "\(service.name) (\(kinds)): the uptime module, from heartbeats (the simulator does not model this service's own work)"
        }
    }

    /// Epochs in the month owners look back over when they decide.
    var trailingEpochs: Int { max(1, 30 * 86_400 / genesis.epochs.lengthSeconds) }

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
        var states: [String: String] = [:]
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
                reports[cohort.address] = work[cohort.fleet].reports(
                    for: cohort, epoch: epoch, startMs: startMs, endMs: endMs,
                    originMs: genesis.epochs.startTime * 1000)
                sizes[cohort.address] = UInt128(fleet.members[index].count)
            }
            devices.sort { $0.id < $1.id }
            let input = EpochInput(
                epoch: Int64(epoch), startMs: startMs, endMs: endMs, devices: devices, reports: [], usage: usage,
                emittedBefore: ledger.emitted, burned: burned, carried: carried, previousCumulative: [:], states: states)
            let scoring = mode == .individual ? modules : modules.mapValues { CohortService(inner: $0, sizes: sizes) }
            let result = EpochEngine(genesis: genesis, services: scoring).close(input, verified: reports)
            observe?(input, reports, result)
            ledger.record(result)
            carried = result.carryForward
            states = result.states.mapValues { $0.base64EncodedString() }

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
            // Owners judge by the last month's earnings, not one epoch's (a car parked for a day
            // is not a reason to unplug it).
            let priceNow = price.priceUSD
            let window = min(epoch + 1, trailingEpochs)
            let trailingUSD = fleet.cohorts.indices.map {
                (cumulativeUSD[$0][epoch + 1] - cumulativeUSD[$0][epoch + 1 - window]) / Double(window)
            }
            let changes = evolve(&fleet, epoch: epoch, trailingUSD: trailingUSD, active: active, using: &random)
            rows.append(
                SimulatedEpoch(
                    epoch: epoch, devices: active, added: changes.added, removed: changes.removed,
                    emission: result.emission, minted: result.minted, burned: burned, supply: ledger.supply,
                    priceUSD: priceNow, demandUSD: market.usd, credits: Amount(market.credits), earnings: earnings))
            price.step(demandUSD: market.usd, mintedTokens: Double(result.minted.units) / tokenScale)
            progress?(epoch)
        }
        // Devices added after the last epoch earned nothing.
        while cumulativeUSD.count < fleet.cohorts.count {
            cumulativeUSD.append(Array(repeating: 0, count: scenario.epochs + 1))
        }
        return SimulationRun(
            seed: seed, epochs: rows, fleets: outcomes(fleet, cumulativeUSD: cumulativeUSD), trackedUSD: trackedUSD,
            trackedTokens: trackedTokens)
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
