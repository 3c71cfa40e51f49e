import Compute
import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import Node
import NIOCore
import Store
import Testing

/// A render node's standing through the routes: the reference scene every benchmark renders,
/// benchmark checks at random or when owed (a node slower than it claimed is held to what the
/// check took), preference for idle nodes of better standing, and pay for no longer than a
/// lease was held.
@Suite struct RenderStandingTests {
    @Test func benchmarksAreCheckedAndBetterNodesPreferred() async throws {
        var table = TOMLTable()
        table["credits_per_reference_frame"] = .init(value: .integer(100), line: 0)
        table["verify_percent"] = .init(value: .integer(0), line: 0)
        table["benchmark_check_percent"] = .init(value: .integer(0), line: 0)
        table["preference_s"] = .init(value: .integer(10), line: 0)
        table["reject_penalty"] = .init(value: .integer(30), line: 0)
        let world = try await NodeWorld(rendering: table)
        let (fast, slow, stray) = (SigningKey(), SigningKey(), SigningKey())
        for (index, node) in [fast, slow, stray].enumerated() {
            _ = try await world.store.apply(
                world.onboarding(node, kind: .renderNode, nonce: UInt64(index + 1)), rules: world.state.rules, nowMs: world.nowMs)
        }
        _ = try await world.store.apply(
            world.transaction(by: world.alice, nonce: 4) { $0.burn.amount = "3000000" }, rules: world.state.rules, nowMs: world.nowMs)
        // The benchmark's picture, and a fresh render of it (the same picture with sampling noise).
        let picture = try PNGImage(png: RenderRouteTests.png)
        var noisy = picture.rgba
        for index in stride(from: 0, to: noisy.count, by: 8) { noisy[index] = noisy[index] > 2 ? noisy[index] - 2 : noisy[index] + 2 }
        let fresh = PNGImage(width: picture.width, height: picture.height, rgba: noisy).png()

        try await world.app.test(.router) { client in
            var nonces: [Data: UInt64] = [:]
            func post(_ path: String, _ node: SigningKey, _ build: (inout Report) -> Void) async throws -> TestResponse {
                nonces[node.publicKey.rawRepresentation, default: 0] += 1
                var report = Report()
                report.nonce = nonces[node.publicKey.rawRepresentation]!
                report.timestampMs = world.clock.nowMs
                build(&report)
                report.sign(with: node)
                return try await client.execute(uri: path, method: .post, headers: binary, body: protobuf(report.canonicalBytes))
            }
            func put(_ data: Data) async throws -> String {
                try object(try await client.execute(uri: "/v1/content", method: .put, body: ByteBuffer(bytes: data)).body)["sha256"]
                    as? String ?? ""
            }
            func benchmark(_ node: SigningKey, scene: String, ms: UInt64, output: String, seed: UInt64 = 0) async throws -> TestResponse {
                try await post("/v1/render/benchmarks", node) {
                    $0.renderBenchmark.sceneSha256 = scene
                    $0.renderBenchmark.outputSha256 = output
                    $0.renderBenchmark.renderMs = ms
                    $0.renderBenchmark.renderer = "test"
                    $0.renderBenchmark.checkSeed = seed
                }
            }
            func lease(_ node: SigningKey) async throws -> [String: Any]? {
                let answer = try await post("/v1/render/leases", node) {
                    $0.heartbeat.uptimeS = 1
                    $0.heartbeat.agentVersion = "test"
                }
                return answer.status == .noContent ? nil : try object(answer.body)
            }
            func standing(_ node: SigningKey) async throws -> [String: Any] {
                try object(try await client.execute(uri: "/v1/render/nodes/\(node.address)", method: .get).body)
            }
            let scene = try await put(Data("the reference scene".utf8))
            let other = try await put(Data("another scene".utf8))
            let output = try await put(RenderRouteTests.png)
            let freshOutput = try await put(fresh)

            // No reference before a benchmark; the first benchmark pins it; another scene is refused.
            let none = try await client.execute(uri: "/v1/render/reference", method: .get)
            #expect(try none.status == .notFound && object(none.body)["error"] as? String == "no_reference_scene")
            #expect(try await benchmark(fast, scene: scene, ms: 1_000, output: output).status == .created)
            let reference = try object(try await client.execute(uri: "/v1/render/reference", method: .get).body)
            #expect(reference["scene_sha256"] as? String == scene && reference["pinned_by"] as? String == "first benchmark")
            let refused = try await benchmark(stray, scene: other, ms: 10, output: output)
            #expect(try refused.status == .conflict && object(refused.body)["error"] as? String == "wrong_reference_scene")
            #expect(try await client.execute(uri: "/v1/render/nodes/\(stray.address)", method: .get).status == .conflict)
            let unscened = try await benchmark(stray, scene: String(repeating: "b", count: 64), ms: 10, output: output)
            #expect((try object(unscened.body))["error"] as? String == "scene_not_uploaded")

            // The slow node claims the fast node's time. Benchmarking again owes a check.
            #expect(try await benchmark(slow, scene: scene, ms: 1_000, output: output).status == .created)
            #expect(try await benchmark(slow, scene: scene, ms: 1_000, output: output).status == .created)
            #expect(try await standing(slow)["check_due"] as? Bool == true)
            let check = try #require(try await lease(slow))
            let seed = try #require(check["seed"] as? Int)
            #expect(check["role"] as? String == "benchmark" && check["scene"] as? String == scene && seed > 0)
            #expect(try await lease(slow)?["seed"] as? Int == seed)
            let wrongSeed = try await benchmark(slow, scene: scene, ms: 900, output: freshOutput, seed: UInt64(seed + 1))
            #expect((try object(wrongSeed.body))["error"] as? String == "no_benchmark_check")
            // Its check takes 6 s from lease to answer: more than 1 s claimed allows.
            world.clock.nowMs += 6_000
            let slowVerdict = try object(try await benchmark(slow, scene: scene, ms: 900, output: freshOutput, seed: UInt64(seed)).body)
            #expect(slowVerdict["verdict"] as? String == "slower_than_claimed" && slowVerdict["benchmark_after_ms"] as? Int == 6_000)
            let held = try await standing(slow)
            #expect(held["benchmark_ms"] as? Int == 6_000 && held["reputation"] as? Int == 40 && held["checks_failed"] as? Int == 1)
            #expect(held["check_due"] as? Bool == false && held["check_seed"] == nil)

            // The fast node benchmarks again and passes its check with a fresh render in time.
            #expect(try await benchmark(fast, scene: scene, ms: 1_000, output: output).status == .created)
            let fastCheck = try #require(try await lease(fast))
            world.clock.nowMs += 1_200
            let passed = try object(
                try await benchmark(fast, scene: scene, ms: 1_100, output: freshOutput, seed: UInt64(try #require(fastCheck["seed"] as? Int))).body)
            #expect(passed["verdict"] as? String == "passed" && (passed["psnr"] as? Double ?? 0) > 30)
            // Answering the same check twice is refused.
            let again = try await benchmark(fast, scene: scene, ms: 1_100, output: freshOutput, seed: UInt64(fastCheck["seed"] as! Int))
            #expect((try object(again.body))["error"] as? String == "no_benchmark_check")
            let checks = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(try await client.execute(uri: "/v1/render/nodes/\(fast.address)/checks", method: .get).body.readableBytesView))
                    as? [[String: Any]])
            #expect(checks.count == 1 && checks[0]["verdict"] as? String == "passed")

            // A one-frame job: the fast node is idle (it just asked) and of better standing, so
            // the slow node waits; the fast node takes the frame.
            #expect(try await lease(fast) == nil)
            let submit = world.renderJob(nonce: 5, scene: scene, frames: 1, to: 1, cap: "1000")
            _ = try await client.execute(uri: "/v1/transactions", method: .post, headers: binary, body: protobuf(submit.canonicalBytes))
            let job = TransactionRules.renderJobID(submit)
            #expect(try await lease(slow) == nil)
            #expect(try await lease(fast)?["job"] as? String == job)
            // A render claimed longer than its lease was held is paid for the time held: 1.5 s.
            world.clock.nowMs += 1_500
            _ = try await post("/v1/render/frames", fast) {
                $0.renderedFrame.job = job
                $0.renderedFrame.frame = 1
                $0.renderedFrame.outputSha256 = output
                $0.renderedFrame.renderMs = 60_000
            }
            let view = try object(try await client.execute(uri: "/v1/render/jobs/\(job)", method: .get).body)
            #expect((view["job"] as? [String: Any])?["spent"] as? String == "150")
            #expect((view["tasks"] as? [[String: Any]])?.first?["render_ms"] as? Int == 1_500)

            // Two frames and one busy better node: the slow node gets work at once.
            let busy = world.renderJob(nonce: 6, scene: scene, frames: 1, to: 2, cap: "1000")
            _ = try await client.execute(uri: "/v1/transactions", method: .post, headers: binary, body: protobuf(busy.canonicalBytes))
            #expect(try await lease(fast)?["frame"] as? Int == 1)
            #expect(try await lease(slow)?["frame"] as? Int == 2)
            // Nodes by standing.
            let listed = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(try await client.execute(uri: "/v1/render/nodes", method: .get).body.readableBytesView))
                    as? [[String: Any]])
            #expect(listed.compactMap { $0["device"] as? String } == [fast.address.description, slow.address.description])

            // The explorer's rendering market: nodes by standing, the newest jobs, the work in hand.
            let market = try object(try await client.execute(uri: "/markets/rendering?format=json", method: .get).body)
            let totals = try #require(market["totals"] as? [String: Any])
            #expect(totals["nodes"] as? Int == 2 && totals["open_jobs"] as? Int == 1 && totals["rendering_frames"] as? Int == 2)
            #expect(totals["done_frames"] as? Int == 1 && (market["jobs"] as? [Any])?.count == 2)
            let page = String(buffer: try await client.execute(uri: "/markets/rendering", method: .get).body)
            #expect(page.contains("id=\"render-node-list\"") && page.contains("/jobs/\(job)") && page.contains("1 / 0") && page.contains("0 / 1"))
        }
    }

    /// A network with one render node cannot verify: a frame drawn for verification waits
    /// `verify_wait_s`, then is settled on its first render, and the job ends and pays.
    @Test func aFrameNoOtherNodeCanVerifyIsSettledAfterTheWait() async throws {
        var table = TOMLTable()
        table["credits_per_reference_frame"] = .init(value: .integer(100), line: 0)
        table["verify_percent"] = .init(value: .integer(100), line: 0)
        table["verify_wait_s"] = .init(value: .integer(30), line: 0)
        table["benchmark_check_percent"] = .init(value: .integer(0), line: 0)
        let world = try await NodeWorld(rendering: table)
        let only = SigningKey()
        _ = try await world.store.apply(world.onboarding(only, kind: .renderNode, nonce: 1), rules: world.state.rules, nowMs: world.nowMs)
        _ = try await world.store.apply(
            world.transaction(by: world.alice, nonce: 2) { $0.burn.amount = "3000000" }, rules: world.state.rules, nowMs: world.nowMs)
        try await world.app.test(.router) { client in
            var nonce: UInt64 = 0
            func post(_ path: String, _ build: (inout Report) -> Void) async throws -> TestResponse {
                nonce += 1
                var report = Report()
                report.nonce = nonce
                report.timestampMs = world.clock.nowMs
                build(&report)
                report.sign(with: only)
                return try await client.execute(uri: path, method: .post, headers: binary, body: protobuf(report.canonicalBytes))
            }
            func lease() async throws -> TestResponse {
                try await post("/v1/render/leases") {
                    $0.heartbeat.uptimeS = 1
                    $0.heartbeat.agentVersion = "test"
                }
            }
            let scene = try object(
                try await client.execute(uri: "/v1/content", method: .put, body: ByteBuffer(string: "scene")).body)["sha256"] as! String
            let output = try object(
                try await client.execute(uri: "/v1/content", method: .put, body: ByteBuffer(bytes: RenderRouteTests.png)).body)["sha256"]
                as! String
            _ = try await post("/v1/render/benchmarks") {
                $0.renderBenchmark.sceneSha256 = scene
                $0.renderBenchmark.outputSha256 = output
                $0.renderBenchmark.renderMs = 1_000
                $0.renderBenchmark.renderer = "test"
            }
            let submit = world.renderJob(nonce: 3, scene: scene, frames: 1, to: 1, cap: "1000")
            _ = try await client.execute(uri: "/v1/transactions", method: .post, headers: binary, body: protobuf(submit.canonicalBytes))
            let job = TransactionRules.renderJobID(submit)
            #expect(try await lease().status == .ok)
            world.clock.nowMs += 1_000
            let rendered = try object(
                try await post("/v1/render/frames") {
                    $0.renderedFrame.job = job
                    $0.renderedFrame.frame = 1
                    $0.renderedFrame.outputSha256 = output
                    $0.renderedFrame.renderMs = 1_000
                }.body)
            #expect(rendered["state"] as? String == "check")
            // Nobody else can verify it; before the wait is over it stays waiting.
            world.clock.nowMs += 29_000
            #expect(try await lease().status == .noContent)
            #expect(try await world.store.renderTask(job: job, frame: 1)?.state == "check")
            world.clock.nowMs += 1_000
            #expect(try await lease().status == .noContent)
            let settled = try #require(try await world.store.renderJob(job))
            #expect(settled.state == "done" && settled.spent == Amount(100) && settled.refunded == Amount(900))
            let results = try await world.store.renderResults(job: job)
            #expect(results.count == 1 && results[0].verdict == "accepted" && results[0].paid == Amount(100))
        }
        #expect(try await world.store.verifyLedger(rules: world.state.rules).isSound)
    }
}
