import Core
import Foundation
import GRDB
import Ledger

extension SQLiteNetworkStore {
    public func renderJob(_ id: String) async throws -> RenderJob? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM render_jobs WHERE id = ?", arguments: [id]).map {
                try SQLiteRenderRows.job($0, in: db)
            }
        }
    }

    public func renderTask(job: String, frame: Int) async throws -> RenderTask? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM render_tasks WHERE job = ? AND frame = ?", arguments: [job, frame])
                .map(SQLiteRenderRows.task)
        }
    }

    public func renderTasks(job: String) async throws -> [RenderTask] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM render_tasks WHERE job = ? ORDER BY frame", arguments: [job])
                .map(SQLiteRenderRows.task)
        }
    }

    public func renderJobs(creator: Address?, limit: Int) async throws -> [RenderJob] {
        try await writer.read { db in
            let rows =
                if let creator {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM render_jobs WHERE creator = ? ORDER BY created_ms DESC, id LIMIT ?",
                        arguments: [creator.description, max(limit, 0)])
                } else {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM render_jobs ORDER BY created_ms DESC, id LIMIT ?", arguments: [max(limit, 0)])
                }
            return try rows.map { try SQLiteRenderRows.job($0, in: db) }
        }
    }

    public func recordRenderBenchmark(
        device: PublicKey, benchmarkMs: Int64, renderer: String, startReputation: Int, nowMs: Int64
    ) async throws -> RenderNode {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO render_nodes (device, benchmark_ms, renderer, reputation, updated_ms) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(device) DO UPDATE SET benchmark_ms = excluded.benchmark_ms, renderer = excluded.renderer,
                        updated_ms = excluded.updated_ms
                    """,
                arguments: [device.rawRepresentation, benchmarkMs, renderer, startReputation, nowMs])
            return try SQLiteRenderRows.node(
                try Row.fetchOne(db, sql: "SELECT * FROM render_nodes WHERE device = ?", arguments: [device.rawRepresentation])!)
        }
    }

    public func renderNode(_ device: PublicKey) async throws -> RenderNode? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM render_nodes WHERE device = ?", arguments: [device.rawRepresentation])
                .map(SQLiteRenderRows.node)
        }
    }

    public func leaseRenderTask(device: PublicKey, policy: RenderLeasePolicy, nowMs: Int64) async throws -> RenderLease? {
        try await writer.write { db in
            // Leases that ran out go back to the queue, and cost their nodes.
            for expired in try Row.fetchAll(
                db,
                sql: """
                    SELECT job, frame, node, state FROM render_tasks
                    WHERE state IN ('leased', 'checking', 'disputing') AND lease_until <= ?
                    """,
                arguments: [nowMs])
            {
                let back = ["leased": "queued", "checking": "check", "disputing": "dispute"][expired["state"] as String] ?? "queued"
                try db.execute(
                    sql: """
                        UPDATE render_tasks SET state = ?, node = NULL, lease_until = NULL, attempts = attempts + 1,
                            queued_ms = ? WHERE job = ? AND frame = ?
                        """,
                    arguments: [back, nowMs, expired["job"] as String, expired["frame"] as Int64])
                try db.execute(
                    sql: """
                        UPDATE render_nodes SET reputation = MAX(0, reputation - ?), failed = failed + 1, updated_ms = ?
                        WHERE device = ?
                        """,
                    arguments: [policy.expiryPenalty, nowMs, expired["node"] as Data])
            }
            guard
                let node = try Row.fetchOne(
                    db, sql: "SELECT reputation FROM render_nodes WHERE device = ?", arguments: [device.rawRepresentation])
            else { throw StoreError(.notBenchmarked, "the node has not reported its benchmark yet") }
            guard (node["reputation"] as Int) >= policy.minReputation else { return nil }
            let columns = """
                SELECT t.job, t.frame, t.state, t.lease_until, j.scene, j.samples, j.format FROM render_tasks t
                JOIN render_jobs j ON j.id = t.job
                """
            // A lease the node already holds (it asked again, say after a restart) is its own.
            if let held = try Row.fetchOne(
                db,
                sql: """
                    \(columns) WHERE t.state IN ('leased', 'checking', 'disputing') AND t.node = ?
                    ORDER BY t.job, t.frame LIMIT 1
                    """,
                arguments: [device.rawRepresentation])
            {
                return Self.lease(held, until: held["lease_until"])
            }
            // Checks first (they hold jobs back), then priority before economy, older jobs first;
            // never a frame the node has already rendered.
            guard
                let next = try Row.fetchOne(
                    db,
                    sql: """
                        \(columns) WHERE t.state IN ('queued', 'check', 'dispute')
                            AND NOT EXISTS (SELECT 1 FROM render_results r
                                WHERE r.job = t.job AND r.frame = t.frame AND r.node = ? AND r.verdict != 'void')
                        ORDER BY CASE t.state WHEN 'queued' THEN 1 ELSE 0 END, CASE j.tier WHEN 'priority' THEN 0 ELSE 1 END,
                            j.created_ms, j.id, t.frame
                        LIMIT 1
                        """, arguments: [device.rawRepresentation])
            else { return nil }
            let until = nowMs + policy.leaseMs
            let leased = ["queued": "leased", "check": "checking", "dispute": "disputing"][next["state"] as String] ?? "leased"
            try db.execute(
                sql: "UPDATE render_tasks SET state = ?, node = ?, lease_until = ? WHERE job = ? AND frame = ?",
                arguments: [leased, device.rawRepresentation, until, next["job"] as String, next["frame"] as Int64])
            return Self.lease(next, state: leased, until: until)
        }
    }

    private static func lease(_ row: Row, state: String? = nil, until: Int64) -> RenderLease {
        let role = ["checking": "verify", "disputing": "tiebreak"][state ?? row["state"] as String] ?? "render"
        return RenderLease(
            role: role, job: row["job"], frame: row["frame"], scene: row["scene"], samples: row["samples"],
            format: row["format"], leaseUntilMs: until)
    }

    public func renderResults(job: String, frame: Int) async throws -> [RenderResult] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM render_results WHERE job = ? AND frame = ? ORDER BY id", arguments: [job, frame]
            ).map(SQLiteRenderRows.result)
        }
    }

    public func renderResults(job: String) async throws -> [RenderResult] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM render_results WHERE job = ? ORDER BY id", arguments: [job])
                .map(SQLiteRenderRows.result)
        }
    }
}
