import Foundation

/// The epochs whose inputs no write may change any more: every epoch up to the one the closer
/// froze before reading it, or up to the last committed. Kept in `meta` as `frozen_through`.
///
/// A close reads its epoch's log in one transaction and commits its result in another. A report
/// admitted just before the epoch fell due, whose write reached the store between those two,
/// would be acknowledged yet not counted, and a recomputation from the stored input would give
/// another root. So the closer first freezes the epoch in a write transaction, and every write
/// that tags rows with an epoch (reports, usage) reads the freeze inside its own write
/// transaction. Writes are serialized (SQLite's single writer; PostgreSQL's write lock), so a
/// write either committed before the freeze, and the close reads it, or sees the freeze.
enum EpochFreeze {
    /// The highest epoch closed or being closed; nil before the first close. `effect`, an
    /// expression run for what it does (PostgreSQL's `set_config` of a transaction's setting),
    /// rides on the same statement: a round trip fewer on PostgreSQL.
    static func frozenThrough(in db: any SQLSession, alongside effect: String? = nil) throws -> Int64? {
        let row = try SQLRow.fetchOne(
            db,
            sql: "SELECT (SELECT MAX(epoch) FROM epochs), (SELECT value FROM meta WHERE key = 'frozen_through')"
                + (effect.map { ", " + $0 } ?? ""))
        let closed: Int64? = row?[0]
        let frozen = (row?[1] as String?).flatMap { Int64($0) }
        switch (closed, frozen) {
        case (let a?, let b?): return max(a, b)
        case (let a?, nil): return a
        case (nil, let b?): return b
        case (nil, nil): return nil
        }
    }

    /// Freezes every epoch through `epoch` (a freeze never moves back).
    static func freeze(through epoch: Int64, in db: any SQLSession) throws {
        if let current = try frozenThrough(in: db), current >= epoch { return }
        try db.execute(sql: "DELETE FROM meta WHERE key = 'frozen_through'")
        try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('frozen_through', ?)", arguments: [String(epoch)])
    }

    /// The epoch a usage record made at `nowMs` counts in: the clock's epoch, or the first one
    /// not yet frozen when a close has begun on it (a customer's payment is never dropped).
    static func usageEpoch(clockEpoch: Int64, in db: any SQLSession) throws -> Int64 {
        guard let frozen = try frozenThrough(in: db) else { return clockEpoch }
        return max(clockEpoch, frozen + 1)
    }

    /// Records `credits` of `service` usage earned by `device`, in the epoch it counts in.
    static func recordUsage(
        clockEpoch: Int64, service: String, device: Data, credits: String, nowMs: Int64, in db: any SQLSession
    ) throws {
        try db.execute(
            sql: "INSERT INTO usage (epoch, service, device, credits, timestamp_ms) VALUES (?, ?, ?, ?, ?)",
            arguments: [try usageEpoch(clockEpoch: clockEpoch, in: db), service, device, credits, nowMs])
    }
}
