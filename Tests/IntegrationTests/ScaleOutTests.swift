import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import StoreTestSupport
import Testing

/// Two `depin node` processes on one PostgreSQL database: either one onboards and ingests and
/// serves what the other wrote; exactly one closes epochs (the one holding the closing lease);
/// when it dies between computing and committing an epoch, the other takes the lease over and
/// commits the same root; the database verifies.
@Suite(.serialized) struct ScaleOutTests {
    static let epochSeconds = 4

    @Test func twoNodesShareADatabaseAndTheSecondFinishesTheFirstsClose() async throws {
        let database = try TestPostgres.freshSchemaURL()
        let world = try IntegrationWorld()
        let owner = try world.depin("keys", "new", "--out", "owner.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let maker = try world.depin("keys", "new", "--out", "maker.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let oracle = try world.depin("keys", "new", "--out", "oracle.key").trimmingCharacters(in: .whitespacesAndNewlines)
        // Epoch 0 starts about three quarters of a minute ahead, so that both nodes are up and the
        // hotspot is onboarded before its close, on a loaded machine too (with half a minute, a
        // run of the whole suite once had node A reach the close before the onboarding).
        let now = Int(Date().timeIntervalSince1970)
        let startSeconds = now - now % Self.epochSeconds + 12 * Self.epochSeconds
        let start = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(startSeconds)))
        _ = try world.depin(
            "init", "--token", "Scale Token", "--symbol", "SCL", "--epoch-seconds", "\(Self.epochSeconds)",
            "--grace-seconds", "1", "--start", start, "--maker", maker, "--oracle", oracle, "--allocate", "\(owner)=1000000")

        // Node A starts first and takes the closing lease; it dies between computing epoch 0 and
        // committing it. An intended abort needs no backtrace: Swift's backtracer, inheriting the
        // node's listening socket, once hung there and left requests to A unanswered.
        let crashRoot = world.directory + "/crash-root.txt"
        try await world.startNode(
            extra: ["--database-url", database, "--oracle-key", "oracle.key"],
            environment: ["DEPIN_FAULT_CRASH_BEFORE_EPOCH_COMMIT": crashRoot, "SWIFT_BACKTRACE": "enable=no"])
        // Node B: another process, its own port and data directory, the same database.
        let portB = try IntegrationWorld.freePort()
        let urlB = "http://127.0.0.1:\(portB)"
        let nodeB = try DepinBinary.start(
            ["node", "--port", "\(portB)", "--data-dir", "data-b", "--genesis", "network.toml", "--database-url", database,
             "--oracle-key", "oracle.key"],
            in: world.directory, log: world.directory + "/node-b.log")
        defer { if nodeB.isRunning { kill(nodeB.processIdentifier, SIGKILL) } }
        try await Self.waitForHealth(urlB, process: nodeB, log: world.directory + "/node-b.log")

        // Onboarded through A, seen by B.
        try #require(world.node?.isRunning == true, "node A reached epoch 0's close before the hotspot was onboarded")
        _ = try world.depin(
            "device", "onboard", "--owner-key", "owner.key", "--device-key", "hotspot.key", "--maker-key", "maker.key",
            "--kind", "hotspot", "--lat", "37.7749", "--lng", "-122.4194", "--payout", "0x00000000000000000000000000000000000000c4")
        let hotspot = try world.depin("keys", "show", "--key", "hotspot.key").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await Self.get(urlB + "/v1/devices/\(hotspot)").0 == 200)

        // The hotspot's heartbeats go to B; A is the closer.
        let agent = try DepinBinary.start(
            ["agent", "hotspot", "--key", "hotspot.key", "--state-dir", "agent", "--interval", "1", "--count", "60",
             "--max-backoff", "0.3", "--node", urlB],
            in: world.directory, log: world.directory + "/agent.log")
        defer { if agent.isRunning { kill(agent.processIdentifier, SIGKILL) } }

        let nodeA = try #require(world.node)
        let crashDeadline = Date().addingTimeInterval(90)
        while nodeA.isRunning, Date() < crashDeadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!nodeA.isRunning, "node A did not reach its fault")
        world.node = nil
        let rootBeforeCrash = try String(contentsOfFile: crashRoot, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)

        // B takes the lease over and commits epoch 0, to the root A computed.
        var epoch0: [String: Any] = [:]
        let closeDeadline = Date().addingTimeInterval(30)
        while Date() < closeDeadline {
            let (status, body) = try await Self.get(urlB + "/v1/epochs/0")
            if status == 200, let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] {
                epoch0 = object
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(epoch0["root"] as? String == rootBeforeCrash, "node B closed epoch 0 to another root")
        let logB = try String(contentsOfFile: world.directory + "/node-b.log", encoding: .utf8)
        #expect(logB.contains("this node closes the epochs"))

        // A comes back as the standby: it serves what B closed, and the next epochs' heartbeats
        // reach the store through it too.
        try await world.startNode(extra: ["--database-url", database])
        let fromA = try #require(try await world.json("/v1/epochs/0") as? [String: Any])
        #expect(fromA["root"] as? String == rootBeforeCrash)
        // (Its log starts again with the restart.)
        let logA = try String(contentsOfFile: world.directory + "/node.log", encoding: .utf8)
        #expect(!logA.contains("this node closes the epochs"), "A took the lease while B held it")

        let agentDeadline = Date().addingTimeInterval(90)
        while agent.isRunning, Date() < agentDeadline { try await Task.sleep(for: .milliseconds(200)) }
        #expect(agent.terminationStatus == 0, "\((try? String(contentsOfFile: world.directory + "/agent.log", encoding: .utf8))?.suffix(1500) ?? "")")

        // Every heartbeat B accepted is in the log A reads (those sent before epoch 0 began were
        // refused).
        let throughA = try #require(try await world.json("/v1/devices/\(hotspot)/reports?limit=1000") as? [[String: Any]])
        let (statusB, bodyB) = try await Self.get(urlB + "/v1/devices/\(hotspot)/reports?limit=1000")
        let throughB = try #require(try JSONSerialization.jsonObject(with: bodyB) as? [[String: Any]])
        #expect(statusB == 200 && throughB.count >= 5)
        #expect(throughA.map { $0["nonce"] as? Int } == throughB.map { $0["nonce"] as? Int })

        // The database verifies from the command line.
        #expect(try world.depin("epoch", "verify", "0", "--database-url", database).contains("verifies"))
        #expect(try world.depin("ledger", "verify", "--database-url", database).contains("ledger ok"))
        let refused = try world.depinFails("ledger", "verify", "--database-url", "postgres://postgres@127.0.0.1:1/none")
        #expect(refused.stderr.contains("cannot connect"))
    }

    static func get(_ url: String) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 5
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    static func waitForHealth(_ url: String, process: Process, log: String) async throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning {
            if (try? await get(url + "/health"))?.0 == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("node B did not come up: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }
}
