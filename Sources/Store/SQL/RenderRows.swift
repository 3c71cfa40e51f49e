import Core
import Foundation
import Ledger

/// Row reading and writing for the rendering market's tables.
enum RenderRows {
    /// A job and its queued frames, created with its escrow.
    static func createJob(_ job: SubmitRenderJob, escrow: Escrow, creator: Address, nowMs: Int64, in db: any SQLSession) throws {
        try db.execute(
            sql: """
                INSERT INTO render_jobs (id, creator, service, scene, frame_start, frame_end, samples, format, tier, cap,
                    spent, refunded, state, created_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '0', '0', 'open', ?)
                """,
            arguments: [
                escrow.job, creator.description, escrow.service, job.sceneSha256, Int64(job.frameStart), Int64(job.frameEnd),
                Int64(job.samples), job.format, job.tier, escrow.credits.description, nowMs,
            ])
        let task = try db.prepare(
            sql: "INSERT INTO render_tasks (job, frame, state, queued_ms) VALUES (?, ?, 'queued', ?)")
        for frame in job.frameStart...job.frameEnd {
            try task.execute(arguments: [escrow.job, Int64(frame), nowMs])
        }
    }

    static func job(_ row: SQLRow, in db: any SQLSession) throws -> RenderJob {
        let id: String = row["id"]
        var frames: [String: Int] = [:]
        for count in try SQLRow.fetchAll(
            db, sql: "SELECT state, COUNT(*) AS n FROM render_tasks WHERE job = ? GROUP BY state", arguments: [id])
        {
            frames[count["state"]] = count["n"]
        }
        return RenderJob(
            id: id, creator: try Address(parsing: row["creator"]), service: row["service"], scene: row["scene"],
            frameStart: row["frame_start"], frameEnd: row["frame_end"], samples: row["samples"], format: row["format"],
            tier: row["tier"], cap: try Amount(parsing: row["cap"]), spent: try Amount(parsing: row["spent"]),
            refunded: try Amount(parsing: row["refunded"]), state: row["state"], createdMs: row["created_ms"],
            finishedMs: row["finished_ms"], frames: frames)
    }

    static func task(_ row: SQLRow) throws -> RenderTask {
        RenderTask(
            job: row["job"], frame: row["frame"], state: row["state"],
            node: try (row["node"] as Data?).map { try PublicKey(rawRepresentation: $0).address },
            leaseUntilMs: row["lease_until"], output: row["output"], renderMs: row["render_ms"], attempts: row["attempts"],
            paid: try (row["paid"] as String?).map { try Amount(parsing: $0) })
    }

    static func node(_ row: SQLRow) throws -> RenderNode {
        RenderNode(
            device: try PublicKey(rawRepresentation: row["device"]).address, benchmarkMs: row["benchmark_ms"],
            renderer: row["renderer"], reputation: row["reputation"], verified: row["verified"], failed: row["failed"],
            scene: row["scene"], output: row["output"], leases: row["leases"], askedMs: row["asked_ms"],
            checkDue: row["check_due"], checkSeed: row["check_seed"], checkAskedMs: row["check_asked_ms"],
            checkUntilMs: row["check_until"], checksPassed: row["checks_passed"], checksFailed: row["checks_failed"])
    }

    static func benchmarkCheck(_ row: SQLRow) throws -> RenderBenchmarkCheck {
        RenderBenchmarkCheck(
            device: try PublicKey(rawRepresentation: row["device"]).address, seed: row["seed"], askedMs: row["asked_ms"],
            answeredMs: row["answered_ms"], claimedMs: row["claimed_ms"], reportedMs: row["reported_ms"],
            output: row["output"], psnr: row["psnr"],
            verdict: RenderBenchmarkCheck.Verdict(rawValue: row["verdict"]) ?? .wrongImage,
            benchmarkAfterMs: row["benchmark_after_ms"], penalty: row["penalty"])
    }

    static func result(_ row: SQLRow) throws -> RenderResult {
        RenderResult(
            job: row["job"], frame: row["frame"], node: try PublicKey(rawRepresentation: row["node"]).address,
            role: row["role"], output: row["output"], renderMs: row["render_ms"], price: try Amount(parsing: row["price"]),
            paid: try (row["paid"] as String?).map { try Amount(parsing: $0) }, verdict: row["verdict"])
    }
}
