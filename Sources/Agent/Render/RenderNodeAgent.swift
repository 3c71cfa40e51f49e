import Core
import Foundation
import Logging

/// `depin agent render-node`: benchmarks the node's renderer on the reference scene, then takes
/// leases from the node, renders each frame with Blender, uploads it and reports it, signed.
public final class RenderNodeAgent: Sendable {
    /// How the agent runs.
    public struct Configuration: Sendable {
        /// The node.
        public var nodeURL: URL
        /// State (nonce), downloaded scenes and rendered frames.
        public var directory: String
        /// The renderer.
        public var renderer: BlenderRenderer
        /// Seconds between asking for work when there is none.
        public var pollInterval: Double = 2
        /// Stop after rendering this many frames.
        public var maxFrames: Int?
        /// Stop the first time there is no work.
        public var exitWhenIdle = false
        /// For testing verification only: render every frame with this many samples instead of
        /// the job's, as a node skimping on the work would.
        public var cheatSamples: Int?
        /// The reference scene's size: frames are rendered at this width, with these samples.
        public var benchmarkWidth = 160
        public var benchmarkSamples = 16

        /// A configuration.
        public init(nodeURL: URL, directory: String, renderer: BlenderRenderer) {
            self.nodeURL = nodeURL
            self.directory = directory
            self.renderer = renderer
        }
    }

    private let key: SigningKey
    private let configuration: Configuration
    private let client: NodeClient
    private let queue: ReportQueue
    private let logger: Logger

    /// An agent for the device `key`.
    public init(key: SigningKey, configuration: Configuration, logger: Logger) throws {
        self.key = key
        self.configuration = configuration
        self.client = NodeClient(baseURL: configuration.nodeURL, timeout: 60)
        self.queue = try ReportQueue(directory: configuration.directory)
        self.logger = logger
    }

    /// Benchmarks, then renders leased frames until told to stop; returns the frames rendered.
    @discardableResult
    public func run() async throws -> Int {
        // A node that is not up yet is waited for; a refusal or a renderer that fails ends the run.
        while true {
            do {
                try await benchmark()
                break
            } catch let error as RenderError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning("node unreachable; benchmarking again shortly", metadata: ["reason": "\(error.localizedDescription)"])
                try await Task.sleep(for: .milliseconds(Int(max(configuration.pollInterval, 1) * 1000)))
            }
        }
        var rendered = 0
        while configuration.maxFrames.map({ rendered < $0 }) ?? true {
            try Task.checkCancellation()
            // A lease can be lost under the node's feet (it ran out, or the frame was sent back to
            // be redone) and the node can be away for a while: the agent says so and goes on.
            do {
                guard let lease = try await lease() else {
                    if configuration.exitWhenIdle { break }
                    try await Task.sleep(for: .milliseconds(Int(configuration.pollInterval * 1000)))
                    continue
                }
                if lease.role == "benchmark" {
                    try await answerCheck(lease)
                } else {
                    try await render(lease)
                    rendered += 1
                }
            } catch let error as RenderError {
                logger.warning("frame not taken", metadata: ["reason": "\(error.description)"])
                try await Task.sleep(for: .milliseconds(Int(configuration.pollInterval * 1000)))
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning("node unreachable", metadata: ["reason": "\(error.localizedDescription)"])
                try await Task.sleep(for: .milliseconds(Int(max(configuration.pollInterval, 1) * 1000)))
            }
        }
        return rendered
    }

    /// Renders the network's reference scene and reports the time. The scene is the one the
    /// node names (`GET /v1/render/reference`); before any node has benchmarked, the agent builds
    /// it with the generating script and uploads it, and its benchmark pins it.
    func benchmark() async throws {
        do { try await benchmarkOnce() } catch let error as RenderError where error.description.contains("wrong_reference_scene") {
            // Another node pinned the reference first: benchmark that one.
            try await benchmarkOnce()
        }
    }

    private func benchmarkOnce() async throws {
        let scene = try await referenceScene()
        let (png, ms) = try configuration.renderer.render(
            scene: scene.path, frame: 1, samples: 0, into: configuration.directory + "/benchmark")
        let output = try await upload(png)
        var report = try fresh()
        report.renderBenchmark.sceneSha256 = scene.sha256
        report.renderBenchmark.outputSha256 = output
        report.renderBenchmark.renderMs = UInt64(max(ms, 1))
        report.renderBenchmark.renderer = configuration.renderer.description()
        report.sign(with: key)
        try await send("/v1/render/benchmarks", report, expecting: 201)
        logger.info("benchmarked", metadata: ["ms": "\(ms)", "renderer": "\(report.renderBenchmark.renderer)"])
    }

    /// The reference scene on disk, fetched from the node or built and uploaded.
    func referenceScene() async throws -> (path: String, sha256: String) {
        let reply = try await client.get("/v1/render/reference")
        if reply.status == 200,
            let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
            let hash = object["scene_sha256"] as? String
        {
            return (try await fetchScene(hash), hash)
        }
        guard reply.status == 404 else { throw failure("/v1/render/reference", reply) }
        let path = configuration.directory + "/reference-\(configuration.benchmarkWidth)-\(configuration.benchmarkSamples).blend"
        if !FileManager.default.fileExists(atPath: path) {
            try configuration.renderer.makeScene(
                at: path, frames: 1, samples: configuration.benchmarkSamples, width: configuration.benchmarkWidth)
        }
        let hash = try await upload(FileManager.default.contents(atPath: path) ?? Data())
        return (path, hash)
    }

    /// Renders the benchmark again with the seed a benchmark check asks for, and answers it.
    func answerCheck(_ lease: Lease) async throws {
        guard let seed = lease.seed else { throw RenderError("a benchmark check without a seed") }
        let scene = try await fetchScene(lease.scene)
        let (png, ms) = try configuration.renderer.render(
            scene: scene, frame: lease.frame, samples: 0, seed: seed, into: configuration.directory + "/check")
        let output = try await upload(png)
        var report = try fresh()
        report.renderBenchmark.sceneSha256 = lease.scene
        report.renderBenchmark.outputSha256 = output
        report.renderBenchmark.renderMs = UInt64(max(ms, 1))
        report.renderBenchmark.renderer = configuration.renderer.description()
        report.renderBenchmark.checkSeed = UInt64(seed)
        report.sign(with: key)
        let reply = try await client.post("/v1/render/benchmarks", body: report.canonicalBytes)
        guard reply.status == 200 else { throw failure("/v1/render/benchmarks", reply) }
        let verdict = (try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any])?["verdict"] as? String
        logger.info("benchmark checked", metadata: ["ms": "\(ms)", "verdict": "\(verdict ?? "?")"])
    }

    struct Lease: Decodable {
        var role: String
        var job: String
        var frame: Int
        var scene: String
        var samples: Int
        var format: String
        var seed: Int?
    }

    func lease() async throws -> Lease? {
        var report = try fresh()
        report.heartbeat.uptimeS = UInt64(ProcessInfo.processInfo.systemUptime)
        report.heartbeat.agentVersion = "depin-agent/0.1.0 render-node"
        report.sign(with: key)
        let reply = try await client.post("/v1/render/leases", body: report.canonicalBytes)
        if reply.status == 204 { return nil }
        guard reply.status == 200 else { throw failure("/v1/render/leases", reply) }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Lease.self, from: reply.body)
    }

    func render(_ lease: Lease) async throws {
        let scene = try await fetchScene(lease.scene)
        let (png, ms) = try configuration.renderer.render(
            scene: scene, frame: lease.frame, samples: configuration.cheatSamples ?? lease.samples,
            into: configuration.directory + "/frames/\(lease.job)")
        let output = try await upload(png)
        var report = try fresh()
        report.renderedFrame.job = lease.job
        report.renderedFrame.frame = UInt32(lease.frame)
        report.renderedFrame.outputSha256 = output
        report.renderedFrame.renderMs = UInt64(max(ms, 1))
        report.sign(with: key)
        try await send("/v1/render/frames", report, expecting: 200)
        logger.info(
            "rendered", metadata: ["job": "\(lease.job)", "frame": "\(lease.frame)", "role": "\(lease.role)", "ms": "\(ms)"])
    }

    /// The scene `sha256` on disk, fetched from the node's content store (and checked) once.
    private func fetchScene(_ sha256: String) async throws -> String {
        let scene = configuration.directory + "/scenes/\(sha256).blend"
        if !FileManager.default.fileExists(atPath: scene) {
            let reply = try await client.get("/v1/content/\(sha256)")
            guard reply.status == 200, SHA256Digest.hex(reply.body) == sha256 else {
                throw RenderError("cannot fetch scene \(sha256) (HTTP \(reply.status))")
            }
            try FileManager.default.createDirectory(
                atPath: configuration.directory + "/scenes", withIntermediateDirectories: true)
            try reply.body.write(to: URL(fileURLWithPath: scene), options: .atomic)
        }
        return scene
    }

    private func fresh() throws -> Report {
        var report = Report()
        report.nonce = try queue.nextNonce()
        report.timestampMs = Int64(Date().timeIntervalSince1970 * 1000)
        return report
    }

    private func upload(_ data: Data) async throws -> String {
        let reply = try await client.put("/v1/content", body: data)
        guard reply.status == 201,
            let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
            let address = object["sha256"] as? String, address == SHA256Digest.hex(data)
        else { throw failure("/v1/content", reply) }
        return address
    }

    private func send(_ path: String, _ report: Report, expecting status: Int) async throws {
        let reply = try await client.post(path, body: report.canonicalBytes)
        guard reply.status == status else { throw failure(path, reply) }
    }

    private func failure(_ path: String, _ reply: NodeClient.Reply) -> RenderError {
        RenderError("\(path): \(reply.errorCode ?? "http_\(reply.status)"): \(reply.errorMessage ?? "refused")")
    }
}
