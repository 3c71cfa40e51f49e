import Agent
import ArgumentParser
import Core
import Foundation
import Hummingbird
import Ledger
import Logging
import Node
import Store

extension BenchCommand {
    /// `depin bench render`: how much the market costs on top of the renders themselves.
    struct RenderJobs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "render",
            abstract: "Frames per minute of a render job over 1, 2 and 4 agents against Blender rendering the same frames alone.",
            discussion: """
                The reference renders each frame in its own Blender process, one after another, as an agent does. \
                Each agent count then renders the same frames as a job through a node on loopback (agents are \
                separate processes that have already benchmarked). The ratio is the job's time over the \
                reference's: 1.00 is no overhead. Cycles already renders one frame on every core, so agents beyond \
                one add no cores; they overlap one Blender's start-up and scene loading with another's rendering. \
                Needs Blender.
                """)
        @Option(name: .long, help: "Frames in the job.") var frames = 12
        @Option(name: .long, help: "Cycles samples per pixel.") var samples = 32
        @Option(name: .long, help: "Frame width in pixels.") var width = 240
        @Option(name: .long, help: "Agent counts to time, comma-separated.") var agents = "1,2,4"

        func run() async throws {
            let counts = agents.split(separator: ",").compactMap { Int($0) }
            guard (1...1_000).contains(frames), !counts.isEmpty, counts.allSatisfy({ (1...16).contains($0) }) else {
                throw CLIError("--frames is 1 to 1000; --agents lists counts of 1 to 16")
            }
            let directory = NSTemporaryDirectory() + "depin-bench-render-\(UUID())"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let renderer = BlenderRenderer(logPath: directory + "/blender.log")
            let scene = directory + "/scene.blend"
            try renderer.makeScene(at: scene, frames: frames, samples: samples, width: width)

            // The reference: Blender alone, one process per frame, after one untimed render that
            // warms the file cache (the agents' benchmarks do the same for them).
            let clock = ContinuousClock()
            _ = try renderer.render(scene: scene, frame: 1, samples: 0, into: directory + "/warm-up")
            let reference = try clock.measure {
                for frame in 1...frames { _ = try renderer.render(scene: scene, frame: frame, samples: 0, into: directory + "/reference") }
            }
            let referenceSeconds = Self.seconds(reference)

            // A node with a rendering service and nothing verified, a funded creator, 16 render nodes.
            // No benchmark checks: agents sharing this machine's cores cannot hold their solo
            // benchmark times, so checks would fail honest agents here.
            let creator = SigningKey()
            let genesisPath = directory + "/network.toml"
            var genesis = try InitCommand.parse([
                "--token", "Bench Token", "--symbol", "BENCH", "--out", genesisPath,
                "--allocate", "\(creator.address)=1000000000000",
            ]).makeGenesis(keyDirectory: directory)
            for index in genesis.services.indices where genesis.services[index].kinds.contains(.renderNode) {
                genesis.services[index].parameters["verify_percent"] = .init(value: .integer(0), line: 0)
                genesis.services[index].parameters["benchmark_check_percent"] = .init(value: .integer(0), line: 0)
            }
            try genesis.toml.write(toFile: genesisPath, atomically: true, encoding: .utf8)
            let store = try SQLNetworkStore(path: directory + "/node.sqlite")
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            try await store.bootstrap(genesis: genesis, genesisHash: SHA256Digest.hex(Data(genesis.toml.utf8)), nowMs: now)
            let maker = try KeyFile.load(from: directory + "/maker.key").publicKey
            let nodes = (0..<16).map { _ in SigningKey() }
            try await store.importDevices(
                nodes.map { DeviceRecord(key: $0.publicKey, kind: .renderNode, owner: creator.address, maker: maker, onboardedMs: now) },
                nowMs: now)
            for (index, node) in nodes.enumerated() { _ = try KeyFile.create(at: directory + "/node\(index).key", key: node) }
            let rules = TransactionRules(genesis: genesis)
            var nonce: UInt64 = 0
            func sign(_ build: (inout Transaction) -> Void) -> Transaction {
                nonce += 1
                var transaction = Transaction()
                transaction.nonce = nonce
                transaction.timestampMs = Int64(Date().timeIntervalSince1970 * 1000)
                build(&transaction)
                transaction.sign(with: creator)
                return transaction
            }
            _ = try await store.apply(sign { $0.burn.amount = "1000000000000" }, rules: rules, nowMs: now)

            let node = try await BenchNode.start(directory: directory, genesisPath: genesisPath)
            defer { node.stop() }
            let content = try ContentStore(directory: directory + "/content")
            let sceneHash = try content.put(try Data(contentsOf: URL(fileURLWithPath: scene)))
            let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
            let cores = ProcessInfo.processInfo.activeProcessorCount

            print(String(format: "reference: %d frames in %.1f s alone (%.1f frames/min)", frames, referenceSeconds, Double(frames) * 60 / referenceSeconds))
            print("agents | seconds | frames/min | job time / reference time (\(cores) cores; each Blender uses all of them)")
            var used = 0
            for count in counts {
                guard used + count <= nodes.count else { break }
                let team = Array(used..<used + count)
                used += count
                var processes: [Process] = []
                defer { for process in processes where process.isRunning { process.terminate() } }
                for index in team {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: executable)
                    process.arguments = [
                        "agent", "render-node", "--key", directory + "/node\(index).key", "--state-dir", directory + "/agent\(index)",
                        "--interval", "0.05", "--node", "http://127.0.0.1:\(node.port)",
                    ]
                    process.standardOutput = FileHandle.nullDevice
                    process.standardError = FileHandle.nullDevice
                    try process.run()
                    processes.append(process)
                }
                // Benchmarks first: they are not part of the job.
                for index in team {
                    while try await store.renderNode(nodes[index].publicKey) == nil {
                        guard processes.allSatisfy(\.isRunning) else { throw CLIError("an agent stopped before its benchmark") }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
                let job = sign {
                    $0.submitRenderJob.sceneSha256 = sceneHash
                    $0.submitRenderJob.frameStart = 1
                    $0.submitRenderJob.frameEnd = UInt32(frames)
                    $0.submitRenderJob.format = "PNG"
                    $0.submitRenderJob.tier = "priority"
                    $0.submitRenderJob.priceCapCredits = "1000000000"
                }
                let id = TransactionRules.renderJobID(job)
                let began = clock.now
                _ = try await store.apply(job, rules: rules, nowMs: Int64(Date().timeIntervalSince1970 * 1000))
                while try await store.renderJob(id)?.state != "done" {
                    guard clock.now - began < .seconds(3_600) else { throw CLIError("the job did not finish in an hour") }
                    try await Task.sleep(for: .milliseconds(20))
                }
                let seconds = Self.seconds(clock.now - began)
                print(String(format: "%d | %.1f | %.1f | %.2f", count, seconds, Double(frames) * 60 / seconds, seconds / referenceSeconds))
            }
        }

        static func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
    }
}
