import Foundation
import Testing

/// Epochs on a live node with short epochs: a close interrupted by a crash resumes to the same
/// root, `depin epoch verify` agrees, a second oracle co-signs to quorum, and the node's roots
/// and proofs settle on the Vyper distributor in a real EVM.
@Suite(.serialized) struct EpochLifecycleTests {
    static let epochSeconds = 4

    @Test func epochsCloseVerifyFinalizeAndSettle() async throws {
        let world = try IntegrationWorld()
        let owner = try world.depin("keys", "new", "--out", "owner.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let maker = try world.depin("keys", "new", "--out", "maker.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let oracle1 = try world.depin("keys", "new", "--out", "oracle1.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let oracle2 = try world.depin("keys", "new", "--out", "oracle2.key").trimmingCharacters(in: .whitespacesAndNewlines)
        // Epoch 0 starts well ahead (about half a minute), so that the node is up, and the meter
        // onboarded, before its first close (which this test makes it crash in), even on a
        // machine busy with the other tests; the agent reports for about a minute to span it.
        let now = Int(Date().timeIntervalSince1970)
        let startSeconds = now - now % Self.epochSeconds + 8 * Self.epochSeconds
        let start = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(startSeconds)))
        _ = try world.depin(
            "init", "--token", "Epoch Token", "--symbol", "EPO", "--epoch-seconds", "\(Self.epochSeconds)",
            "--grace-seconds", "1", "--start", start, "--maker", maker, "--oracle", oracle1, "--oracle", oracle2,
            "--quorum", "2", "--allocate", "\(owner)=1000000")

        // The first node dies between computing epoch 0 and committing it.
        let crashRoot = world.directory + "/crash-root.txt"
        try await world.startNode(
            extra: ["--oracle-key", "oracle1.key"], environment: ["DEPIN_FAULT_CRASH_BEFORE_EPOCH_COMMIT": crashRoot, "SWIFT_BACKTRACE": "enable=no"])
        let payout = "0x00000000000000000000000000000000000000b7"
        _ = try world.depin(
            "device", "onboard", "--owner-key", "owner.key", "--device-key", "meter.key", "--maker-key", "maker.key",
            "--kind", "meter", "--payout", payout)
        // The meter is a solar meter served on Modbus TCP by pymodbus; its agent sends a batch of
        // two readings a second, 60 of them.
        let modbusPort = try IntegrationWorld.freePort()
        let simulator = try DepinBinary.start(
            ["python3", DepinBinary.root.appendingPathComponent("scripts/meter-simulator.py").path, "\(modbusPort)", "SN-EPOCHS-1"],
            in: world.directory, log: world.directory + "/meter.log", executable: "/usr/bin/env")
        defer { if simulator.isRunning { kill(simulator.processIdentifier, SIGKILL) } }
        let agent = try DepinBinary.start(
            [
                "agent", "meter", "--key", "meter.key", "--state-dir", "agent", "--interval", "1", "--modbus", "127.0.0.1:\(modbusPort)",
                "--sample-seconds", "0.5", "--batch-samples", "2", "--batches", "60", "--max-backoff", "0.3", "--node", world.url,
            ], in: world.directory, log: world.directory + "/agent.log")
        defer { if agent.isRunning { kill(agent.processIdentifier, SIGKILL) } }

        let node = try #require(world.node)
        let crashDeadline = Date().addingTimeInterval(60)
        while node.isRunning, Date() < crashDeadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!node.isRunning, "the fault did not fire")
        world.node = nil
        let rootBeforeCrash = try String(contentsOfFile: crashRoot, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)

        try await world.startNode(extra: ["--oracle-key", "oracle1.key"])
        let agentDeadline = Date().addingTimeInterval(60)
        while agent.isRunning, Date() < agentDeadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!agent.isRunning && agent.terminationStatus == 0, "\((try? String(contentsOfFile: world.directory + "/agent.log", encoding: .utf8))?.suffix(2000) ?? "")")
        // Wait until the epochs the agent reported in have closed.
        let lastReportEpoch = (Int(Date().timeIntervalSince1970) - startSeconds) / Self.epochSeconds
        let closeDeadline = Date().addingTimeInterval(30)
        var closed: [[String: Any]] = []
        while Date() < closeDeadline {
            closed = try await world.json("/v1/epochs?limit=100") as? [[String: Any]] ?? []
            if (closed.first?["epoch"] as? Int ?? -1) >= lastReportEpoch { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let epoch0 = try #require(try await world.json("/v1/epochs/0") as? [String: Any])
        #expect(epoch0["root"] as? String == rootBeforeCrash, "the resumed close gave another root")

        // Recomputation agrees, from the database and from the node's inputs.
        #expect(try world.depin("epoch", "verify", "0", "--data-dir", "data").contains("verifies"))
        #expect(try world.depin("epoch", "verify", "1").contains("verifies"))
        #expect(try world.depin("ledger", "verify", "--data-dir", "data").contains("ledger ok"))

        // One oracle signed at close; the second co-signs and the epoch becomes final.
        #expect(epoch0["final"] as? Bool == false)
        #expect(try world.depin("epoch", "cosign", "0", "--oracle-key", "oracle2.key").contains("final"))
        let final0 = try #require(try await world.json("/v1/epochs/0") as? [String: Any])
        #expect(final0["final"] as? Bool == true)
        let stranger = try world.depinFails("epoch", "cosign", "1", "--oracle-key", "owner.key")
        #expect(stranger.stderr.contains("unknown_oracle"))

        // The device's rewards are explained.
        let meter = try world.depin("keys", "show", "--key", "meter.key").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try world.depin("device", "rewards", meter, "--epoch", "1").contains("report(s) counted"))

        // Settle every epoch whose manifest names the payout address on the EVM distributor.
        var settled: [[String: Any]] = []
        for summary in closed.reversed() {
            let number = summary["epoch"] as? Int ?? 0
            let manifest = try #require(try await world.json("/v1/epochs/\(number)/manifest") as? [String: Any])
            guard let entries = manifest["entries"] as? [[String: Any]], !entries.isEmpty else { continue }
            var claims: [[String: Any]] = []
            for entry in entries {
                let address = entry["address"] as? String ?? ""
                let proof = try #require(try await world.json("/v1/epochs/\(number)/proofs/\(address)") as? [String: Any])
                claims.append(["address": address, "cumulative": proof["cumulative"] ?? "", "proof": proof["proof"] ?? []])
            }
            settled.append(["epoch": number, "root": manifest["root"] ?? "", "claims": claims])
        }
        #expect(settled.count >= 2, "fewer than two epochs paid the payout address")
        let settlementFile = world.directory + "/settlement.json"
        try JSONSerialization.data(withJSONObject: ["epochs": settled]).write(to: URL(fileURLWithPath: settlementFile))
        let pytest = try DepinBinary.capture(
            "/usr/bin/env", ["python3", "-m", "pytest", "-q", "-k", "settle", "contracts/tests/test_distributor.py"],
            in: DepinBinary.root.path, environment: ["DEPIN_SETTLEMENT": settlementFile])
        let text = pytest.stdout + pytest.stderr
        #expect(pytest.status == 0, "\(text)")
        #expect(text.contains("1 passed"), "\(text)")
    }
}
