import ArgumentParser
import Core
import Foundation
import Ledger
import Rewards

extension BenchCommand {
    /// `depin bench epoch`: one epoch's close for a large network, from reports already accepted.
    struct Epoch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "epoch",
            abstract: "Time an epoch's close for many devices and reports: score, split, manifest and Merkle tree.",
            discussion: """
                Makes DEVICES devices across init's five default services, each with a payout address (so the \
                manifest and its Merkle tree have a leaf per device) and REPORTS heartbeats each, already verified \
                (the node checks signatures as reports arrive), and times EpochEngine.close over them, with the \
                process's peak resident memory. Issue 12's goal: 1,000,000 devices and 10,000,000 reports in under \
                60 s and 4 GB. Build with -c release for meaningful numbers.
                """)
        @Option(name: .long, help: "How many devices.") var devices = 1_000_000
        @Option(name: .long, help: "Accepted reports per device.") var reports = 10
        @Option(
            name: .long,
            help: "Close as the node does, from a SQLite store in this directory (loaded by a child process the first time).")
        var throughStore: String?
        @Flag(name: .long, help: "With --through-store: read the input as served, its log as hex, instead of streaming it.")
        var textLog = false
        @Option(
            name: .long,
            help: """
                With --through-store: load and close from a new schema of this PostgreSQL database (dropped after), \
                or from the schema the URL names (?schema=NAME: loaded once, kept).
                """)
        var databaseURL: String?
        @Flag(
            name: .long,
            help: "With --database-url: close straight after the load, without vacuuming, analyzing and checkpointing first.")
        var unsettled = false
        @Option(name: .long, help: .hidden) var loadStore: String?

        func run() async throws {
            guard (1...5_000_000).contains(devices), (1...288).contains(reports) else {
                throw CLIError("--devices is 1 to 5000000 and --reports 1 to 288")
            }
            if let loadStore {
                try await StoreCloseBench(directory: loadStore, devices: devices, reports: reports, databaseURL: databaseURL)
                    .load()
                return
            }
            if let throughStore {
                // The close as the node runs it, with the node's allocator: two arenas (without
                // the cap, the close of a million devices from SQLite peaked at 3,837 MB, against
                // 3,344 MB with it, in back-to-back runs).
                MallocTuning.limitArenas(MallocTuning.nodeArenas)
                var database: BenchDatabase?
                if let databaseURL { database = try BenchDatabase(url: databaseURL) }
                let bench = StoreCloseBench(
                    directory: throughStore, devices: devices, reports: reports, databaseURL: database?.url,
                    settle: !unsettled)
                do {
                    let kept = database.map { $0.schema == nil } ?? false
                    if try await !bench.isLoaded(keptSchema: kept) {
                        print(
                            "loading \(devices) devices and \(devices * reports) reports into "
                                + (database.map(\.description) ?? bench.databasePath)
                                + (database == nil || kept ? " (once)" : ""))
                        fflush(nil)
                        let loader = Process()
                        loader.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
                        loader.arguments =
                            ["bench", "epoch", "--load-store", throughStore, "--devices", "\(devices)", "--reports", "\(reports)"]
                            + (database.map { ["--database-url", $0.url] } ?? [])
                        try loader.run()
                        loader.waitUntilExit()
                        guard loader.terminationStatus == 0 else { throw CLIError("loading the store failed") }
                    }
                    try await bench.close(textLog: textLog)
                } catch {
                    await database?.drop()
                    throw error
                }
                await database?.drop()
                return
            }
            let genesis = BenchCommand.Sim.genesis()
            let kinds: [DeviceKind] = [.hotspot, .renderNode, .storageNode, .dashcam, .vehicle, .meter]
            let startMs = genesis.epochs.startTime * 1000
            let endMs = startMs + Int64(genesis.epochs.lengthSeconds) * 1000
            let clock = ContinuousClock()
            var snapshot: [EpochInput.Device] = []
            var byDevice: [Address: [Report]] = [:]
            snapshot.reserveCapacity(devices)
            byDevice.reserveCapacity(devices)
            let made = clock.measure {
                let owner = try! SigningKey(seed: Data(repeating: 9, count: 32)).address
                for index in 0..<devices {
                    var seed = Data(repeating: 0, count: 32)
                    withUnsafeBytes(of: UInt64(index).bigEndian) { seed.replaceSubrange(24..<32, with: $0) }
                    let address = Address(publicKey: try! PublicKey(rawRepresentation: seed))
                    var payout = Data(count: 20)
                    withUnsafeBytes(of: UInt64(index).bigEndian) { payout.replaceSubrange(12..<20, with: $0) }
                    payout[0] = 0xAB
                    snapshot.append(
                        .init(id: address, kind: kinds[index % kinds.count].name, owner: owner, payout: try! EVMAddress(bytes: payout)))
                    byDevice[address] = (0..<reports).map { slot in
                        var report = Report()
                        report.device = seed
                        report.nonce = UInt64(slot + 1)
                        report.timestampMs = startMs + Int64(slot) * 300_000
                        report.heartbeat = Heartbeat()
                        return report
                    }
                }
                snapshot.sort { $0.id < $1.id }
            }
            let afterMaking = BenchCommand.Sim.peakResidentMB()
            let input = EpochInput(
                epoch: 0, startMs: startMs, endMs: endMs, devices: snapshot, reports: [], emittedBefore: .zero)
            let engine = EpochEngine(genesis: genesis)
            var result: EpochResult?
            let closed = clock.measure { result = engine.close(input, verified: byDevice) }
            let peak = BenchCommand.Sim.peakResidentMB()
            print("devices: \(devices), accepted reports: \(devices * reports)")
            print(String(format: "making them in memory: %.1f s (resident %.0f MB)", BenchCommand.Sim.seconds(made), afterMaking))
            print(
                String(
                    format: "close (score, split, manifest of %d entries, Merkle root): %.1f s (goal: under 60 s)",
                    result!.manifest.count, BenchCommand.Sim.seconds(closed)))
            print(String(format: "peak resident memory: %.0f MB (goal: under 4096 MB)", peak))
            print("root: \(result!.root)")
        }
    }
}
