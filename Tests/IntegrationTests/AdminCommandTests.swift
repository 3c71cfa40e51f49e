import Foundation
import Testing

/// `depin admin` against a live node: an operator key from `depin init` denylists a device and
/// changes a pool weight; any other key is refused; the change shows in `depin admin show`, in
/// the next epoch's inputs, and `depin epoch verify` recomputes that epoch under it.
@Suite(.serialized) struct AdminCommandTests {
    @Test func anOperatorDenylistsAndChangesAWeightThatEpochVerifyApplies() async throws {
        let world = try IntegrationWorld()
        let owner = try world.depin("keys", "new", "--out", "owner.key").trimmingCharacters(in: .whitespacesAndNewlines)
        let now = Int(Date().timeIntervalSince1970)
        let start = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(now - now % 2)))
        _ = try world.depin(
            "init", "--token", "Admin Token", "--symbol", "ADM", "--epoch-seconds", "2", "--grace-seconds", "1",
            "--start", start, "--service", "telemetry=10", "--allocate", "\(owner)=1000000")
        #expect(FileManager.default.fileExists(atPath: world.directory + "/operator.key"))
        try await world.startNode()
        let device = try world.depin(
            "device", "onboard", "--owner-key", "owner.key", "--device-key", "meter.key", "--maker-key", "maker.key",
            "--kind", "meter")
        let meter = try #require(device.split(separator: " ").dropFirst().first.map(String.init))

        // Only the operator key may; the owner's key is refused with the reason.
        let refused = try world.depinFails("admin", "denylist", meter, "--key", "owner.key")
        #expect(refused.stderr.contains("not_operator"), "\(refused.stderr)")
        #expect(try world.depin("admin", "denylist", meter, "--reason", "tampered meter").contains("denylisted"))
        let twice = try world.depinFails("admin", "denylist", meter)
        #expect(twice.stderr.contains("invalid_denylist"), "\(twice.stderr)")
        let badKey = try world.depinFails("admin", "set-parameter", "telemetry", "colour", "1")
        #expect(badKey.stderr.contains("invalid_parameter"), "\(badKey.stderr)")
        #expect(try world.depin("admin", "set-parameter", "telemetry", "weight", "30").contains("from the next epoch"))

        let shown = try world.depin("admin", "show")
        #expect(shown.contains("denylisted \(meter)"), "\(shown)")
        #expect(shown.contains("telemetry.weight = 30"), "\(shown)")
        let governance = try #require(try await world.json("/v1/governance") as? [String: Any])
        let changes = try #require(governance["changes"] as? [[String: Any]])
        let effective = try #require(changes.last?["effective_epoch"] as? Int)

        // Once that epoch closes, its inputs record the change and verify recomputes it.
        let deadline = Date().addingTimeInterval(30)
        while try await world.status("/v1/epochs/\(effective)") != 200, Date() < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        let input = try #require(try await world.json("/v1/epochs/\(effective)/inputs") as? [String: Any])
        let parameters = try #require(input["parameters"] as? [[String: Any]])
        #expect(parameters.first?["value"] as? String == "30")
        #expect((input["denylist"] as? [String])?.contains(meter) == true)
        let epoch = try #require(try await world.json("/v1/epochs/\(effective)") as? [String: Any])
        let pools = try #require(epoch["pools"] as? [[String: Any]])
        #expect(pools.first { $0["name"] as? String == "telemetry" }?["weight"] as? Int == 30)
        #expect(try world.depin("epoch", "verify", "\(effective)").contains("verifies"))
        #expect(try world.depin("ledger", "verify", "--data-dir", "data").contains("ledger ok"))
    }
}
