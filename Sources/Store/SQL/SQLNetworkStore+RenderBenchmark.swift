import Core
import Foundation

extension SQLNetworkStore {
    public func recordRenderBenchmark(_ benchmark: RenderNodeBenchmark) async throws -> RenderNode {
        try await writer.write { db in
            let reference =
                try benchmark.pinnedScene
                ?? String.fetchOne(db, sql: "SELECT scene FROM render_reference WHERE id = 1")
            if let reference, reference != benchmark.scene {
                throw StoreError(
                    .wrongReferenceScene,
                    "the benchmark must render the reference scene \(reference) (GET /v1/render/reference), not \(benchmark.scene)")
            }
            if reference == nil {
                try db.execute(
                    sql: "INSERT INTO render_reference (id, scene, device, pinned_ms) VALUES (1, ?, ?, ?)",
                    arguments: [benchmark.scene, benchmark.device.rawRepresentation, benchmark.nowMs])
            }
            // A node benchmarking again (new hardware, or a better number) owes a check of it.
            try db.execute(
                sql: """
                    INSERT INTO render_nodes (device, benchmark_ms, renderer, reputation, updated_ms, scene, output)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(device) DO UPDATE SET benchmark_ms = excluded.benchmark_ms, renderer = excluded.renderer,
                        updated_ms = excluded.updated_ms, scene = excluded.scene, output = excluded.output, check_due = 1
                    """,
                arguments: [
                    benchmark.device.rawRepresentation, benchmark.benchmarkMs, benchmark.renderer, benchmark.startReputation,
                    benchmark.nowMs, benchmark.scene, benchmark.output,
                ])
            return try RenderRows.node(
                try SQLRow.fetchOne(
                    db, sql: "SELECT * FROM render_nodes WHERE device = ?", arguments: [benchmark.device.rawRepresentation])!)
        }
    }

    public func renderReferenceScene() async throws -> String? {
        try await writer.read { db in try String.fetchOne(db, sql: "SELECT scene FROM render_reference WHERE id = 1") }
    }

    public func renderNode(_ device: PublicKey) async throws -> RenderNode? {
        try await writer.read { db in
            try SQLRow.fetchOne(db, sql: "SELECT * FROM render_nodes WHERE device = ?", arguments: [device.rawRepresentation])
                .map(RenderRows.node)
        }
    }

    public func renderNodes(limit: Int) async throws -> [RenderNode] {
        try await writer.read { db in
            try SQLRow.fetchAll(
                db, sql: "SELECT * FROM render_nodes ORDER BY reputation DESC, benchmark_ms, device LIMIT ?",
                arguments: [max(limit, 0)]
            ).map(RenderRows.node)
        }
    }

    public func recordRenderBenchmarkCheck(_ check: RenderBenchmarkCheck) async throws -> RenderNode {
        let device = check.device.publicKey.rawRepresentation
        return try await writer.write { db in
            guard
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT 1 FROM render_nodes WHERE device = ? AND check_seed = ? AND check_asked_ms = ? AND check_until > ?
                        """,
                    arguments: [device, check.seed, check.askedMs, check.answeredMs]) != nil
            else { throw StoreError(.noBenchmarkCheck, "\(check.device) holds no benchmark check with seed \(check.seed)") }
            let passed = check.verdict == .passed
            try db.execute(
                sql: """
                    UPDATE render_nodes SET benchmark_ms = ?, reputation = MAX(0, reputation - ?), check_due = 0,
                        check_seed = NULL, check_asked_ms = NULL, check_until = NULL,
                        checks_passed = checks_passed + ?, checks_failed = checks_failed + ?, updated_ms = ?
                    WHERE device = ?
                    """,
                arguments: [check.benchmarkAfterMs, check.penalty, passed ? 1 : 0, passed ? 0 : 1, check.answeredMs, device])
            try db.execute(
                sql: """
                    INSERT INTO render_benchmark_checks (device, seed, asked_ms, answered_ms, claimed_ms, reported_ms, output,
                        psnr, verdict, benchmark_after_ms, penalty)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    device, check.seed, check.askedMs, check.answeredMs, check.claimedMs, check.reportedMs, check.output,
                    check.psnr, check.verdict.rawValue, check.benchmarkAfterMs, check.penalty,
                ])
            return try RenderRows.node(
                try SQLRow.fetchOne(db, sql: "SELECT * FROM render_nodes WHERE device = ?", arguments: [device])!)
        }
    }

    public func renderBenchmarkChecks(device: PublicKey, limit: Int) async throws -> [RenderBenchmarkCheck] {
        try await writer.read { db in
            try SQLRow.fetchAll(
                db, sql: "SELECT * FROM render_benchmark_checks WHERE device = ? ORDER BY id DESC LIMIT ?",
                arguments: [device.rawRepresentation, max(limit, 0)]
            ).map(RenderRows.benchmarkCheck)
        }
    }
}
