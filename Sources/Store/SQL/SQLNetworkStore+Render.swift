import Core
import Foundation
import Ledger

extension SQLNetworkStore {
    public func renderJob(_ id: String) async throws -> RenderJob? {
        try await writer.read { db in
            try SQLRow.fetchOne(db, sql: "SELECT * FROM render_jobs WHERE id = ?", arguments: [id]).map {
                try RenderRows.job($0, in: db)
            }
        }
    }

    public func renderTask(job: String, frame: Int) async throws -> RenderTask? {
        try await writer.read { db in
            try SQLRow.fetchOne(db, sql: "SELECT * FROM render_tasks WHERE job = ? AND frame = ?", arguments: [job, frame])
                .map(RenderRows.task)
        }
    }

    public func renderTasks(job: String) async throws -> [RenderTask] {
        try await writer.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM render_tasks WHERE job = ? ORDER BY frame", arguments: [job])
                .map(RenderRows.task)
        }
    }

    public func renderMarketTotals(activeSinceMs: Int64) async throws -> RenderMarketTotals {
        try await writer.read { db in
            let nodes = try SQLRow.fetchOne(
                db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN asked_ms >= ? THEN 1 ELSE 0 END), 0) AS active FROM render_nodes",
                arguments: [activeSinceMs])
            var frames: [String: Int] = [:]
            for row in try SQLRow.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM render_tasks GROUP BY state") {
                frames[row["state"]] = row["n"]
            }
            return RenderMarketTotals(
                nodes: nodes?["n"] ?? 0, activeNodes: nodes?["active"] ?? 0,
                openJobs: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM render_jobs WHERE state = 'open'") ?? 0,
                waitingFrames: ["queued", "check", "dispute"].reduce(0) { $0 + (frames[$1] ?? 0) },
                renderingFrames: ["leased", "checking", "disputing"].reduce(0) { $0 + (frames[$1] ?? 0) },
                doneFrames: frames["done"] ?? 0)
        }
    }

    public func renderJobs(creator: Address?, limit: Int) async throws -> [RenderJob] {
        try await writer.read { db in
            let rows =
                if let creator {
                    try SQLRow.fetchAll(
                        db, sql: "SELECT * FROM render_jobs WHERE creator = ? ORDER BY created_ms DESC, id LIMIT ?",
                        arguments: [creator.description, max(limit, 0)])
                } else {
                    try SQLRow.fetchAll(
                        db, sql: "SELECT * FROM render_jobs ORDER BY created_ms DESC, id LIMIT ?", arguments: [max(limit, 0)])
                }
            return try rows.map { try RenderRows.job($0, in: db) }
        }
    }

    public func renderResults(job: String, frame: Int) async throws -> [RenderResult] {
        try await writer.read { db in
            try SQLRow.fetchAll(
                db, sql: "SELECT * FROM render_results WHERE job = ? AND frame = ? ORDER BY id", arguments: [job, frame]
            ).map(RenderRows.result)
        }
    }

    public func renderResults(job: String) async throws -> [RenderResult] {
        try await writer.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM render_results WHERE job = ? ORDER BY id", arguments: [job])
                .map(RenderRows.result)
        }
    }
}
