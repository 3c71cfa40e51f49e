import Foundation
import Testing

/// The user's flows through the real CLI against a live node, then the node killed and
/// restarted: nothing acknowledged is lost.
@Suite(.serialized) struct NodeLifecycleTests {
    /// Sets up keys and a genesis that funds the owner, then starts the node.
    func launch() async throws -> (IntegrationWorld, owner: String, bob: String) {
        let world = try IntegrationWorld()
        let owner = try world.depin("keys", "new", "--out", "owner.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let bob = try world.depin("keys", "new", "--out", "bob.key").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try world.depin("keys", "new", "--out", "maker.key")
        let maker = try world.depin("keys", "show", "--key", "maker.key").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try world.depin(
            "init", "--token", "Integration Token", "--symbol", "INT", "--maker", maker, "--allocate", "\(owner)=10000000")
        _ = try world.depin("genesis", "check", "network.toml")
        try await world.startNode()
        return (world, owner, bob)
    }

    @Test func theCLIDrivesEveryFlowAgainstALiveNode() async throws {
        let (world, owner, bob) = try await launch()
        #expect(try world.depin("keys", "check", owner).count == 65)
        let mistyped = try world.depinFails("keys", "check", String(owner.dropLast()) + (owner.hasSuffix("q") ? "p" : "q"))
        #expect(mistyped.stderr.contains("checksum"))

        let onboarded = try world.depin(
            "device", "onboard", "--owner-key", "owner.key", "--device-key", "hotspot.key", "--maker-key", "maker.key",
            "--kind", "hotspot", "--lat", "51.5007", "--lng", "-0.1246")
        #expect(onboarded.contains("onboarded"))
        let noLocation = try world.depinFails(
            "device", "onboard", "--owner-key", "owner.key", "--device-key", "other.key", "--maker-key", "maker.key",
            "--kind", "hotspot")
        #expect(noLocation.stderr.contains("location_required"))
        let strangeMaker = try world.depinFails(
            "device", "onboard", "--owner-key", "owner.key", "--device-key", "meter.key", "--maker-key", "bob.key",
            "--kind", "meter")
        #expect(strangeMaker.stderr.contains("untrusted_maker"))

        _ = try world.depin(
            "agent", "hotspot", "--key", "hotspot.key", "--state-dir", "agent", "--interval", "0.05", "--count", "3")
        let hotspot = try world.depin("keys", "show", "--key", "hotspot.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let shown = try world.depin("device", "show", hotspot)
        #expect(shown.contains("latest reports: 3"))
        #expect(shown.contains("kind: hotspot"))

        #expect(try world.depin("wallet", "transfer", "--key", "owner.key", "--to", bob, "--amount", "2500000").contains("sent"))
        let broke = try world.depinFails("wallet", "transfer", "--key", "bob.key", "--to", owner, "--amount", "2500001")
        #expect(broke.stderr.contains("insufficient_balance"))
        let negative = try world.depinFails("wallet", "transfer", "--key", "owner.key", "--to", bob, "--amount", "-1")
        #expect(negative.stderr.contains("negative"))
        let nowhere = try world.depinFails("wallet", "transfer", "--key", "owner.key", "--to", "depin1nowhere", "--amount", "1")
        #expect(nowhere.stderr.contains("--to"))
        #expect(try world.depin("wallet", "burn", "--key", "owner.key", "--amount", "1000000").contains("100000 credits"))
        let balance = try world.depin("wallet", "balance", "--key", "owner.key")
        #expect(balance.contains("tokens: 6.5 INT (6500000 base units)"))
        #expect(balance.contains("credits: 100000"))
        #expect(try world.depin("wallet", "balance", bob).contains("tokens: 2.5 INT"))

        _ = try world.depin("device", "transfer", "--owner-key", "owner.key", "--device", hotspot, "--to", bob)
        #expect(try world.depin("device", "show", hotspot).contains("owner: \(bob)"))
        let notMine = try world.depinFails("device", "transfer", "--owner-key", "owner.key", "--device", hotspot, "--to", owner)
        #expect(notMine.stderr.contains("not_owner"))

        #expect(try world.depin("ledger", "verify", "--data-dir", "data").contains("ledger ok"))

        // SIGTERM stops the node gracefully.
        let node = try #require(world.node)
        kill(node.processIdentifier, SIGTERM)
        node.waitUntilExit()
        #expect(node.terminationStatus == 0)
        world.node = nil
    }

    @Test func aKilledNodeRestartsWithEverythingItAcknowledged() async throws {
        let (world, owner, bob) = try await launch()
        _ = try world.depin(
            "device", "onboard", "--owner-key", "owner.key", "--device-key", "meter.key", "--maker-key", "maker.key",
            "--kind", "meter")
        _ = try world.depin("agent", "meter", "--key", "meter.key", "--state-dir", "agent", "--interval", "0.01", "--count", "25")
        for _ in 0..<10 {
            _ = try world.depin("wallet", "transfer", "--key", "owner.key", "--to", bob, "--amount", "1000")
        }
        world.killNode()
        try await world.startNode()

        let meter = try world.depin("keys", "show", "--key", "meter.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let reports = try #require(try await world.json("/v1/devices/\(meter)/reports?limit=100") as? [Any])
        #expect(reports.count == 25)
        let bobAccount = try #require(try await world.json("/v1/accounts/\(bob)") as? [String: Any])
        #expect(bobAccount["tokens"] as? String == "10000")
        let ownerAccount = try #require(try await world.json("/v1/accounts/\(owner)") as? [String: Any])
        #expect(ownerAccount["tokens"] as? String == "9990000")
        #expect(ownerAccount["nonce"] as? Int == 11)
        #expect(try world.depin("ledger", "verify", "--data-dir", "data").contains("ledger ok"))
        // The node takes new work after the restart and the chain goes on.
        _ = try world.depin("wallet", "transfer", "--key", "owner.key", "--to", bob, "--amount", "1")
        world.killNode()
        #expect(try world.depin("ledger", "verify", "--data-dir", "data").contains("journal entries: 13"))
    }

    @Test func anAgentDeliversEveryQueuedReportAfterTheNodeComesBack() async throws {
        let (world, _, _) = try await launch()
        _ = try world.depin(
            "device", "onboard", "--owner-key", "owner.key", "--device-key", "car.key", "--maker-key", "maker.key",
            "--kind", "vehicle")
        let car = try world.depin("keys", "show", "--key", "car.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let agent = try DepinBinary.start(
            [
                // Enough reports (20 s of them) that the agent is still sending when the node goes away,
                // even on a machine busy with other tests.
                "agent", "vehicle", "--key", "car.key", "--state-dir", "agent", "--interval", "0.1", "--count", "200",
                "--max-backoff", "0.5", "--node", world.url,
            ], in: world.directory, log: world.directory + "/agent.log")
        defer { if agent.isRunning { kill(agent.processIdentifier, SIGKILL) } }

        // Let some reports through, then take the node away mid-stream.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let device = try await world.json("/v1/devices/\(car)") as? [String: Any]
            if (device?["last_report_nonce"] as? Int ?? 0) >= 5 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        world.killNode()
        try await Task.sleep(for: .seconds(2))
        #expect(agent.isRunning, "the agent gave up while the node was down")
        let queued = try FileManager.default.contentsOfDirectory(atPath: world.directory + "/agent/queue").count
        #expect(queued > 0, "nothing was queued while the node was down")
        try await world.startNode()

        let finish = Date().addingTimeInterval(120)
        while agent.isRunning, Date() < finish { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!agent.isRunning)
        #expect(agent.terminationStatus == 0)
        let reports = try #require(try await world.json("/v1/devices/\(car)/reports?limit=1000") as? [[String: Any]])
        #expect(reports.count == 200)
        #expect(Set(reports.compactMap { $0["nonce"] as? Int }) == Set(1...200))
    }
}
