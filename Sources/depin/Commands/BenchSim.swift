import ArgumentParser
import Core
import Foundation
import Geo
import Ledger
import Simulation

extension BenchCommand {
    /// `depin bench sim`: a million devices over a year of daily epochs, against the same code
    /// scoring every device on its own.
    struct Sim: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sim",
            abstract: "Time the simulator: many devices over many epochs, and its peak memory.",
            discussion: """
                Runs the five reference networks (init's default genesis) with DEVICES devices spread over the six \
                kinds, growing and churning, for EPOCHS daily epochs, in cohorts; then, as the reference in the same \
                run, the same code scoring every device on its own for a smaller population. Reports seconds, \
                device-epochs per second for both and their ratio, and the process's peak resident memory. The \
                issue's goal: 1,000,000 devices over 365 epochs in under 10 minutes and 4 GB. Build with \
                -c release for meaningful numbers.
                """)
        @Option(name: .long, help: "Devices at the start.") var devices = 1_000_000
        @Option(name: .long, help: "Daily epochs.") var epochs = 365
        @Option(name: .long, help: "Quality tiers per kind and region (cohorts: 6 kinds × 2 places × tiers).") var tiers = 10
        @Option(name: .long, help: "Devices for the one-by-one reference.") var referenceDevices = 2_000
        @Option(name: .long, help: "Epochs for the one-by-one reference.") var referenceEpochs = 10
        @Flag(name: .long, help: "No progress on standard error.") var quiet = false

        func run() async throws {
            guard (6...20_000_000).contains(devices), (1...10_000).contains(epochs) else {
                throw CLIError("--devices is 6 to 20000000 and --epochs 1 to 10000")
            }
            guard (1...1_000).contains(tiers) else { throw CLIError("--tiers is 1 to 1000") }
            guard (6...50_000).contains(referenceDevices), (1...1_000).contains(referenceEpochs) else {
                throw CLIError("--reference-devices is 6 to 50000 and --reference-epochs 1 to 1000")
            }
            let genesis = Self.genesis()
            var scenario = try Self.scenario(devices: devices, epochs: epochs)
            scenario.tiers = tiers
            let simulation = try EconomySimulation(genesis: genesis, scenario: scenario)
            let bar = ProgressBar(total: epochs, label: "epochs", enabled: !quiet)
            let clock = ContinuousClock()
            var run: SimulationRun?
            let elapsed = clock.measure { run = simulation.run(seed: 1, progress: { _ in bar.advance() }) }
            let peakMB = Self.peakResidentMB()
            let seconds = Self.seconds(elapsed)
            let deviceEpochs = run!.epochs.reduce(0) { $0 + $1.totalDevices }

            let reference = try EconomySimulation(
                genesis: genesis, scenario: Self.scenario(devices: referenceDevices, epochs: referenceEpochs), mode: .individual)
            var referenceRun: SimulationRun?
            let referenceElapsed = clock.measure { referenceRun = reference.run(seed: 1) }
            let referenceSeconds = Self.seconds(referenceElapsed)
            let referenceDeviceEpochs = referenceRun!.epochs.reduce(0) { $0 + $1.totalDevices }

            let last = run!.epochs.last!
            print(
                "simulated: \(devices) devices at the start, \(last.totalDevices) at the end, over \(epochs) daily epochs, "
                    + "in \(scenario.fleets.count * (scenario.regions.count + 1) * tiers) cohorts")
            print(String(format: "time: %.1f s (goal: under 600 s)", seconds))
            print(String(format: "peak resident memory: %.0f MB (goal: under 4096 MB)", peakMB))
            print(String(format: "cohorts: %.0f device-epochs/s (%d device-epochs)", Double(deviceEpochs) / seconds, deviceEpochs))
            print(
                String(
                    format: "one by one (the reference, %d devices over %d epochs): %.0f device-epochs/s",
                    referenceDevices, referenceEpochs, Double(referenceDeviceEpochs) / referenceSeconds))
            print(
                String(
                    format: "ratio cohorts / one by one: %.0f",
                    (Double(deviceEpochs) / seconds) / (Double(referenceDeviceEpochs) / referenceSeconds)))
        }

        static func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }

        /// The process's peak resident set, megabytes (Linux reports kilobytes).
        static func peakResidentMB() -> Double {
            var usage = rusage()
            #if os(Linux)
                getrusage(RUSAGE_SELF.rawValue, &usage)
            #else
                getrusage(RUSAGE_SELF, &usage)
            #endif
            #if os(Linux)
                return Double(usage.ru_maxrss) / 1024
            #else
                return Double(usage.ru_maxrss) / 1_048_576
            #endif
        }

        /// `depin init`'s default network: five services, a million tokens a day halving every two years.
        static func genesis() -> Genesis {
            let treasury = try! SigningKey(seed: Data(repeating: 3, count: 32)).address
            let scale: UInt128 = 1_000_000
            let weights = [("coverage", 40), ("rendering", 15), ("storage", 15), ("mapping", 10), ("telemetry", 10)]
            var usage = TOMLTable()
            usage["usage_share_percent"] = .init(value: .integer(30), line: 0)
            return Genesis(
                token: .init(name: "Bench", symbol: "BNCH", decimals: 6, supplyCap: Amount(10_000_000_000 * scale)),
                emission: .init(perEpoch: Amount(1_000_000 * scale), decay: .halving(epochs: 730)),
                epochs: .init(lengthSeconds: 86_400, startTime: 1_767_225_600), creditsPerToken: Amount(100_000),
                services: weights.map { .init(name: $0.0, weight: $0.1, kinds: Genesis.defaultKinds[$0.0]!, parameters: usage) },
                treasury: .init(weight: 10, account: treasury, emptyPools: .treasury),
                reports: .init(maxFutureSeconds: 300, maxAgeSeconds: 259_200), oracles: [], quorum: 1, makers: [],
                allocations: [.init(account: treasury, amount: Amount(2_000_000_000 * scale))])
        }

        /// `devices` spread over the six kinds as scenarios/launch.toml spreads them, growing and
        /// churning, with demand on every service, a shock, and one region.
        static func scenario(devices: Int, epochs: Int) throws -> Scenario {
            let shares: [(DeviceKind, Double, Double, Double)] = [
                (.hotspot, 0.40, 400, 5), (.renderNode, 0.05, 2_500, 350), (.storageNode, 0.10, 600, 30),
                (.dashcam, 0.08, 550, 5), (.vehicle, 0.32, 150, 1), (.meter, 0.05, 200, 3),
            ]
            var fleets = shares.map { kind, share, cost, watts in
                Scenario.Fleet(
                    kind: kind, initial: Int(Double(devices) * share), hardwareCostUSD: cost, powerWatts: watts,
                    uptime: 0.5...1.0, maxGrowthPerEpoch: 0.003, paybackTargetEpochs: 365, churnPerEpoch: 0.0005,
                    unprofitableChurnPerEpoch: 0.01)
            }
            fleets[0].initial += devices - fleets.reduce(0) { $0 + $1.initial }
            let demand = Dictionary(
                uniqueKeysWithValues: ["coverage", "rendering", "storage", "mapping", "telemetry"].map {
                    ($0, Scenario.Demand(usdPerEpoch: Double(devices) * 0.02, growthPerYear: 1, deviceElasticity: 0.5))
                })
            return Scenario(
                epochs: epochs, seed: 1, tiers: 10,
                price: .init(initialUSD: 0.5, volatilityPerYear: 0.9, marketDepthUSD: Double(devices) * 50),
                demand: demand, shocks: [.init(startEpoch: epochs / 2, epochs: max(1, epochs / 4), factor: 0.3)], fleets: fleets,
                regions: [.init(name: "san-francisco", cell: try H3Cell(parsing: "85283083fffffff"), share: 0.1, uptime: 0.9...1.0)])
        }
    }
}
