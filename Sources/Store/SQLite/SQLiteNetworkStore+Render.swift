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
                db, sql: "SELECT job, frame, node FROM render_tasks WHERE state = 'leased' AND lease_until <= ?",
                arguments: [nowMs])
            {
                try db.execute(
                    sql: """
                        UPDATE render_tasks SET state = 'queued', node = NULL, lease_until = NULL, attempts = attempts + 1,
                            queued_ms = ? WHERE job = ? AND frame = ?
                        """,
                    arguments: [nowMs, expired["job"] as String, expired["frame"] as Int64])
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
                SELECT t.job, t.frame, t.lease_until, j.scene, j.samples, j.format FROM render_tasks t
                JOIN render_jobs j ON j.id = t.job
                """
            // A lease the node already holds (it asked again, say after a restart) is its own.
            if let held = try Row.fetchOne(
                db, sql: "\(columns) WHERE t.state = 'leased' AND t.node = ? ORDER BY t.job, t.frame LIMIT 1",
                arguments: [device.rawRepresentation])
            {
                return Self.lease(held, until: held["lease_until"])
            }
            guard
                let next = try Row.fetchOne(
                    db,
                    sql: """
                        \(columns) WHERE t.state = 'queued'
                        ORDER BY CASE j.tier WHEN 'priority' THEN 0 ELSE 1 END, j.created_ms, j.id, t.frame LIMIT 1
                        """)
            else { return nil }
            let until = nowMs + policy.leaseMs
            try db.execute(
                sql: "UPDATE render_tasks SET state = 'leased', node = ?, lease_until = ? WHERE job = ? AND frame = ?",
                arguments: [device.rawRepresentation, until, next["job"] as String, next["frame"] as Int64])
            return Self.lease(next, until: until)
        }
    }

    private static func lease(_ row: Row, until: Int64) -> RenderLease {
        RenderLease(
            job: row["job"], frame: row["frame"], scene: row["scene"], samples: row["samples"], format: row["format"],
            leaseUntilMs: until)
    }

    public func completeRenderTask(
        device: PublicKey, job: String, frame: Int, output: String, renderMs: Int64, price: Amount, epoch: Int64,
        nowMs: Int64
    ) async throws -> RenderTask {
        try await writer.write { db in
            guard let jobRow = try Row.fetchOne(db, sql: "SELECT * FROM render_jobs WHERE id = ?", arguments: [job]) else {
                throw StoreError(.unknownJob, "no render job \(job)")
            }
            guard
                let task = try Row.fetchOne(
                    db, sql: "SELECT * FROM render_tasks WHERE job = ? AND frame = ?", arguments: [job, frame]),
                task["state"] as String == "leased", task["node"] as Data? == device.rawRepresentation
            else { throw StoreError(.noLease, "\(device.address) holds no lease on frame \(frame) of job \(job)") }
            let cap = try Amount(parsing: jobRow["cap"])
            let spent = try Amount(parsing: jobRow["spent"])
            let left = (try? cap.subtracting(spent)) ?? .zero
            let paid = min(price, left)
            let service: String = jobRow["service"]
            try db.execute(
                sql: """
                    UPDATE render_tasks SET state = 'done', lease_until = NULL, output = ?, render_ms = ?, paid = ?
                    WHERE job = ? AND frame = ?
                    """,
                arguments: [output, renderMs, paid.description, job, frame])
            try db.execute(
                sql: "UPDATE render_jobs SET spent = ? WHERE id = ?", arguments: [try spent.adding(paid).description, job])
            if paid > .zero {
                try db.execute(
                    sql: "INSERT INTO usage (epoch, service, device, credits, timestamp_ms) VALUES (?, ?, ?, ?, ?)",
                    arguments: [epoch, service, device.rawRepresentation, paid.description, nowMs])
            }
            try db.execute(
                sql: """
                    UPDATE render_nodes SET reputation = MIN(100, reputation + 1), verified = verified + 1, updated_ms = ?
                    WHERE device = ?
                    """,
                arguments: [nowMs, device.rawRepresentation])
            let remaining = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM render_tasks WHERE job = ? AND state != 'done'", arguments: [job]) ?? 0
            if remaining == 0 {
                let refund = try cap.subtracting(try spent.adding(paid))
                try db.execute(
                    sql: "UPDATE render_jobs SET state = 'done', refunded = ?, finished_ms = ? WHERE id = ?",
                    arguments: [refund.description, nowMs, job])
                if refund > .zero {
                    let creator = try Address(parsing: jobRow["creator"])
                    let postings = [Posting(account: creator, asset: .credit, direction: .credit, amount: refund)]
                    try Self.applyPostings(postings, in: db)
                    _ = try SQLiteRows.appendJournal(
                        kind: .escrowRefund, transaction: Data(), reference: job, postings: postings, nowMs: nowMs, in: db)
                }
            }
            return try SQLiteRenderRows.task(
                try Row.fetchOne(db, sql: "SELECT * FROM render_tasks WHERE job = ? AND frame = ?", arguments: [job, frame])!)
        }
    }
}
