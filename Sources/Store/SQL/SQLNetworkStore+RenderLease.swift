import Core
import Foundation

extension SQLNetworkStore {
    public func leaseRenderTask(device: PublicKey, policy: RenderLeasePolicy, nowMs: Int64) async throws -> RenderLease? {
        let me = device.rawRepresentation
        return try await writer.write { db in
            try Self.expireRenderLeases(policy: policy, nowMs: nowMs, in: db)
            guard let node = try SQLRow.fetchOne(db, sql: "SELECT * FROM render_nodes WHERE device = ?", arguments: [me])
            else { throw StoreError(.notBenchmarked, "the node has not reported its benchmark yet") }
            try db.execute(sql: "UPDATE render_nodes SET asked_ms = ? WHERE device = ?", arguments: [nowMs, me])
            guard (node["reputation"] as Int) >= policy.minReputation else { return nil }
            // A benchmark check the node holds is its own until it answers or it runs out.
            if let seed = node["check_seed"] as Int?, let until = node["check_until"] as Int64? {
                return Self.benchmarkLease(node, seed: seed, until: until)
            }
            let columns = """
                SELECT t.job, t.frame, t.state, t.lease_until, t.queued_ms, j.scene, j.samples, j.format FROM render_tasks t
                JOIN render_jobs j ON j.id = t.job
                """
            // A lease the node already holds (it asked again, say after a restart) is its own.
            if let held = try SQLRow.fetchOne(
                db,
                sql: "\(columns) WHERE t.state IN ('leased', 'checking', 'disputing') AND t.node = ? ORDER BY t.job, t.frame LIMIT 1",
                arguments: [me])
            {
                return Self.lease(held, until: held["lease_until"])
            }
            // Checks of other nodes' frames first (they hold jobs back), then priority before
            // economy, older jobs first; never a frame the node has already rendered.
            let open = """
                \(columns) WHERE t.state IN ('queued', 'check', 'dispute')
                    AND NOT EXISTS (SELECT 1 FROM render_results r
                        WHERE r.job = t.job AND r.frame = t.frame AND r.node = ? AND r.verdict != 'void')
                """
            let order = """
                ORDER BY CASE t.state WHEN 'queued' THEN 1 ELSE 0 END, CASE j.tier WHEN 'priority' THEN 0 ELSE 1 END,
                    j.created_ms, j.id, t.frame
                """
            let next = try SQLRow.fetchOne(db, sql: "\(open) \(order) LIMIT 1", arguments: [me])
            // A node drawn for a benchmark check renders its benchmark instead of the frame it
            // would get; one that owes a check renders it at once.
            if let seed = policy.benchmarkCheckSeed, node["scene"] as String? != nil, next != nil || node["check_due"] as Bool {
                let until = nowMs + policy.leaseMs
                try db.execute(
                    sql: """
                        UPDATE render_nodes SET check_seed = ?, check_asked_ms = ?, check_until = ?, leases = leases + 1
                        WHERE device = ?
                        """,
                    arguments: [seed, nowMs, until, me])
                return Self.benchmarkLease(node, seed: seed, until: until)
            }
            guard let next else { return nil }
            if try Self.defers(to: next, node: node, policy: policy, open: open, nowMs: nowMs, in: db) { return nil }
            let until = nowMs + policy.leaseMs
            let leased = ["queued": "leased", "check": "checking", "dispute": "disputing"][next["state"] as String] ?? "leased"
            try db.execute(
                sql: "UPDATE render_tasks SET state = ?, node = ?, lease_until = ? WHERE job = ? AND frame = ?",
                arguments: [leased, me, until, next["job"] as String, next["frame"] as Int64])
            try db.execute(sql: "UPDATE render_nodes SET leases = leases + 1 WHERE device = ?", arguments: [me])
            return Self.lease(next, state: leased, until: until)
        }
    }

    /// Leases and benchmark checks that ran out: frames go back to the queue, checks stay owed,
    /// and each costs its node reputation. Frames that waited `checkWaitMs` for a verifying node
    /// are settled on their first render, unverified (a network with one node cannot verify).
    private static func expireRenderLeases(policy: RenderLeasePolicy, nowMs: Int64, in db: any SQLSession) throws {
        if policy.checkWaitMs > 0 {
            for stale in try SQLRow.fetchAll(
                db, sql: "SELECT job, frame FROM render_tasks WHERE state = 'check' AND queued_ms <= ?",
                arguments: [nowMs - policy.checkWaitMs])
            {
                let (job, frame): (String, Int) = (stale["job"], stale["frame"])
                let render = try SQLRow.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM render_results WHERE job = ? AND frame = ? AND role = 'render' AND verdict = 'pending'
                        ORDER BY id DESC LIMIT 1
                        """,
                    arguments: [job, frame])
                try judge(render, "accepted", in: db)
                try settle(job: job, frame: frame, with: render, in: db)
                if let jobRow = try SQLRow.fetchOne(db, sql: "SELECT * FROM render_jobs WHERE id = ?", arguments: [job]) {
                    try finishIfDone(job: jobRow, epoch: policy.epoch, nowMs: nowMs, in: db)
                }
            }
        }
        let penalise = try db.prepare(
            sql: "UPDATE render_nodes SET reputation = MAX(0, reputation - ?), failed = failed + 1, updated_ms = ? WHERE device = ?")
        for expired in try SQLRow.fetchAll(
            db,
            sql: "SELECT job, frame, node, state FROM render_tasks WHERE state IN ('leased', 'checking', 'disputing') AND lease_until <= ?",
            arguments: [nowMs])
        {
            let back = ["leased": "queued", "checking": "check", "disputing": "dispute"][expired["state"] as String] ?? "queued"
            try db.execute(
                sql: """
                    UPDATE render_tasks SET state = ?, node = NULL, lease_until = NULL, attempts = attempts + 1,
                        queued_ms = ? WHERE job = ? AND frame = ?
                    """,
                arguments: [back, nowMs, expired["job"] as String, expired["frame"] as Int64])
            try penalise.execute(arguments: [policy.expiryPenalty, nowMs, expired["node"] as Data])
        }
        for device in try Data.fetchAll(db, sql: "SELECT device FROM render_nodes WHERE check_until <= ?", arguments: [nowMs]) {
            try db.execute(
                sql: """
                    UPDATE render_nodes SET check_seed = NULL, check_asked_ms = NULL, check_until = NULL, check_due = 1,
                        checks_failed = checks_failed + 1 WHERE device = ?
                    """,
                arguments: [device])
            try penalise.execute(arguments: [policy.expiryPenalty, nowMs, device])
        }
    }

    /// Whether `next` should wait for better nodes: it was queued within the preference time, and
    /// there are at least as many idle nodes of better standing (that may take it) as frames open
    /// to this node.
    private static func defers(
        to next: SQLRow, node: SQLRow, policy: RenderLeasePolicy, open: String, nowMs: Int64, in db: any SQLSession
    ) throws -> Bool {
        guard policy.preferenceMs > 0, (next["queued_ms"] as Int64) > nowMs - policy.preferenceMs else { return false }
        let better = try Int.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM render_nodes n
                WHERE n.device != ? AND n.asked_ms >= ? AND n.reputation >= ? AND n.check_seed IS NULL
                    AND (n.reputation > ? OR (n.reputation = ? AND n.benchmark_ms < ?))
                    AND NOT EXISTS (SELECT 1 FROM render_tasks t
                        WHERE t.node = n.device AND t.state IN ('leased', 'checking', 'disputing'))
                    AND NOT EXISTS (SELECT 1 FROM render_results r
                        WHERE r.job = ? AND r.frame = ? AND r.node = n.device AND r.verdict != 'void')
                """,
            arguments: [
                node["device"] as Data, nowMs - policy.idleMs, policy.minReputation, node["reputation"] as Int,
                node["reputation"] as Int, node["benchmark_ms"] as Int64, next["job"] as String, next["frame"] as Int64,
            ]) ?? 0
        guard better > 0 else { return false }
        let openCount = try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM (\(open) LIMIT ?) AS better", arguments: [node["device"] as Data, better + 1]) ?? 0
        return better >= openCount
    }

    private static func lease(_ row: SQLRow, state: String? = nil, until: Int64) -> RenderLease {
        let role = ["checking": "verify", "disputing": "tiebreak"][state ?? row["state"] as String] ?? "render"
        return RenderLease(
            role: role, job: row["job"], frame: row["frame"], scene: row["scene"], samples: row["samples"],
            format: row["format"], leaseUntilMs: until)
    }

    private static func benchmarkLease(_ node: SQLRow, seed: Int, until: Int64) -> RenderLease {
        RenderLease(
            role: "benchmark", job: "benchmark", frame: 1, scene: node["scene"], samples: 0, format: "PNG", leaseUntilMs: until,
            seed: seed)
    }
}
