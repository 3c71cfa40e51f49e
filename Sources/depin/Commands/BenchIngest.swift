import ArgumentParser
import Core
import Foundation
import Ledger
import Rewards
import Simulation
import Store

extension BenchCommand {
    /// `depin bench ingest`: signed reports accepted per second end to end against the machine's
    /// Ed25519 verification rate, and the hot reads' latency while it runs (issue 12, bars 1 and 4).
    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reports accepted per second end to end, against Ed25519 verification on all cores; hot reads under that load.",
            discussion: """
                Registers the devices in a fresh store (SQLite in a temporary directory, or a new schema of the \
                --database-url PostgreSQL database, dropped after), closes epochs in which they earn, and starts \
                the node on a free loopback port. Then:
                1. the bound: Ed25519 signatures of the same reports verified per second, on every core;
                2. the store alone: the same reports appended straight to the store, one batch per transaction;
                3. end to end: a load generator in another process (depin bench ingest-load) signs every report \
                first, then posts batches over loopback connections; each report is decoded, verified, checked \
                against the registry and durable in the store before its batch is answered;
                4. hot reads (a device's rewards, a claim's proof, an account) one after another on another \
                connection, for three seconds alone and then during a second load like the first: their 50th and 99th \
                percentile latency.
                Build with -c release for meaningful numbers.
                """)
        @Option(name: .long, help: "A PostgreSQL database to run on (postgres://…); SQLite when not given.")
        var databaseURL: String?
        @Option(name: .long, help: "How many devices send reports.") var devices = 10_000
        @Option(name: .long, help: "How many reports the load generator sends.") var reports = 200_000
        @Option(name: .long, help: "Reports per batch.") var batch = 500
        @Option(name: .long, help: "The load generator's connections.") var connections = 4
        @Option(name: .long, help: "The longest the load may run, seconds.") var seconds = 120.0
        @Option(name: .long, help: "The node's --verify-niceness (0 to 19).") var verifyNiceness: Int32 = 0

        func run() async throws {
            guard (connections...1_000_000).contains(devices), (1...10_000_000).contains(reports), (1...1_000).contains(batch),
                (1...64).contains(connections), seconds > 0, seconds <= 3_600
            else {
                throw CLIError(
                    "--connections is 1 to 64, --devices at least --connections and at most 1000000, --reports 1 to 10000000, --batch 1 to 1000, --seconds up to 3600")
            }
            _ = try NodeCommand.niceness(verifyNiceness)
            let directory = NSTemporaryDirectory() + "depin-bench-ingest-\(UUID())"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let database = try databaseURL.map(BenchDatabase.init(url:))
            do {
                try await measure(directory: directory, database: database)
            } catch {
                await database?.drop()
                throw error
            }
            await database?.drop()
        }

        func measure(directory: String, database: BenchDatabase?) async throws {

            var network = try await IngestNetwork.make(
                directory: directory, databaseURL: database?.url, devices: devices, storeDevices: min(reports / 4, 50_000))
            say("database: \(database?.description ?? "SQLite, \(directory)/node.sqlite")")
            say(
                "set up \(devices) devices and \(IngestNetwork.closedEpochs) closed epochs in \(network.setupSeconds.formatted2) s"
                    + (database == nil ? "" : ", the database settled after (VACUUM (ANALYZE), CHECKPOINT)"))

            let cores = ProcessInfo.processInfo.activeProcessorCount
            let bound = Self.verificationRate(cores: cores)
            say("1. Ed25519 verification on \(cores) cores: \(Int(bound)) signatures a second (swift-crypto)")

            let alone = try await network.appendDirectly(batch: batch)
            say("2. the store alone: \(Int(alone)) reports a second (\(batch) a transaction, one writer)")

            let node = try await BenchNode.start(
                directory: directory, genesisPath: network.genesisPath, databaseURL: database?.url,
                verifyNiceness: verifyNiceness)
            defer { node.stop() }
            // Ingest on its own: bar 1, with what each part of the work cost.
            let recorder = ThreadCPU.Recorder(postgres: database != nil)
            recorder.start()
            let load = try Self.runLoad(
                port: node.port, seed: IngestNetwork.seed, devices: devices, reports: reports, batch: batch,
                connections: connections, seconds: seconds)
            let cpu = recorder.stop()
            // The bound again, right after: the machine's speed drifts (a fifth between runs here), and
            // the load's share is taken against the mean of the bound before and after it.
            let boundAfter = Self.verificationRate(cores: cores)
            let meanBound = (bound + boundAfter) / 2
            let rate = Double(load.accepted) / max(load.seconds, 1e-9)
            say(
                "3. end to end: \(load.accepted) of \(load.sent) reports accepted in \(load.seconds.formatted2) s: \(Int(rate)) a second, \(Int((100 * rate / meanBound).rounded()))% of the bound (\(Int(bound)) before, \(Int(boundAfter)) after, \(Int(meanBound)) mean)"
            )
            let stored = try await Self.checkStored(network: network, acknowledged: load.accepted)
            say(
                "   (the generator signed them beforehand in \(load.signingSeconds.formatted2) s; \(load.rejected) refused, \(load.failedBatches) batches failed; \(stored) reports in the store)"
            )
            Self.sayBreakdown(cpu, generator: load.cpuSeconds, reports: load.accepted, seconds: load.seconds, cores: cores)
            if let verifying = cpu.seconds["signature verification"], load.accepted > 0, meanBound > 0 {
                // The bound's own cost of a signature, for comparison: what the share loses to
                // verification costing more under the load than alone shows here.
                let during = verifying * 1e6 / Double(load.accepted)
                let alone = Double(cores) * 1e6 / meanBound
                say(
                    "   a signature took the verifier's threads \(during.formatted1) µs during the load, against \(alone.formatted1) µs in the bound (\(cores) cores at its mean rate)"
                )
                // The share taken apart, exactly: the bound's cost of a signature over the load's
                // (verification slower under the load, or the machine's speed drifting between the
                // measurements), times 1 / (1 + the rest of a report over the load's signature): the
                // node's own work beside verification, idle included, which does not move with the
                // machine's speed. At the bound's cost, 70% needs the rest at 0.43 of a signature.
                let rest = max(load.seconds * Double(cores) * 1e6 / Double(load.accepted) - during, 0)
                say(
                    "   the share is \((alone / during).formatted2) (the bound's signature over the load's) × \((1 / (1 + rest / during)).formatted2) (the rest of a report, \(rest.formatted1) µs, \((rest / during).formatted2) of the load's signature; 70% needs at most 0.43 at the bound's cost)"
                )
            }

            // The hot reads on their own, then under a second load of as many reports (bar 4).
            let quiet = HotReadProbe(port: node.port, targets: network.readTargets)
            quiet.start()
            try await Task.sleep(for: .seconds(3))
            let idle = quiet.stop()
            let probe = HotReadProbe(port: node.port, targets: network.readTargets)
            probe.start()
            let second = try Self.runLoad(
                port: node.port, seed: IngestNetwork.seed, devices: devices, reports: reports, batch: batch,
                connections: connections, seconds: seconds, firstNonce: UInt64(reports) + 1)
            let reads = probe.stop()
            try await Self.checkStored(network: network, acknowledged: load.accepted + second.accepted)
            let secondRate = Double(second.accepted) / max(second.seconds, 1e-9)
            say(
                "4. hot reads, one after another on one connection, alone and then during a second load (\(second.accepted) of \(second.sent) accepted, \(Int(secondRate)) a second with the reads, \(Int((100 * secondRate / meanBound).rounded()))% of the mean bound):"
            )
            say("   read | requests alone | p50 ms | p99 ms | requests loaded | p50 ms | p99 ms | under 10 ms at p99 loaded")
            for (alone, loaded) in zip(idle, reads) {
                say(
                    "   \(loaded.name) | \(alone.count) | \(alone.p50.formatted2) | \(alone.p99.formatted2) | \(loaded.count) | \(loaded.p50.formatted2) | \(loaded.p99.formatted2) | \(loaded.p99 < 10 ? "yes" : "no")"
                )
            }
            try await network.store.close()
        }

        /// Ed25519 verifications a second on `cores` threads, over signatures of heartbeat reports.
        static func verificationRate(cores: Int) -> Double {
            let samples = (0..<2_048).map { index -> (PublicKey, Data, Data) in
                var report = Report()
                report.nonce = UInt64(index + 1)
                report.timestampMs = 1_767_225_600_000 + Int64(index)
                report.heartbeat.uptimeS = report.nonce
                let key = CoverageWorld.key(seed: 5, label: "bound", index: index)
                report.sign(with: key)
                return (key.publicKey, report.signingBytes, report.signature)
            }
            let counts = IngestLoad.Totals()
            let clock = ContinuousClock()
            let began = clock.now
            DispatchQueue.concurrentPerform(iterations: cores) { worker in
                let stop = Date().addingTimeInterval(3)
                var done = 0
                var index = worker
                while Date() < stop {
                    for _ in 0..<256 {
                        let (key, message, signature) = samples[index % samples.count]
                        if key.isValidSignature(signature, for: message) { done += 1 }
                        index += 1
                    }
                }
                counts.add(accepted: done, rejected: 0)
            }
            return Double(counts.outcome(seconds: 0, signingSeconds: 0).accepted) / (clock.now - began).seconds
        }

        /// Where the load's CPU went: each part's microseconds a report and share of the machine.
        static func sayBreakdown(_ cpu: ThreadCPU, generator: Double, reports: Int, seconds: Double, cores: Int) {
            guard reports > 0, seconds > 0 else { return }
            let capacity = seconds * Double(cores)
            var lines = ThreadCPU.parts.compactMap { part in cpu.seconds[part].map { (part, $0) } }
            lines.append(("the load generator (its own process)", generator))
            let used = lines.reduce(0) { $0 + $1.1 }
            lines.append(("idle, or another process", max(capacity - used, 0)))
            say("   where the CPU went during the load (\(cores) cores × \(seconds.formatted2) s):")
            for (part, spent) in lines where spent > 0 {
                say(
                    "   \(part) | \((spent * 1e6 / Double(reports)).formatted1) µs a report | \(Int((100 * spent / capacity).rounded()))%"
                )
            }
        }

        /// Checks that the store holds exactly the reports the node acknowledged (besides those
        /// the benchmark appended directly).
        @discardableResult
        static func checkStored(network: IngestNetwork, acknowledged: Int) async throws -> Int {
            let stored = try await network.store.counts().reports - network.appendedDirectly
            guard stored == acknowledged else {
                throw CLIError("the store holds \(stored) of the \(acknowledged) reports the node acknowledged")
            }
            return stored
        }

        /// Runs the load generator as its own process and reads its outcome.
        static func runLoad(
            port: Int, seed: UInt64, devices: Int, reports: Int, batch: Int, connections: Int, seconds: Double,
            firstNonce: UInt64 = 1
        ) throws -> IngestLoad.Outcome {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            process.arguments = [
                "bench", "ingest-load", "--port", "\(port)", "--seed", "\(seed)", "--devices", "\(devices)", "--reports",
                "\(reports)", "--batch", "\(batch)", "--connections", "\(connections)", "--seconds", "\(seconds)",
                "--first-nonce", "\(firstNonce)",
            ]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0, let outcome = try? JSONDecoder().decode(IngestLoad.Outcome.self, from: data)
            else { throw CLIError("the load generator failed (exit \(process.terminationStatus))") }
            return outcome
        }
    }

    /// `depin bench ingest-load`: the ingest benchmark's load generator (run by `depin bench ingest`).
    struct IngestLoadCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ingest-load", abstract: "The ingest benchmark's load generator.", shouldDisplay: false)
        @Option var port: Int
        @Option var seed: UInt64
        @Option var devices: Int
        @Option var reports: Int
        @Option var batch: Int
        @Option var connections: Int
        @Option var seconds: Double
        @Option var firstNonce: UInt64 = 1

        func run() throws {
            guard connections > 0, devices >= connections, reports > 0, batch > 0 else {
                throw CLIError("--connections, --devices (at least --connections), --reports and --batch are positive")
            }
            let outcome = try IngestLoad(
                port: port, seed: seed, devices: devices, reports: reports, batch: batch, connections: connections,
                seconds: seconds, firstNonce: firstNonce
            ).run()
            print(String(decoding: try JSONEncoder().encode(outcome), as: UTF8.self))
        }
    }
}

/// A line on standard output, written at once (print buffers when the output is a pipe or a
/// file, and a benchmark's figures should show as they come).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

extension Double {
    /// Two decimals.
    var formatted2: String { String(format: "%.2f", self) }
    /// One decimal.
    var formatted1: String { String(format: "%.1f", self) }
}
