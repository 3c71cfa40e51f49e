import ArgumentParser
import Foundation

extension BenchCommand {
    /// `depin bench soak`: `depin demo` (a node with simulated devices of every kind) run for
    /// minutes in a child process, sampled as it goes: its memory, the hot reads' latency, and
    /// whether everything acknowledged is stored (issue 13's soak).
    struct Soak: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A node under devices of every kind for minutes: memory flat, latency bounded, nothing lost.",
            discussion: """
                Starts depin demo (hotspots, a render node, storage nodes, a dashcam, a vehicle, a meter, all \
                reporting at a steady rate) in a child process on a free loopback port, and every --sample-seconds \
                reads its anonymous memory (RssAnon: the heap; the database's memory map is left out), times the hot \
                reads (a device's rewards, an account, the network) 20 times each, and checks that the reports the \
                node has acknowledged are all in its log. Of the heap, SQLite's page caches (bounded by their \
                cache_size, 64 MiB a connection, and filling as the database grows) are told apart from the node's \
                own, which is what must stay flat. It stops the demo with SIGINT, then recomputes every \
                closed epoch and the ledger. It fails (exit 1) when the heap less SQLite's caches grows after the first quarter by \
                more than --max-growth-mib, when a sample's p99 is above --max-p99-ms, or when anything was lost.
                """)

        @Option(name: .long, help: "How long the load runs, minutes.") var minutes = 10.0
        @Option(name: .long, help: "Seconds between samples.") var sampleSeconds = 10.0
        @Option(name: .long, help: "Simulated hotspots.") var devices = 100
        @Option(name: .long, help: "Epoch length, seconds.") var epochSeconds = 10
        @Option(name: .long, help: "The most the heap less SQLite's caches may grow after the first quarter, MiB.") var maxGrowthMib = 32.0
        @Option(name: .long, help: "The most a sample's hot-read p99 may be, ms.") var maxP99Ms = 250.0

        func run() async throws {
            guard minutes > 0, minutes <= 24 * 60 else { throw CLIError("--minutes is above 0 and at most a day") }
            guard sampleSeconds >= 1 else { throw CLIError("--sample-seconds is at least 1") }
            let directory = NSTemporaryDirectory() + "depin-soak-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let demo = Process()
            demo.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            demo.arguments = [
                "demo", "--port", "0", "--data-dir", directory, "--devices", "\(devices)", "--epoch-seconds", "\(epochSeconds)",
            ]
            _ = FileManager.default.createFile(atPath: directory + "/demo.log", contents: nil)
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/demo.log"))
            demo.standardOutput = log
            demo.standardError = log
            try demo.run()
            defer { if demo.isRunning { kill(demo.processIdentifier, SIGKILL) } }

            let targets = try await SoakTargets.wait(directory: directory, demo: demo)
            say("soak: depin demo (pid \(demo.processIdentifier), \(devices) hotspots and a device of every other kind) at \(targets.node), \(minutes) minutes")
            say("minute | heap MiB | sqlite | own MiB | mapped MiB | reports stored | acknowledged | p50 ms | p99 ms")
            let end = Date().addingTimeInterval(minutes * 60)
            var samples: [SoakSample] = []
            var lost: [String] = []
            while Date() < end, demo.isRunning {
                try await Task.sleep(for: .seconds(sampleSeconds))
                let sample = try await SoakSample.take(pid: demo.processIdentifier, targets: targets, started: end.addingTimeInterval(-minutes * 60))
                if sample.stored < sample.acknowledged {
                    lost.append("at minute \(sample.minute): \(sample.acknowledged) acknowledged, \(sample.stored) stored")
                }
                samples.append(sample)
                say(sample.line)
            }
            guard demo.isRunning else { throw CLIError("depin demo stopped early; see its log") }
            kill(demo.processIdentifier, SIGINT)
            demo.waitUntilExit()
            let verdicts = try SoakVerdict.judge(
                samples: samples, lost: lost, directory: directory, genesis: targets.genesis, maxGrowthMib: maxGrowthMib,
                maxP99Ms: maxP99Ms)
            for line in verdicts.lines { say(line) }
            guard verdicts.passed else { throw ExitCode.failure }
        }
    }
}
