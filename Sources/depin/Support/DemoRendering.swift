import Agent
import Core
import Foundation
import Ledger
import Logging

/// The demo's rendering market. With Blender on PATH the render-node device runs a real render
/// agent (Cycles on the CPU) and the owner submits one small economy job of a generated scene,
/// so the explorer's rendering market has a node, a job and paid frames; without Blender the
/// device sends heartbeats like the other devices.
struct DemoRendering: Sendable {
    let directory: String
    let owner: SigningKey
    let logger: Logger

    /// The job: frames of the generated scene, small enough to render in seconds.
    static let frames: UInt32 = 4

    /// Whether Blender is on PATH.
    static var hasBlender: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/blender")
        }
    }

    private var folder: String { directory + "/render" }

    /// Builds the scene, buys the owner credits and submits the job, once per data directory.
    /// Returns the job's id, or nil without Blender.
    func prepare(_ client: NodeClient) async throws -> String? {
        guard Self.hasBlender else { return nil }
        let marker = folder + "/job"
        if let job = try? String(contentsOfFile: marker, encoding: .utf8) { return job }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let scene = folder + "/scene.blend"
        try BlenderRenderer(logPath: folder + "/blender.log").makeScene(
            at: scene, frames: Int(Self.frames), samples: 4, width: 64)
        let data = try Data(contentsOf: URL(fileURLWithPath: scene))
        let upload = try await client.put("/v1/content", body: data)
        guard upload.status == 201 else { throw CLIError("the demo scene upload was refused: \(upload.errorMessage ?? "")") }
        _ = try await client.signAndSubmit(by: owner) { $0.burn.amount = "1000000" }
        var transaction = Transaction()
        transaction.nonce = try await client.nextNonce(for: owner.address)
        transaction.timestampMs = Int64(Date().timeIntervalSince1970 * 1000)
        transaction.submitRenderJob.sceneSha256 = SHA256Digest.hex(data)
        transaction.submitRenderJob.frameStart = 1
        transaction.submitRenderJob.frameEnd = Self.frames
        transaction.submitRenderJob.format = "PNG"
        transaction.submitRenderJob.tier = "economy"
        transaction.submitRenderJob.priceCapCredits = "20000"
        transaction.sign(with: owner)
        _ = try await client.submit(transaction)
        let job = TransactionRules.renderJobID(transaction)
        try job.write(toFile: marker, atomically: true, encoding: .utf8)
        return job
    }

    /// The render agent for the demo's render node.
    func agent(key: SigningKey, url: URL) throws -> RenderNodeAgent {
        let state = directory + "/agents/render-node"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        var configuration = RenderNodeAgent.Configuration(
            nodeURL: url, directory: state, renderer: BlenderRenderer(logPath: state + "/blender.log"))
        configuration.pollInterval = 1
        return try RenderNodeAgent(key: key, configuration: configuration, logger: logger)
    }
}
