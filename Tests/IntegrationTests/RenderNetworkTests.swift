import Foundation
import Testing

/// The rendering network with real Blender: a node, three render-node agents, a creator's job of
/// a generated scene. One agent is killed while it holds a lease; its lease runs out, another
/// agent renders the frame, and the job completes with every frame matching a single-machine
/// render and the escrow paying exactly the frames' work.
@Suite(.serialized) struct RenderNetworkTests {
    static var hasBlender: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/blender")
        }
    }

    /// Runs Blender to the end; its output is dropped.
    static func blender(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["blender"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try DepinBinary.launch(process)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// A node whose genesis adds `parameters` to the rendering service (and no random benchmark
    /// checks: three agents share two cores here, so none holds its solo benchmark time), three onboarded render
    /// nodes, a creator with 100,000 credits, a generated scene of `frames` frames submitted as
    /// a job with a cap of 20,000 credits. Returns the world, the nodes' addresses and the job.
    func launch(parameters: String, frames: Int, oracle: Bool = false) async throws -> (IntegrationWorld, [String], String) {
        let world = try IntegrationWorld()
        let owner = try world.depin("keys", "new", "--out", "owner.key").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try world.depin("keys", "new", "--out", "maker.key")
        let maker = try world.depin("keys", "show", "--key", "maker.key").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try world.depin("init", "--token", "Render Token", "--symbol", "RND", "--maker", maker, "--allocate", "\(owner)=10000000")
        let genesisPath = world.directory + "/network.toml"
        let genesis = try String(contentsOfFile: genesisPath, encoding: .utf8)
        try genesis.replacingOccurrences(of: "kinds = [\"render-node\"]\n", with: "kinds = [\"render-node\"]\nbenchmark_check_percent = 0\n" + parameters)
            .write(toFile: genesisPath, atomically: true, encoding: .utf8)
        try await world.startNode(extra: oracle ? ["--oracle-key", "oracle.key"] : [])
        var nodes: [String] = []
        for index in 1...3 {
            _ = try world.depin(
                "device", "onboard", "--owner-key", "owner.key", "--device-key", "node\(index).key", "--maker-key", "maker.key",
                "--kind", "render-node")
            nodes.append(try world.depin("keys", "show", "--key", "node\(index).key").trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(try world.depin("wallet", "burn", "--key", "owner.key", "--amount", "1000000").contains("100000 credits"))
        _ = try world.depin("render", "scene", "scene.blend", "--frames", "\(frames)", "--samples", "8", "--width", "120")
        let refused = try world.depinFails("render", "submit", "scene.blend", "--frames", "12-1", "--cap", "5000", "--key", "owner.key")
        #expect(refused.stderr.contains("invalid_render_job"))
        let job = try world.depin("render", "submit", "scene.blend", "--frames", "1-\(frames)", "--cap", "20000", "--key", "owner.key")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(job.count == 16)
        return (world, nodes, job)
    }

    /// Starts a render-node agent for node `index`.
    func agent(_ world: IntegrationWorld, _ index: Int, extra: [String] = []) throws -> Process {
        try DepinBinary.start(
            ["agent", "render-node", "--key", "node\(index).key", "--state-dir", "agent\(index)", "--interval", "0.2"] + extra,
            in: world.directory, log: world.directory + "/agent\(index).log", environment: world.environment)
    }

    /// Frames `frames` of the job's download match a render of the same scene on one machine.
    func matchLocalRenders(_ world: IntegrationWorld, frames: [Int]) throws {
        for frame in frames {
            try Self.blender(
                ["-b", world.directory + "/scene.blend", "-o", world.directory + "/local/frame_####", "-F", "PNG", "-f", "\(frame)"])
            let name = String(format: "frame_%04d.png", frame)
            let compared = try world.depin("render", "compare", "frames/" + name, "local/" + name)
            #expect(compared.contains("identical") || (Double(compared.split(separator: " ")[1]) ?? 0) >= 30, "\(name): \(compared)")
        }
    }

    @Test(.enabled(if: hasBlender, "Blender is not installed (scripts/setup.sh installs it)"))
    func threeAgentsRenderAJobThatSurvivesAKilledAgent() async throws {
        // Short leases, so the killed agent's frame comes back quickly.
        let (world, nodes, job) = try await launch(
            parameters: "lease_s = 8\ncredits_per_reference_frame = 100\nverify_percent = 10\n", frames: 12)
        // The third agent takes a frame and dies holding it.
        let doomed = try agent(world, 3)
        let held = try await DemoCommandTests.waitFor(seconds: 60) { () async -> Int? in
            let view = try? await world.json("/v1/render/jobs/\(job)") as? [String: Any]
            let tasks = view?["tasks"] as? [[String: Any]] ?? []
            return tasks.first { $0["state"] as? String == "leased" && $0["node"] as? String == nodes[2] }?["frame"] as? Int
        }
        kill(doomed.processIdentifier, SIGKILL)
        doomed.waitUntilExit()
        var agents: [Process] = []
        defer { for agent in agents where agent.isRunning { kill(agent.processIdentifier, SIGKILL) } }
        for index in 1...2 { agents.append(try agent(world, index)) }
        let finished = try world.depin("render", "status", job, "--wait", "--timeout", "240")
        #expect(finished.contains("12/12 frames") && finished.contains("done"))
        #expect(try world.depin("render", "fetch", job, "--out", "frames").contains("wrote 12 of 12"))

        // The frame the dead agent held was rendered by another, after its lease ran out.
        let view = try #require(try await world.json("/v1/render/jobs/\(job)") as? [String: Any])
        let tasks = try #require(view["tasks"] as? [[String: Any]])
        let retaken = try #require(tasks.first { $0["frame"] as? Int == held })
        #expect((retaken["attempts"] as? Int ?? 0) >= 1 && retaken["node"] as? String != nodes[2])
        #expect(Set(tasks.compactMap { $0["node"] as? String }).isSubset(of: Set(nodes.prefix(2))))

        // Every frame matches a render of the same scene on one machine.
        try matchLocalRenders(world, frames: [1, held, 12])

        // The escrow paid exactly the frames' work and returned the rest.
        let details = try #require(view["job"] as? [String: Any])
        let results = try #require(view["results"] as? [[String: Any]])
        let paid = results.reduce(0) { $0 + (Int($1["paid"] as? String ?? "") ?? 0) }
        #expect(paid == tasks.reduce(0) { $0 + (Int($1["paid"] as? String ?? "") ?? 0) })
        #expect(paid > 0 && details["spent"] as? String == String(paid))
        #expect(details["refunded"] as? String == String(20_000 - paid))
        let balance = try world.depin("wallet", "balance", "--key", "owner.key")
        #expect(balance.contains("credits: \(100_000 - paid)"), "\(balance)")
        #expect(try world.depin("ledger", "verify", "--data-dir", "data", "--genesis", "network.toml").contains("ledger ok"))

        // The first agent restarts alone: benchmarking again owes a check, which it answers by
        // rendering the reference scene with the check's seed, and passes.
        for agent in agents where agent.isRunning { kill(agent.processIdentifier, SIGKILL) }
        let again = try agent(world, 1, extra: ["--exit-when-idle"])
        again.waitUntilExit()
        let checks = try #require(try await world.json("/v1/render/nodes/\(nodes[0])/checks") as? [[String: Any]])
        #expect(checks.count == 1 && checks.first?["verdict"] as? String == "passed", "\(checks)")
        #expect((checks.first?["psnr"] as? Double ?? 0) >= 30)
        let reference = try #require(try await world.json("/v1/render/reference") as? [String: Any])
        #expect(reference["pinned_by"] as? String == "first benchmark")
    }

    /// Every first render verified; the third agent skimps (one sample per pixel). Its frames
    /// are outvoted by tie-breaks, it loses reputation and pay, its frames are redone, and the
    /// job still completes with every frame matching a one-machine render.
    @Test(.enabled(if: hasBlender, "Blender is not installed (scripts/setup.sh installs it)"))
    func aSkimpingAgentIsCaughtAndItsFramesRedone() async throws {
        let (world, nodes, job) = try await launch(
            parameters: "credits_per_reference_frame = 100\nverify_percent = 100\nreject_penalty = 40\n", frames: 6, oracle: true)
        var agents: [Process] = []
        defer { for agent in agents where agent.isRunning { kill(agent.processIdentifier, SIGKILL) } }
        // The cheat starts first, so it renders before anyone can check it.
        agents.append(try agent(world, 3, extra: ["--cheat-samples", "1"]))
        _ = try await DemoCommandTests.waitFor(seconds: 60) { () async -> Bool? in
            let view = try? await world.json("/v1/render/jobs/\(job)") as? [String: Any]
            let results = view?["results"] as? [[String: Any]] ?? []
            return results.contains { $0["node"] as? String == nodes[2] } ? true : nil
        }
        for index in 1...2 { agents.append(try agent(world, index)) }
        let finished = try world.depin("render", "status", job, "--wait", "--timeout", "300")
        #expect(finished.contains("6/6 frames") && finished.contains("done"))
        #expect(try world.depin("render", "fetch", job, "--out", "frames").contains("wrote 6 of 6"))
        try matchLocalRenders(world, frames: [1, 6])

        let view = try #require(try await world.json("/v1/render/jobs/\(job)") as? [String: Any])
        let results = try #require(view["results"] as? [[String: Any]])
        let cheats = results.filter { $0["node"] as? String == nodes[2] }
        #expect(!cheats.isEmpty && cheats.allSatisfy { $0["verdict"] as? String != "accepted" && $0["paid"] == nil })
        #expect(cheats.contains { $0["verdict"] as? String == "rejected" })
        let standing = try #require(try await world.json("/v1/render/nodes/\(nodes[2])") as? [String: Any])
        #expect((standing["reputation"] as? Int ?? 100) < 50)
        let tasks = try #require(view["tasks"] as? [[String: Any]])
        #expect(tasks.allSatisfy { $0["node"] as? String != nodes[2] })
        let details = try #require(view["job"] as? [String: Any])
        let paid = results.reduce(0) { $0 + (Int($1["paid"] as? String ?? "") ?? 0) }
        #expect(paid > 0 && details["spent"] as? String == String(paid) && details["refunded"] as? String == String(20_000 - paid))
        #expect(try world.depin("ledger", "verify", "--data-dir", "data", "--genesis", "network.toml").contains("ledger ok"))
    }
}
