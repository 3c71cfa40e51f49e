import Core
import Foundation
import Ledger

/// A returned frame moving through verification, and a finished job paying out.
extension SQLNetworkStore {
    public func completeRenderTask(_ completion: RenderCompletion) async throws -> RenderTask {
        try await writer.write { db in try Self.complete(completion, in: db) }
    }

    static func complete(_ completion: RenderCompletion, in db: any SQLSession) throws -> RenderTask {
        let (job, frame, device, check) = (completion.job, completion.frame, completion.device, completion.check)
        guard let jobRow = try SQLRow.fetchOne(db, sql: "SELECT * FROM render_jobs WHERE id = ?", arguments: [job]) else {
            throw StoreError(.unknownJob, "no render job \(job)")
        }
        guard
            let task = try SQLRow.fetchOne(db, sql: "SELECT * FROM render_tasks WHERE job = ? AND frame = ?", arguments: [job, frame]),
            ["leased", "checking", "disputing"].contains(task["state"] as String),
            task["node"] as Data? == device.rawRepresentation
        else { throw StoreError(.noLease, "\(device.address) holds no lease on frame \(frame) of job \(job)") }
        let state: String = task["state"]
        let role = ["checking": "verify", "disputing": "tiebreak"][state] ?? "render"
        try db.execute(
            sql: """
                INSERT INTO render_results (job, frame, node, role, output, render_ms, price, verdict, created_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)
                """,
            arguments: [
                job, frame, device.rawRepresentation, role, completion.output, completion.renderMs,
                completion.price.description, completion.nowMs,
            ])
        let frameResults = try SQLRow.fetchAll(
            db, sql: "SELECT * FROM render_results WHERE job = ? AND frame = ? AND verdict = 'pending' ORDER BY id",
            arguments: [job, frame])
        let render = frameResults.last { $0["role"] as String == "render" }
        let verify = frameResults.last { $0["role"] as String == "verify" }
        let tiebreak = frameResults.last { $0["role"] as String == "tiebreak" }
        if state == "leased" {
            if check.sampled {
                try move(completion, to: "check", in: db)
            } else {
                try judge(render, "accepted", in: db)
                try settle(completion, with: render, in: db)
            }
        } else if state == "checking" {
            if check.matchesRender {
                try boundClaim(render, by: verify, in: db)
                try judge(render, "accepted", in: db)
                try judge(verify, "accepted", in: db)
                try settle(completion, with: render, in: db)
            } else {
                try move(completion, to: "dispute", in: db)
            }
        } else if check.matchesRender {
            try judge(render, "accepted", in: db)
            try judge(tiebreak, "accepted", in: db)
            try judge(verify, "rejected", in: db)
            try penalize(verify?["node"], policy: completion.policy, nowMs: completion.nowMs, in: db)
            try settle(completion, with: render, in: db)
        } else if check.matchesVerify {
            try judge(verify, "accepted", in: db)
            try judge(tiebreak, "accepted", in: db)
            try judge(render, "rejected", in: db)
            try settle(completion, with: verify, in: db)
            if let node = render?["node"] as Data? {
                try penalize(node, policy: completion.policy, nowMs: completion.nowMs, in: db)
                try redo(job: job, renderedBy: node, nowMs: completion.nowMs, in: db)
            }
        } else {
            // Three renders, no two alike: start the frame again, nobody paid for it.
            for row in frameResults { try judge(row, "void", in: db) }
            try move(completion, to: "queued", in: db)
        }
        try finishIfDone(job: jobRow, epoch: completion.epoch, nowMs: completion.nowMs, in: db)
        return try RenderRows.task(
            try SQLRow.fetchOne(db, sql: "SELECT * FROM render_tasks WHERE job = ? AND frame = ?", arguments: [job, frame])!)
    }

    static func judge(_ row: SQLRow?, _ verdict: String, in db: any SQLSession) throws {
        guard let row else { return }
        try db.execute(sql: "UPDATE render_results SET verdict = ? WHERE id = ?", arguments: [verdict, row["id"] as Int64])
    }

    /// The frame is done, with `accepted`'s image.
    static func settle(_ place: RenderCompletion, with accepted: SQLRow?, in db: any SQLSession) throws {
        try settle(job: place.job, frame: place.frame, with: accepted, in: db)
    }

    /// Frame `frame` of `job` is done, with `accepted`'s image.
    static func settle(job: String, frame: Int, with accepted: SQLRow?, in db: any SQLSession) throws {
        try db.execute(
            sql: """
                UPDATE render_tasks SET state = 'done', node = ?, lease_until = NULL, output = ?, render_ms = ?
                WHERE job = ? AND frame = ?
                """,
            arguments: [accepted?["node"] as Data?, accepted?["output"] as String?, accepted?["render_ms"] as Int64?, job, frame])
    }

    static func move(_ place: RenderCompletion, to next: String, in db: any SQLSession) throws {
        try db.execute(
            sql: "UPDATE render_tasks SET state = ?, node = NULL, lease_until = NULL, queued_ms = ? WHERE job = ? AND frame = ?",
            arguments: [next, place.nowMs, place.job, place.frame])
    }

    /// A sampled check of a node's claimed render time against its benchmark: two matching
    /// renders of one frame are the same work, so the first render is paid at most half again
    /// what the verifying node's time and benchmark make it worth. A node that reports slow
    /// renders to be paid more is held to what another node needed.
    static func boundClaim(_ render: SQLRow?, by verify: SQLRow?, in db: any SQLSession) throws {
        guard let render, let verify else { return }
        let claimed = try Amount(parsing: render["price"])
        let checked = try Amount(parsing: verify["price"])
        guard checked.units <= UInt128.max / 3 else { return }
        let bound = Amount(checked.units * 3 / 2)
        guard claimed > bound else { return }
        try db.execute(
            sql: "UPDATE render_results SET price = ? WHERE id = ?", arguments: [bound.description, render["id"] as Int64])
    }

    /// An outvoted node loses reputation.
    static func penalize(_ node: Data?, policy: RenderLeasePolicy, nowMs: Int64, in db: any SQLSession) throws {
        guard let node else { return }
        try db.execute(
            sql: "UPDATE render_nodes SET reputation = MAX(0, reputation - ?), failed = failed + 1, updated_ms = ? WHERE device = ?",
            arguments: [policy.rejectPenalty, nowMs, node])
    }

    /// A node caught returning a wrong frame: its other first renders of the job are rejected
    /// and their frames rendered again by others (its pay was withheld until the job ends).
    static func redo(job: String, renderedBy node: Data, nowMs: Int64, in db: any SQLSession) throws {
        let frames = try Int64.fetchAll(
            db,
            sql: """
                SELECT frame FROM render_results WHERE job = ? AND node = ? AND role = 'render' AND verdict IN ('pending', 'accepted')
                """, arguments: [job, node])
        for frame in frames {
            try db.execute(
                sql: """
                    UPDATE render_results SET verdict = CASE WHEN node = ? AND role = 'render' THEN 'rejected' ELSE 'void' END
                    WHERE job = ? AND frame = ? AND verdict IN ('pending', 'accepted')
                    """,
                arguments: [node, job, frame])
            try db.execute(
                sql: """
                    UPDATE render_tasks SET state = 'queued', node = NULL, lease_until = NULL, output = NULL, render_ms = NULL,
                        attempts = attempts + 1, queued_ms = ?
                    WHERE job = ? AND frame = ?
                    """,
                arguments: [nowMs, job, frame])
        }
    }

    /// When every frame of the job is done: pays each accepted render its price from the escrow
    /// in the order they came (never past the cap), records the pay as the nodes' usage, raises
    /// their reputation, and returns the rest to the creator.
    static func finishIfDone(job: SQLRow, epoch: Int64, nowMs: Int64, in db: any SQLSession) throws {
        let id: String = job["id"]
        let open = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM render_tasks WHERE job = ? AND state != 'done'", arguments: [id]) ?? 0
        guard open == 0, job["state"] as String == "open" else { return }
        let cap = try Amount(parsing: job["cap"])
        var spent = Amount.zero
        var earned: [Data: Amount] = [:]
        var frames: [Int64: Amount] = [:]
        for result in try SQLRow.fetchAll(
            db, sql: "SELECT id, frame, node, price FROM render_results WHERE job = ? AND verdict = 'accepted' ORDER BY id",
            arguments: [id])
        {
            let pay = min(try Amount(parsing: result["price"]), try cap.subtracting(spent))
            spent = try spent.adding(pay)
            let node: Data = result["node"]
            earned[node] = try (earned[node] ?? .zero).adding(pay)
            frames[result["frame"]] = try (frames[result["frame"]] ?? .zero).adding(pay)
            try db.execute(sql: "UPDATE render_results SET paid = ? WHERE id = ?", arguments: [pay.description, result["id"] as Int64])
            try db.execute(
                sql: "UPDATE render_nodes SET reputation = MIN(100, reputation + 1), verified = verified + 1, updated_ms = ? WHERE device = ?",
                arguments: [nowMs, node])
        }
        for (frame, paid) in frames {
            try db.execute(
                sql: "UPDATE render_tasks SET paid = ? WHERE job = ? AND frame = ?", arguments: [paid.description, id, frame])
        }
        let service: String = job["service"]
        for (node, credits) in earned.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) where credits > .zero {
            try EpochFreeze.recordUsage(
                clockEpoch: epoch, service: service, device: node, credits: credits.description, nowMs: nowMs, in: db)
        }
        let refund = try cap.subtracting(spent)
        try db.execute(
            sql: "UPDATE render_jobs SET state = 'done', spent = ?, refunded = ?, finished_ms = ? WHERE id = ?",
            arguments: [spent.description, refund.description, nowMs, id])
        guard refund > .zero else { return }
        let creator = try Address(parsing: job["creator"])
        let postings = [Posting(account: creator, asset: .credit, direction: .credit, amount: refund)]
        try applyPostings(postings, in: db)
        _ = try StoreRows.appendJournal(
            kind: .escrowRefund, transaction: Data(), reference: id, postings: postings, nowMs: nowMs, in: db)
    }
}
