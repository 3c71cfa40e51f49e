import Foundation
import Testing

/// Hostile input through the whole HTTP API: schemathesis (from PyPI) generates requests from
/// the node's own OpenAPI document, valid and not, for every operation. No answer may be a 5xx,
/// every status and content type must be documented, and none of it may change the network.
@Suite(.serialized) struct APIFuzzTests {
    /// What the network holds, from /health.
    func counts(_ world: IntegrationWorld) async throws -> [String: Int] {
        let health = try await world.json("/health") as? [String: Any] ?? [:]
        var counts: [String: Int] = [:]
        for key in ["accounts", "devices", "journal_entries", "reports"] { counts[key] = health[key] as? Int }
        return counts
    }

    @Test func generatedRequestsGetNoServerErrorAndChangeNothing() async throws {
        let world = try IntegrationWorld()
        let owner = try world.depin("keys", "new", "--out", "owner.key").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try world.depin("keys", "new", "--out", "maker.key")
        let maker = try world.depin("keys", "show", "--key", "maker.key").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try world.depin(
            "init", "--token", "Fuzz Token", "--symbol", "FUZ", "--maker", maker, "--allocate", "\(owner)=10000000",
            "--service", "coverage=30", "--service", "rendering=20", "--service", "storage=20", "--service", "mapping=15",
            "--service", "telemetry=15")
        // As an oracle (init made oracle.key), so that entropy and epoch signatures are served too.
        try await world.startNode(extra: ["--oracle-key", "oracle.key"])
        _ = try world.depin(
            "device", "onboard", "--owner-key", "owner.key", "--device-key", "hotspot.key", "--maker-key", "maker.key",
            "--kind", "hotspot", "--lat", "37.7749", "--lng", "-122.4194")
        _ = try world.depin("agent", "hotspot", "--key", "hotspot.key", "--state-dir", "agent", "--interval", "0.05", "--count", "2")
        let before = try await counts(world)
        #expect(before["devices"] == 1 && before["reports"] == 2, "\(before)")

        let run = try DepinBinary.capture(
            "/usr/bin/env",
            [
                "python3", "-m", "schemathesis.cli", "--no-color", "run", world.url + "/openapi.yaml", "--url", world.url,
                "--checks", "not_a_server_error,status_code_conformance,content_type_conformance",
                "--phases", "coverage,fuzzing", "--max-examples", "25", "--seed", "20261126", "--workers", "2",
            ],
            in: world.directory)
        let summary = run.stdout.split(separator: "\n").last { $0.contains("generated") }.map(String.init) ?? "none"
        #expect(run.status == 0, "schemathesis found failures:\n\(run.stdout.suffix(6_000))\n\(run.stderr.suffix(2_000))")
        // The count of inputs tried, for the log: "N generated, N passed".
        print("schemathesis: \(summary.trimmingCharacters(in: .whitespaces))")
        let tried = Int(summary.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") ?? 0
        #expect(tried > 1_000, "\(summary)")

        #expect(try await counts(world) == before)
        #expect(try world.depin("ledger", "verify", "--data-dir", "data").contains("ok"))
    }
}
