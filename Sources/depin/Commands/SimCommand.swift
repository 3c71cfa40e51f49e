import ArgumentParser
import Core
import Foundation
import Geo
import Ledger
import Simulation

/// `depin sim`: the network and its economy at scale, in process.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Simulate the network and its economy over many epochs: devices, demand, supply, price, earnings.",
        discussion: """
            Runs the node's epoch engine in process (no HTTP, no database) over a scenario's devices and customers.
            docs/simulation.md describes the scenario file and the model.
            """,
        subcommands: [Run.self, Earnings.self], defaultSubcommand: Run.self)

    /// The genesis and scenario every subcommand reads.
    struct Inputs: ParsableArguments {
        @Option(name: .long, help: "The network's genesis file.") var genesis: String
        @Option(name: .long, help: "The scenario file (TOML).") var scenario: String
        @Option(name: .long, help: "Override the scenario's seed.") var seed: UInt64?
        @Option(name: .long, help: "Override the scenario's number of epochs.") var epochs: Int?

        func load() throws -> (Genesis, Scenario) {
            guard let genesisText = try? String(contentsOfFile: genesis, encoding: .utf8) else {
                throw CLIError("cannot read the genesis file \(genesis)")
            }
            let parsedGenesis: Genesis
            do { parsedGenesis = try Genesis(toml: genesisText) } catch { throw CLIError("\(genesis): \(error)") }
            guard let scenarioText = try? String(contentsOfFile: scenario, encoding: .utf8) else {
                throw CLIError("cannot read the scenario file \(scenario)")
            }
            var parsedScenario: Scenario
            do { parsedScenario = try Scenario(toml: scenarioText) } catch { throw CLIError("\(scenario): \(error)") }
            if let seed { parsedScenario.seed = seed }
            if let epochs {
                guard (1...100_000).contains(epochs) else { throw CLIError("--epochs is between 1 and 100000") }
                parsedScenario.epochs = epochs
            }
            return (parsedGenesis, parsedScenario)
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a scenario; write epochs.csv, charts/*.svg and summary.txt (and bands.csv with --runs).")

        @OptionGroup var inputs: Inputs
        @Option(name: .long, help: "The folder to write to.") var out = "sim-out"
        @Option(name: .long, help: "Monte Carlo runs, seeds SEED, SEED+1, …; several give percentile bands.") var runs = 1
        @Flag(name: .long, help: "Score every device on its own instead of in cohorts (up to 50,000 devices; slow).")
        var individual = false
        @Flag(name: .long, help: "No progress on standard error.") var quiet = false

        func run() async throws {
            guard (1...10_000).contains(runs) else { throw CLIError("--runs is between 1 and 10000") }
            let (genesis, scenario) = try inputs.load()
            let simulation: EconomySimulation
            do {
                simulation = try EconomySimulation(
                    genesis: genesis, scenario: scenario, mode: individual ? .individual : .cohorts)
            } catch { throw CLIError("\(inputs.scenario): \(error)") }
            let results = SimCommand.runAll(simulation, runs: runs, tracked: nil, quiet: quiet)
            let report = SimulationReport(simulation, runs: results)
            let files = report.files
            try SimCommand.write(files, to: out)
            print(files["summary.txt"] ?? "", terminator: "")
            print("wrote \(out)/: " + files.keys.sorted().joined(separator: ", "))
        }
    }

    struct Earnings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "earnings",
            abstract: "A hardware owner's estimate: when one more device of a kind pays back, across the scenario's risks.")

        @OptionGroup var inputs: Inputs
        @Option(name: .long, help: "The device's kind (one of the scenario's).") var kind: String
        @Option(name: .long, help: "What the device costs you, dollars.") var hardwareCost: Double
        @Option(name: .long, help: "Where it goes: an H3 cell; it takes the scenario region containing it.")
        var location: String?
        @Option(name: .long, help: "Its power draw in watts (default: the scenario's for the kind).") var powerWatts: Double?
        @Option(name: .long, help: "Its quality tier, 0 (worst) to tiers-1 (default: the middle one).") var tier: Int?
        @Option(name: .long, help: "Monte Carlo runs.") var runs = 20
        @Option(name: .long, help: "The folder for payback.svg and payback.csv.") var out = "sim-earnings"
        @Flag(name: .long, help: "No progress on standard error.") var quiet = false

        func run() async throws {
            guard (1...10_000).contains(runs) else { throw CLIError("--runs is between 1 and 10000") }
            guard hardwareCost >= 0, hardwareCost.isFinite else { throw CLIError("--hardware-cost is dollars, 0 or more") }
            let (genesis, loaded) = try inputs.load()
            var scenario = loaded
            guard let fleet = scenario.fleets.firstIndex(where: { $0.kind.name == kind }) else {
                throw CLIError(
                    "the scenario has no \(kind) devices; it has " + scenario.fleets.map(\.kind.name).joined(separator: ", "))
            }
            if let powerWatts {
                guard powerWatts >= 0, powerWatts.isFinite else { throw CLIError("--power-watts is 0 or more") }
                scenario.fleets[fleet].powerWatts = powerWatts
            }
            var region: Int?
            if let location {
                let cell: H3Cell
                do { cell = try H3Cell(parsing: location) } catch { throw CLIError("--location \(location) is not an H3 cell") }
                region = scenario.region(containing: cell)
            }
            let chosenTier = tier ?? scenario.tiers / 2
            guard (0..<scenario.tiers).contains(chosenTier) else {
                throw CLIError("--tier is between 0 and \(scenario.tiers - 1)")
            }
            let simulation: EconomySimulation
            do { simulation = try EconomySimulation(genesis: genesis, scenario: scenario) } catch {
                throw CLIError("\(inputs.scenario): \(error)")
            }
            let tracked = EconomySimulation.TrackedDevice(fleet: fleet, region: region, tier: chosenTier)
            let results = SimCommand.runAll(simulation, runs: runs, tracked: tracked, quiet: quiet)
            let estimate = PaybackEstimate(
                runs: results, hardwareCostUSD: hardwareCost, powerPerEpochUSD: simulation.powerCostUSD(fleet: fleet))
            let place = region.map { "in region \(scenario.regions[$0].name)" } ?? "outside every region"
            print("a \(kind) \(place), tier \(chosenTier) of \(scenario.tiers)")
            print(estimate.table(epochSeconds: genesis.epochs.lengthSeconds), terminator: "")
            var csv = ["epoch,cumulative_net_p10,cumulative_net_median,cumulative_net_p90"]
            for epoch in 0..<estimate.horizon {
                let values = estimate.cumulativeNet.map { $0[epoch] }.sorted()
                csv.append(
                    String(
                        format: "%d,%.2f,%.2f,%.2f", epoch + 1, RunBands.percentile(values, 0.1),
                        RunBands.percentile(values, 0.5), RunBands.percentile(values, 0.9)))
            }
            try SimCommand.write(
                ["payback.svg": estimate.chart.svg(), "payback.csv": csv.joined(separator: "\n") + "\n"], to: out)
            print("wrote \(out)/payback.svg and \(out)/payback.csv")
        }
    }

    /// Runs seeds `seed…seed+runs-1` on every core, with one progress bar over all their epochs.
    static func runAll(
        _ simulation: EconomySimulation, runs: Int, tracked: EconomySimulation.TrackedDevice?, quiet: Bool
    ) -> [SimulationRun] {
        let epochs = simulation.scenario.epochs
        let bar = ProgressBar(total: runs * epochs, label: runs == 1 ? "epochs" : "epochs over \(runs) runs", enabled: !quiet)
        let collected = RunCollector(count: runs)
        DispatchQueue.concurrentPerform(iterations: runs) { index in
            let result = simulation.run(
                seed: simulation.scenario.seed &+ UInt64(index), tracked: tracked, progress: { _ in bar.advance() })
            collected.set(index, result)
        }
        return collected.results
    }

    /// Writes `files` under `folder`, making the folders they need.
    static func write(_ files: [String: String], to folder: String) throws {
        for (name, text) in files {
            let path = folder + "/" + name
            let directory = (path as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            } catch { throw CLIError("cannot write \(path): \(error.localizedDescription)") }
        }
    }
}

/// Results of concurrent runs, by index.
private final class RunCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [SimulationRun?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ run: SimulationRun) {
        lock.lock()
        slots[index] = run
        lock.unlock()
    }

    var results: [SimulationRun] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
