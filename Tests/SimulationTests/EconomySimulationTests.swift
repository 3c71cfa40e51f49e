import Core
import Foundation
import Ledger
import Node
import Rewards
import Simulation
import Testing

/// The simulator against the node's own reward code, and the scenario properties a token
/// designer relies on. Each test runs its simulations off the concurrency pool, one test at a time.
@Suite(.serialized) struct EconomySimulationTests {
    /// Collects what a run's observer sees.
    final class Observed: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var epochs: [(EpochInput, [Address: [Report]], EpochResult)] = []

        func add(_ input: EpochInput, _ reports: [Address: [Report]], _ result: EpochResult) {
            lock.lock()
            epochs.append((input, reports, result))
            lock.unlock()
        }
    }

    static let telemetryFleets = """
        [demand.telemetry]
        usd_per_epoch = 50
        growth_per_year = 3

        [kinds.vehicle]
        initial = 6
        hardware_cost_usd = 150
        uptime_min = 0.5
        uptime_max = 1.0
        max_growth_per_epoch = 0.2
        churn_per_epoch = 0.05

        [kinds.meter]
        initial = 4
        hardware_cost_usd = 200
        uptime_min = 0.2
        uptime_max = 0.4
        """

    @Test func theSimulatorPaysWhatTheNodePaysForTheSameEpochs() async throws {
        let genesis = SimulationFixtures.genesis(services: [SimulationFixtures.service("telemetry", weight: 90, [.vehicle, .meter], usagePercent: 30)])
        let scenario = try SimulationFixtures.scenario(epochs: 8, fleets: Self.telemetryFleets)
        let observed = Observed()
        let simulation = try EconomySimulation(genesis: genesis, scenario: scenario, mode: .individual)
        let run = try await SimulationFixtures.offThePool { simulation.run(seed: 11, observe: { observed.add($0, $1, $2) }) }
        #expect(run.epochs.count == 8)
        #expect(run.epochs.contains { $0.added.reduce(0, +) > 0 } && run.epochs.contains { $0.removed.reduce(0, +) > 0 })

        // The node: the engine its service catalog builds for this genesis, fed the same reports
        // signed by each device's key, as they would sit in its report log.
        let node = try ServiceCatalog.engine(for: genesis)
        let keys = Dictionary(uniqueKeysWithValues: (0..<200).map {
            let key = DeviceFleet.representativeKey(serial: $0)
            return (key.address, key)
        })
        var streaked = false
        for (simulatedInput, reports, simulated) in observed.epochs {
            var logged: [EpochInput.LoggedReport] = []
            for device in reports.keys.sorted() {
                let kind = try #require(simulatedInput.devices.first { $0.id == device }).kind
                for var report in reports[device] ?? [] {
                    let key = try #require(keys[device])
                    report.sign(with: key)
                    let refusal = node.validate(report, kind: try #require(DeviceKind(name: kind)))
                    #expect(refusal == nil, "the node accepts it at ingest: \(kind) \(refusal ?? "")")
                    logged.append(.init(id: Int64(logged.count + 1), bytes: report.canonicalBytes.hexString))
                }
            }
            var input = simulatedInput
            input.reports = logged
            let closed = node.close(input)
            #expect(closed == simulated, "epoch \(input.epoch): the node's result")
            #expect(closed.states == simulated.states, "epoch \(input.epoch): the carried telemetry state")
            #expect(closed.devices.contains { $0.amount > .zero })
            if closed.devices.contains(where: { $0.multiplier != "1.000" && $0.service == "telemetry" }) { streaked = true }
        }
        #expect(streaked, "streaks and energy points show in the multipliers")
    }

    @Test func cohortsPayEachDeviceWhatItWouldEarnAlone() async throws {
        let fleets = """
            [demand.connectivity]
            usd_per_epoch = 400

            [demand.telemetry]
            usd_per_epoch = 100

            [kinds.hotspot]
            initial = 40
            hardware_cost_usd = 400
            uptime_min = 0.6
            uptime_max = 1.0

            [kinds.vehicle]
            initial = 25
            hardware_cost_usd = 150
            uptime_min = 0.5

            [kinds.meter]
            initial = 10
            hardware_cost_usd = 200
            uptime_min = 0.3
            uptime_max = 0.9
            """
        let scenario = try SimulationFixtures.scenario(epochs: 6, fleets: fleets)
        let (grouped, alone) = try await SimulationFixtures.offThePool {
            (
                try EconomySimulation(genesis: SimulationFixtures.mixed, scenario: scenario).run(seed: 3),
                try EconomySimulation(genesis: SimulationFixtures.mixed, scenario: scenario, mode: .individual).run(seed: 3)
            )
        }
        let unit = 1e-6
        for (cohorts, individual) in zip(grouped.epochs, alone.epochs) {
            #expect(cohorts.emission == individual.emission)
            #expect(cohorts.minted == individual.minted)
            #expect(cohorts.burned == individual.burned)
            #expect(cohorts.devices == individual.devices)
            #expect(cohorts.priceUSD == individual.priceUSD)
            for (a, b) in zip(cohorts.earnings, individual.earnings) {
                // Each device's part is the same floor of its share; a cohort's output and usage
                // remainders, split together, can give its members one base unit more.
                #expect(a.median > 0)
                #expect(abs(a.p10 - b.p10) <= unit * 1.01 && abs(a.median - b.median) <= unit * 1.01 && abs(a.p90 - b.p90) <= unit * 1.01)
            }
        }
    }

    @Test func withNoDemandNothingIsBurnedAndNetEmissionIsEmission() async throws {
        let fleets = """
            [kinds.hotspot]
            initial = 500
            hardware_cost_usd = 400
            uptime_min = 0.5
            max_growth_per_epoch = 0.02
            churn_per_epoch = 0.01
            """
        let genesis = SimulationFixtures.mixed
        let simulation = try EconomySimulation(genesis: genesis, scenario: try SimulationFixtures.scenario(epochs: 40, fleets: fleets))
        let run = try await SimulationFixtures.offThePool { simulation.run(seed: 5) }
        var minted = Amount.zero
        for row in run.epochs {
            #expect(row.burned == .zero && row.credits == .zero && row.demandUSD == 0)
            #expect(row.netEmission.negative == false && row.netEmission.amount == row.emission)
            #expect(row.emission > .zero)
            minted = try minted.adding(row.minted)
            #expect(row.supply == (try genesis.allocated.adding(minted)))
        }
    }

    @Test func aDemandShockLowersBurnAndPrice() async throws {
        let fleets = """
            [demand.connectivity]
            usd_per_epoch = 20000
            growth_per_year = 1

            [kinds.hotspot]
            initial = 2000
            hardware_cost_usd = 400
            power_watts = 5
            uptime_min = 0.5
            max_growth_per_epoch = 0.01
            churn_per_epoch = 0.001
            unprofitable_churn_per_epoch = 0.02
            """
        let shock = "[[shock]]\nstart_epoch = 60\nepochs = 60\nfactor = 0.2\n"
        let genesis = SimulationFixtures.mixed
        let calmScenario = try SimulationFixtures.scenario(epochs: 150, fleets: fleets)
        let shockedScenario = try SimulationFixtures.scenario(epochs: 150, fleets: fleets, extra: shock)
        let (calm, shocked) = try await SimulationFixtures.offThePool {
            (
                try EconomySimulation(genesis: genesis, scenario: calmScenario).run(seed: 9),
                try EconomySimulation(genesis: genesis, scenario: shockedScenario).run(seed: 9)
            )
        }
        // The same seed: identical until the shock.
        #expect(Array(calm.epochs.prefix(60)) == Array(shocked.epochs.prefix(60)))
        func burned(_ run: SimulationRun, _ range: Range<Int>) -> UInt128 {
            run.epochs[range].reduce(UInt128(0)) { $0 + $1.burned.units }
        }
        #expect(shocked.epochs[60].demandUSD < calm.epochs[60].demandUSD * 0.21)
        #expect(burned(shocked, 60..<120) < burned(calm, 60..<120))
        #expect(shocked.epochs[119].priceUSD < calm.epochs[119].priceUSD)
        for epoch in 61..<120 { #expect(shocked.epochs[epoch].priceUSD < calm.epochs[epoch].priceUSD, "epoch \(epoch)") }
    }

    @Test func supplyNeverPassesTheCap() async throws {
        // 1,000 allocated, a cap of 5,000 and 300 a day: the cap binds in the 14th epoch.
        let genesis = SimulationFixtures.genesis(
            services: [SimulationFixtures.service("connectivity", weight: 90, [.hotspot])], perEpochTokens: 300,
            capTokens: 5_000, allocatedTokens: 1_000)
        let fleets = """
            [demand.connectivity]
            usd_per_epoch = 50

            [kinds.hotspot]
            initial = 100
            hardware_cost_usd = 400
            max_growth_per_epoch = 0.05
            """
        let simulation = try EconomySimulation(genesis: genesis, scenario: try SimulationFixtures.scenario(epochs: 30, fleets: fleets))
        let run = try await SimulationFixtures.offThePool { simulation.run(seed: 1) }
        var emitted = genesis.allocated
        for row in run.epochs {
            emitted = try emitted.adding(row.emission)
            #expect(row.supply <= genesis.token.supplyCap)
            #expect(emitted <= genesis.token.supplyCap)
        }
        #expect(emitted == genesis.token.supplyCap, "the schedule runs up to the cap exactly")
        #expect(run.epochs[13].emission < Amount(300_000_000) && run.epochs[14].emission == .zero)
        #expect(run.epochs.last!.burned > .zero)
    }

    @Test func aSeedRepeatsAndAnotherSeedDiffers() async throws {
        let fleets = """
            [demand.telemetry]
            usd_per_epoch = 100

            [kinds.vehicle]
            initial = 300
            hardware_cost_usd = 150
            uptime_min = 0.4
            max_growth_per_epoch = 0.02
            churn_per_epoch = 0.01
            """
        let simulation = try EconomySimulation(
            genesis: SimulationFixtures.mixed, scenario: try SimulationFixtures.scenario(epochs: 30, fleets: fleets))
        let (first, again, other) = try await SimulationFixtures.offThePool {
            (simulation.run(seed: 4), simulation.run(seed: 4), simulation.run(seed: 5))
        }
        #expect(again.epochs == first.epochs)
        #expect(other.epochs.map(\.priceUSD) != first.epochs.map(\.priceUSD))
    }

    @Test func anOwnersDevicePaysBackWhenItsShareCoversItsCost() throws {
        // 99 identical hotspots and the owner's: 9,000 tokens a day over 100 devices is 90 tokens,
        // $90 at a steady $1, less $0.12 of power: $500 pays back in the 6th epoch.
        let genesis = SimulationFixtures.genesis(
            services: [SimulationFixtures.service("connectivity", weight: 90, [.hotspot])], perEpochTokens: 10_000)
        let scenario = try Scenario(
            toml: """
                [simulation]
                epochs = 10
                tiers = 1
                [price]
                initial_usd = 1.0
                [kinds.hotspot]
                initial = 99
                hardware_cost_usd = 500
                power_watts = 50
                """)
        let simulation = try EconomySimulation(genesis: genesis, scenario: scenario)
        let run = simulation.run(seed: 1, tracked: .init(fleet: 0, region: nil, tier: 0))
        #expect(run.trackedTokens == Array(repeating: 90, count: 10))
        let estimate = PaybackEstimate(runs: [run], hardwareCostUSD: 500, powerPerEpochUSD: simulation.powerCostUSD(fleet: 0))
        #expect(abs(simulation.powerCostUSD(fleet: 0) - 0.18) < 1e-9)
        #expect(estimate.paybackEpochs == [6])
        #expect(estimate.payback(at: 0.5) == 6 && estimate.paidBackShare == 1)
        #expect(estimate.table(epochSeconds: 86_400).contains("6 epochs (6 days)"))
    }

    @Test func aScenarioThatDoesNotFitTheGenesisIsRefused() throws {
        let genesis = SimulationFixtures.genesis(services: [SimulationFixtures.service("connectivity", weight: 90, [.hotspot])])
        let dashcams = try SimulationFixtures.scenario(epochs: 5, fleets: "[kinds.dashcam]\ninitial = 1\nhardware_cost_usd = 500")
        #expect(throws: SimulationError("kind dashcam is in the scenario but no service of the genesis pays it")) {
            try EconomySimulation(genesis: genesis, scenario: dashcams)
        }
        let demand = try SimulationFixtures.scenario(
            epochs: 5, fleets: "[kinds.hotspot]\ninitial = 1\nhardware_cost_usd = 5", extra: "[demand.rendering]\nusd_per_epoch = 1")
        #expect(throws: SimulationError("the scenario has demand for 'rendering', which is not a service of the genesis")) {
            try EconomySimulation(genesis: genesis, scenario: demand)
        }
    }
}
