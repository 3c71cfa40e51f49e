import Core
import Foundation
import Ledger
import Rewards

/// What an epoch carries to the next beyond money, in SQL: service states, ingest refusals and
/// bounties into the input; states and bounty refunds out of a result.
enum CarriedStateRows {
    /// Each service's state after `epoch`, base64, by service.
    static func states(after epoch: Int64, in db: any SQLSession) throws -> [String: String] {
        var states: [String: String] = [:]
        for row in try SQLRow.fetchAll(db, sql: "SELECT service, state FROM service_states WHERE epoch = ?", arguments: [epoch]) {
            states[row["service"]] = (row["state"] as Data).base64EncodedString()
        }
        return states
    }

    /// The service's state after `epoch`, if it left one.
    static func state(of service: String, after epoch: Int64, in db: any SQLSession) throws -> Data? {
        try Data.fetchOne(
            db, sql: "SELECT state FROM service_states WHERE epoch = ? AND service = ?", arguments: [epoch, service])
    }

    /// Reports refused at ingest in `epoch`, by device address and reason.
    static func refusals(epoch: Int64, in db: any SQLSession) throws -> [String: [String: Int]] {
        var refused: [String: [String: Int]] = [:]
        for row in try SQLRow.fetchAll(
            db, sql: "SELECT device, reason, COUNT(*) AS n FROM report_refusals WHERE epoch = ? GROUP BY device, reason",
            arguments: [epoch])
        {
            let device = try PublicKey(rawRepresentation: row["device"] as Data).address.description
            refused[device, default: [:]][row["reason"]] = row["n"]
        }
        return refused
    }

    /// Bounties in force in `epoch`, each with its part for the epoch: an equal share of its
    /// credits, the remainder in its last epoch.
    static func bounties(epoch: Int64, in db: any SQLSession) throws -> [AreaBounty] {
        var bounties: [AreaBounty] = []
        for row in try SQLRow.fetchAll(
            db,
            sql: "SELECT * FROM bounties WHERE first_epoch <= ? AND first_epoch + epochs > ? ORDER BY id",
            arguments: [epoch, epoch])
        {
            let total = try Amount(parsing: row["credits"])
            let epochs = UInt128(row["epochs"] as Int64)
            let last = (row["first_epoch"] as Int64) + (row["epochs"] as Int64) - 1
            let part = total.units / epochs + (epoch == last ? total.units % epochs : 0)
            bounties.append(
                AreaBounty(
                    id: row["id"], account: try Address(parsing: row["account"]), service: row["service"], area: row["area"],
                    credits: Amount(part)))
        }
        return bounties
    }

    /// Stores the states `result` leaves and gives its refunds back (journal `escrow_refund`,
    /// referencing the bounty).
    static func save(_ result: EpochResult, nowMs: Int64, in db: any SQLSession) throws {
        for (service, state) in result.states.sorted(by: { $0.key < $1.key }) {
            try db.execute(
                sql: """
                    INSERT INTO service_states (epoch, service, state) VALUES (?, ?, ?)
                    ON CONFLICT (epoch, service) DO UPDATE SET state = excluded.state
                    """,
                arguments: [result.epoch, service, state])
        }
        for refund in result.refunds where refund.credits > .zero {
            let postings = [Posting(account: refund.account, asset: .credit, direction: .credit, amount: refund.credits)]
            try SQLNetworkStore.applyPostings(postings, in: db)
            _ = try StoreRows.appendJournal(
                kind: .escrowRefund, transaction: Data(), reference: refund.reference, postings: postings, nowMs: nowMs,
                in: db)
            if let text = try String.fetchOne(db, sql: "SELECT refunded FROM bounties WHERE id = ?", arguments: [refund.reference]) {
                try db.execute(
                    sql: "UPDATE bounties SET refunded = ? WHERE id = ?",
                    arguments: [try Amount(parsing: text).adding(refund.credits).description, refund.reference])
            }
        }
    }
}
