import Compute
import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import Node
import NIOCore
import Rewards
import Store
import Testing

/// The rendering market through its routes: a job escrows its cap, frames are leased, returned,
/// paid by benchmark-normalised work, leases run out back to the queue, the job ends and the
/// rest of the escrow returns.
@Suite struct RenderRouteTests {
    /// A 5×5 PNG (PNGImageTests has its pixels).
    static let png = Data(
        base64Encoded:
            "iVBORw0KGgoAAAANSUhEUgAAAAUAAAAFCAIAAAACDbGyAAAAW0lEQVR4nAFQAK//AHlCvfIhBvCEd2Lw88tNdgFNxwfTig56vnRYt1HYHWoCbmoLJaxa6tAR5f/ZBpNoA7F3Sn5vC/MHvHFLfrX6UQTEvrfEpcq0PEOhGJe3aXz9wCbHlbXjwgAAAABJRU5ErkJggg=="
    )!

    func report(_ device: SigningKey, nonce: UInt64, at ms: Int64, _ build: (inout Report) -> Void) -> Report {
        var report = Report()
        report.nonce = nonce
        report.timestampMs = ms
        build(&report)
        report.sign(with: device)
        return report
    }

    @Test func aJobIsLeasedRenderedPaidAndItsEscrowReturned() async throws {
        var table = TOMLTable()
        table["credits_per_reference_frame"] = .init(value: .integer(100), line: 0)
        table["lease_s"] = .init(value: .integer(600), line: 0)
        table["verify_percent"] = .init(value: .integer(0), line: 0)
        table["benchmark_check_percent"] = .init(value: .integer(0), line: 0)
        table["preference_s"] = .init(value: .integer(0), line: 0)
        let world = try await NodeWorld(rendering: table)
        let first = SigningKey()
        let second = SigningKey()
        _ = try await world.store.apply(world.onboarding(first, kind: .renderNode, nonce: 1), rules: world.state.rules, nowMs: world.nowMs)
        _ = try await world.store.apply(world.onboarding(second, kind: .renderNode, nonce: 2), rules: world.state.rules, nowMs: world.nowMs)
        let burn = world.transaction(by: world.alice, nonce: 3) { $0.burn.amount = "3000000" }
        _ = try await world.store.apply(burn, rules: world.state.rules, nowMs: world.nowMs)

        try await world.app.test(.router) { client in
            func post(_ path: String, _ report: Report) async throws -> TestResponse {
                try await client.execute(uri: path, method: .post, headers: binary, body: protobuf(report.canonicalBytes))
            }
            // The scene and a frame go to the content store.
            let scene = try object(
                try await client.execute(uri: "/v1/content", method: .put, body: ByteBuffer(string: "a scene")).body)
            let sceneHash = try #require(scene["sha256"] as? String)
            #expect(sceneHash == SHA256Digest.hex(Data("a scene".utf8)))
            let frame = try await client.execute(uri: "/v1/content", method: .put, body: ByteBuffer(bytes: Self.png))
            #expect(frame.status == .created)
            let frameHash = SHA256Digest.hex(Self.png)
            let fetched = try await client.execute(uri: "/v1/content/\(frameHash)", method: .get)
            #expect(Data(fetched.body.readableBytesView) == Self.png)
            #expect(try await client.execute(uri: "/v1/content/\(String(repeating: "0", count: 64))", method: .get).status == .notFound)

            // A job of three frames with a cap of 1,000 credits.
            let submit = world.renderJob(nonce: 4, scene: sceneHash, frames: 1, to: 3, cap: "1000")
            let bad = world.renderJob(nonce: 4, scene: sceneHash, frames: 3, to: 1, cap: "1000")
            let refused = try await client.execute(
                uri: "/v1/transactions", method: .post, headers: binary, body: protobuf(bad.canonicalBytes))
            #expect(try object(refused.body)["error"] as? String == "invalid_render_job")
            let accepted = try await client.execute(
                uri: "/v1/transactions", method: .post, headers: binary, body: protobuf(submit.canonicalBytes))
            #expect(accepted.status == .ok)
            let job = TransactionRules.renderJobID(submit)
            #expect(try await world.store.account(world.alice.address)?.credits == Amount(299_000))
            var view = try object(try await client.execute(uri: "/v1/render/jobs/\(job)", method: .get).body)
            #expect((view["job"] as? [String: Any])?["frames"] as? [String: Int] == ["queued": 3])

            // No lease before a benchmark.
            var nonce: UInt64 = 0
            func next() -> UInt64 {
                nonce += 1
                return nonce
            }
            let early = try await post("/v1/render/leases", world.heartbeat(first, nonce: next()))
            #expect(try object(early.body)["error"] as? String == "not_benchmarked")
            for node in [first, second] {
                let benchmark = report(node, nonce: next(), at: world.nowMs) {
                    $0.renderBenchmark.sceneSha256 = sceneHash
                    $0.renderBenchmark.outputSha256 = frameHash
                    $0.renderBenchmark.renderMs = 1_000
                    $0.renderBenchmark.renderer = "test renderer"
                }
                let answer = try await post("/v1/render/benchmarks", benchmark)
                #expect(answer.status == .created)
                #expect(try object(answer.body)["reputation"] as? Int == 50)
            }
            // The first node gets frame 1, and again if it asks again; the second gets frame 2.
            let lease = try object(try await post("/v1/render/leases", world.heartbeat(first, nonce: next())).body)
            #expect(lease["frame"] as? Int == 1 && lease["scene"] as? String == sceneHash)
            #expect(try object(try await post("/v1/render/leases", world.heartbeat(first, nonce: next())).body)["frame"] as? Int == 1)
            #expect(try object(try await post("/v1/render/leases", world.heartbeat(second, nonce: next())).body)["frame"] as? Int == 2)

            // Each render takes its time on the node's clock: a render is paid for no longer than
            // its lease was held.
            func rendered(_ node: SigningKey, frame: UInt32, ms: UInt64, output: String = frameHash) -> Report {
                world.clock.nowMs += Int64(ms)
                return report(node, nonce: next(), at: world.clock.nowMs) {
                    $0.renderedFrame.job = job
                    $0.renderedFrame.frame = frame
                    $0.renderedFrame.outputSha256 = output
                    $0.renderedFrame.renderMs = ms
                }
            }
            // Two benchmark-times of work: 200 credits, paid when the job ends.
            let done = try object(try await post("/v1/render/frames", rendered(first, frame: 1, ms: 2_000)).body)
            #expect(done["state"] as? String == "done" && done["paid"] == nil)
            // Not its lease; an output that was never uploaded.
            #expect(try object(try await post("/v1/render/frames", rendered(first, frame: 2, ms: 1_000)).body)["error"] as? String == "no_lease")
            let missing = rendered(first, frame: 2, ms: 1_000, output: String(repeating: "a", count: 64))
            #expect(try object(try await post("/v1/render/frames", missing).body)["error"] as? String == "frame_not_uploaded")

            // The second node goes quiet: its lease runs out and frame 2 goes to the first.
            world.clock.nowMs += 601_000
            let retaken = try object(
                try await post("/v1/render/leases", world.heartbeat(first, nonce: next(), at: world.clock.nowMs)).body)
            #expect(retaken["frame"] as? Int == 2)
            #expect(try await world.store.renderNode(second.publicKey)?.reputation == 40)
            _ = try await post("/v1/render/frames", rendered(first, frame: 2, ms: 1_500))
            _ = try await post("/v1/render/leases", world.heartbeat(first, nonce: next(), at: world.clock.nowMs))
            _ = try await post("/v1/render/frames", rendered(first, frame: 3, ms: 1_000))
            // Nothing left to lease.
            #expect(try await post("/v1/render/leases", world.heartbeat(first, nonce: next(), at: world.clock.nowMs)).status == .noContent)

            view = try object(try await client.execute(uri: "/v1/render/jobs/\(job)", method: .get).body)
            let finished = try #require(view["job"] as? [String: Any])
            #expect(finished["state"] as? String == "done" && view["progress_percent"] as? Int == 100)
            #expect(finished["spent"] as? String == "450" && finished["refunded"] as? String == "550")
            let paid = (view["tasks"] as? [[String: Any]] ?? []).compactMap { $0["paid"] as? String }
            #expect(paid == ["200", "150", "100"])

            // The explorer's page of the job, its JSON twin, and search by job id.
            let page = try await client.execute(uri: "/jobs/\(job)", method: .get)
            let html = String(buffer: page.body)
            #expect(page.status == .ok && html.contains("3 of 3") && html.contains("id=\"job-frame-list\""))
            let twin = try object(try await client.execute(uri: "/jobs/\(job)?format=json", method: .get).body)
            #expect(twin["progress_percent"] as? Int == 100 && twin["renders"] as? Int == 3)
            let found = try await client.execute(uri: "/search?q=\(job)", method: .get)
            #expect(found.status == .seeOther && found.headers[.location] == "/jobs/\(job)")
            #expect(try await client.execute(uri: "/jobs/0000000000000000", method: .get).status == .notFound)
        }
        // The escrow's rest is back; the journal still verifies.
        #expect(try await world.store.account(world.alice.address)?.credits == Amount(299_550))
        #expect(try await world.store.verifyLedger(rules: world.state.rules).isSound)
        // The node's paid work is its usage and its shares of the rendering pool.
        let input = try await world.store.epochInput(epoch: 24, startMs: world.nowMs, endMs: world.nowMs + 3_600_000)
        #expect(input.usage[first.address.description] == Amount(450))
        let result = world.state.engine.close(input)
        let reward = try #require(result.reward(of: first.address))
        #expect(reward.service == "rendering" && reward.counted == 3 && reward.amount > .zero)
        #expect(result.reward(of: second.address)?.amount ?? .zero == .zero)
    }

    /// Every first render verified: a node that returns a wrong frame is outvoted by a
    /// tie-break, loses reputation and its pay, its other frames of the job are redone, and it
    /// gets no more work.
    @Test func aWrongFrameIsOutvotedAndItsNodesFramesRedone() async throws {
        var table = TOMLTable()
        table["credits_per_reference_frame"] = .init(value: .integer(100), line: 0)
        table["verify_percent"] = .init(value: .integer(100), line: 0)
        table["reject_penalty"] = .init(value: .integer(40), line: 0)
        table["benchmark_check_percent"] = .init(value: .integer(0), line: 0)
        table["preference_s"] = .init(value: .integer(0), line: 0)
        let world = try await NodeWorld(rendering: table)
        let (honestA, honestB, cheat) = (SigningKey(), SigningKey(), SigningKey())
        for (index, node) in [honestA, honestB, cheat].enumerated() {
            _ = try await world.store.apply(
                world.onboarding(node, kind: .renderNode, nonce: UInt64(index + 1)), rules: world.state.rules, nowMs: world.nowMs)
        }
        let burn = world.transaction(by: world.alice, nonce: 4) { $0.burn.amount = "3000000" }
        _ = try await world.store.apply(burn, rules: world.state.rules, nowMs: world.nowMs)
        // A wrong image: another picture altogether (2×2, PNGImageTests has its pixels).
        let wrong = Data(
            base64Encoded:
                "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAMAAABFaP0WAAAACVBMVEX/AAAA/wAAAP8tSs2KAAAAAXRSTlOArV5bRgAAAA5JREFUeJxjYGBkYGIAAAAOAATGiHz4AAAAAElFTkSuQmCC")!

        try await world.app.test(.router) { client in
            var nonces: [Data: UInt64] = [:]
            func post(_ path: String, _ node: SigningKey, _ build: (inout Report) -> Void) async throws -> TestResponse {
                nonces[node.publicKey.rawRepresentation, default: 0] += 1
                let signed = report(node, nonce: nonces[node.publicKey.rawRepresentation]!, at: world.nowMs, build)
                return try await client.execute(uri: path, method: .post, headers: binary, body: protobuf(signed.canonicalBytes))
            }
            for image in [Self.png, wrong] {
                _ = try await client.execute(uri: "/v1/content", method: .put, body: ByteBuffer(bytes: image))
            }
            let (good, bad) = (SHA256Digest.hex(Self.png), SHA256Digest.hex(wrong))
            let submit = world.renderJob(nonce: 5, scene: good, frames: 1, to: 2, cap: "10000", tier: "economy")
            _ = try await client.execute(uri: "/v1/transactions", method: .post, headers: binary, body: protobuf(submit.canonicalBytes))
            let job = TransactionRules.renderJobID(submit)
            for node in [honestA, honestB, cheat] {
                _ = try await post("/v1/render/benchmarks", node) {
                    $0.renderBenchmark.sceneSha256 = good
                    $0.renderBenchmark.outputSha256 = good
                    $0.renderBenchmark.renderMs = 1_000
                    $0.renderBenchmark.renderer = "test"
                }
            }
            func lease(_ node: SigningKey) async throws -> [String: Any]? {
                let answer = try await post("/v1/render/leases", node) {
                    $0.heartbeat.uptimeS = 1
                    $0.heartbeat.agentVersion = "test"
                }
                return answer.status == .noContent ? nil : try object(answer.body)
            }
            func render(_ node: SigningKey, _ frame: Int, _ output: String, ms: UInt64 = 1_000) async throws -> [String: Any] {
                world.clock.nowMs += Int64(ms)
                return try object(
                    try await post("/v1/render/frames", node) {
                        $0.renderedFrame.job = job
                        $0.renderedFrame.frame = UInt32(frame)
                        $0.renderedFrame.outputSha256 = output
                        $0.renderedFrame.renderMs = ms
                    }.body)
            }
            // The cheat renders both frames, wrongly; both wait for a check.
            #expect(try await lease(cheat)?["frame"] as? Int == 1)
            #expect(try await render(cheat, 1, bad)["state"] as? String == "check")
            #expect(try await lease(cheat)?["frame"] as? Int == 2)
            #expect(try await render(cheat, 2, bad)["state"] as? String == "check")
            // A verifies frame 1: no match, so B breaks the tie, siding with A.
            let verify = try #require(try await lease(honestA))
            #expect(verify["role"] as? String == "verify" && verify["frame"] as? Int == 1)
            #expect(try await render(honestA, 1, good)["state"] as? String == "dispute")
            let tiebreak = try #require(try await lease(honestB))
            #expect(tiebreak["role"] as? String == "tiebreak" && tiebreak["frame"] as? Int == 1)
            let settled = try await render(honestB, 1, good)
            #expect(settled["state"] as? String == "done" && settled["output"] as? String == good)
            // The cheat lost reputation, gets no more work, and its frame 2 is to be rendered again.
            #expect(try object(try await client.execute(uri: "/v1/render/nodes/\(cheat.address)", method: .get).body)["reputation"] as? Int == 10)
            #expect(try await lease(cheat) == nil)
            let redo = try #require(try await lease(honestA))
            #expect(redo["role"] as? String == "render" && redo["frame"] as? Int == 2)
            // A claims five times its benchmark for the frame; B, as fast, needs one: A's claim is
            // held to half again B's.
            #expect(try await render(honestA, 2, good, ms: 5_000)["state"] as? String == "check")
            #expect(try await lease(honestB)?["role"] as? String == "verify")
            #expect(try await render(honestB, 2, good)["state"] as? String == "done")

            // Economy: half of 100 credits per reference frame; four accepted renders (A's claim on
            // frame 2 bounded at 75), none of the cheat's.
            let view = try object(try await client.execute(uri: "/v1/render/jobs/\(job)", method: .get).body)
            let details = try #require(view["job"] as? [String: Any])
            #expect(details["state"] as? String == "done" && details["spent"] as? String == "225")
            let results = try #require(view["results"] as? [[String: Any]])
            let cheats = results.filter { $0["node"] as? String == cheat.address.description }
            #expect(cheats.count == 2 && cheats.allSatisfy { $0["verdict"] as? String == "rejected" && $0["paid"] == nil })
            #expect(results.filter { $0["verdict"] as? String == "accepted" }.count == 4)
        }
        let input = try await world.store.epochInput(epoch: 24, startMs: world.nowMs, endMs: world.nowMs + 3_600_000)
        #expect(input.usage[honestA.address.description] == Amount(125) && input.usage[honestB.address.description] == Amount(100))
        #expect(input.usage[cheat.address.description] == nil)
        #expect(try await world.store.account(world.alice.address)?.credits == Amount(299_775))
        #expect(try await world.store.verifyLedger(rules: world.state.rules).isSound)
    }
}
