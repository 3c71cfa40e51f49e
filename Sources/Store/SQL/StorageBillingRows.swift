import Core
import Foundation
import Ledger

/// The storage network's billing pass in SQL: one account at a time, then the split among
/// storage nodes. Prices come in as Int64: a UInt128 parameter of an async function crashed the
/// process on Linux (Swift 6.3, a null call on entry), so UInt128 stays inside synchronous code.
enum StorageBillingRows {
    /// 10⁹ bytes for 30 days, in byte-milliseconds.
    static let monthDenominator: UInt128 = 1_000_000_000 * 2_592_000_000

    static func charge(
        nowMs: Int64, epoch: Int64, service: String, creditsPerGBMonth: Int64, creditsPerGBEgress: Int64,
        excluded: Set<Address>, in db: any SQLSession
    ) throws -> StorageBill {
        var bill = StorageBill()
        var storagePool = Amount.zero
        var egressPool = Amount.zero
        for key in try Data.fetchAll(db, sql: "SELECT DISTINCT owner FROM s3_buckets ORDER BY owner") {
            guard let charged = try chargeAccount(
                key, nowMs: nowMs, creditsPerGBMonth: creditsPerGBMonth, creditsPerGBEgress: creditsPerGBEgress, in: db)
            else { continue }
            egressPool = try egressPool.adding(charged.egressPaid)
            storagePool = try storagePool.adding(charged.charge.paid.subtracting(charged.egressPaid))
            let charge = charged.charge
            if charge.paid > .zero || charge.unpaid > .zero || charge.storedBytes > 0 || charge.egressBytes > 0 {
                bill.charges.append(charge)
            }
        }
        let held = try weights("SELECT node, SUM(bytes) AS bytes FROM s3_pieces GROUP BY node", excluded: excluded, in: db)
        let served = try weights("SELECT node, bytes FROM s3_node_egress", excluded: excluded, in: db)
        try db.execute(sql: "DELETE FROM s3_node_egress")
        for (node, credits) in split(storagePool, by: held) + split(egressPool, by: served) {
            bill.earned[node] = try (bill.earned[node] ?? .zero).adding(credits)
        }
        for (node, credits) in bill.earned.sorted(by: { $0.key < $1.key }) where credits > .zero {
            try EpochFreeze.recordUsage(
                clockEpoch: epoch, service: service, device: node.publicKey.rawRepresentation,
                credits: credits.description, nowMs: nowMs, in: db)
        }
        return bill
    }

    /// Charges one account for the bytes it kept since its last charge and its egress since;
    /// nil for an account charged for the first time (its clock starts now).
    static func chargeAccount(
        _ key: Data, nowMs: Int64, creditsPerGBMonth: Int64, creditsPerGBEgress: Int64, in db: any SQLSession
    ) throws -> (charge: StorageBill.Charge, egressPaid: Amount)? {
        let account = try PublicKey(rawRepresentation: key).address
        guard let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM s3_billing WHERE account = ?", arguments: [key]) else {
            try ensureBilling(key, nowMs: nowMs, in: db)
            return nil
        }
        let stored = try Int64.fetchOne(
            db, sql: "SELECT COALESCE(SUM(o.size), 0) FROM s3_objects o JOIN s3_buckets b ON b.name = o.bucket WHERE b.owner = ?",
            arguments: [key]) ?? 0
        let lastMs: Int64 = row["last_ms"]
        let elapsed = UInt128(max(nowMs - lastMs, 0))
        let byteCarry = UInt128(row["byte_ms_carry"] as String) ?? 0
        let byteTime = UInt128(max(stored, 0)) * elapsed * UInt128(max(creditsPerGBMonth, 0)) + byteCarry
        let egressBytes: Int64 = row["egress_bytes"]
        let egressCarry = UInt128(row["egress_carry"] as String) ?? 0
        let egressUnits = UInt128(max(egressBytes, 0)) * UInt128(max(creditsPerGBEgress, 0)) + egressCarry
        let storageOwed = Amount(byteTime / monthDenominator)
        let egressOwed = Amount(egressUnits / 1_000_000_000)
        let owed = try storageOwed.adding(egressOwed).adding(try Amount(parsing: row["unpaid"]))
        let balance = try SQLLedgerView(db: db).account(account).credits
        let paid = min(owed, balance)
        let unpaid = try owed.subtracting(paid)
        if paid > .zero {
            let postings = [Posting(account: account, asset: .credit, direction: .debit, amount: paid)]
            try SQLNetworkStore.applyPostings(postings, in: db)
            let consent = try Data.fetchOne(db, sql: "SELECT request FROM s3_key_requests WHERE account = ?", arguments: [key])
            _ = try StoreRows.appendJournal(
                kind: .storageCharge, transaction: consent ?? Data(), reference: "storage:\(nowMs)", postings: postings, nowMs: nowMs,
                in: db)
        }
        let total = try Amount(parsing: row["paid"]).adding(paid)
        try db.execute(
            sql: """
                UPDATE s3_billing SET last_ms = ?, byte_ms_carry = ?, egress_bytes = 0, egress_carry = ?, paid = ?, unpaid = ?
                WHERE account = ?
                """,
            arguments: [
                nowMs, String(byteTime % monthDenominator), String(egressUnits % 1_000_000_000), total.description, unpaid.description,
                key,
            ])
        // Egress is paid first; the rest goes to the bytes kept.
        return (
            StorageBill.Charge(account: account, storedBytes: stored, egressBytes: egressBytes, paid: paid, unpaid: unpaid),
            min(paid, egressOwed)
        )
    }

    /// Storage nodes (less `excluded`) and their byte counts, from `sql`'s node and bytes.
    static func weights(_ sql: String, excluded: Set<Address>, in db: any SQLSession) throws -> [(Address, UInt128)] {
        var weights: [(Address, UInt128)] = []
        for row in try SQLRow.fetchAll(db, sql: sql) {
            let node = try PublicKey(rawRepresentation: row["node"] as Data).address
            let bytes: Int64 = row["bytes"]
            if !excluded.contains(node), bytes > 0 { weights.append((node, UInt128(bytes))) }
        }
        return weights
    }

    /// A billing row for `account`, starting its clock at `nowMs` (or at the first charge).
    static func ensureBilling(_ account: Data, nowMs: Int64?, in db: any SQLSession) throws {
        try db.execute(
            sql: """
                INSERT INTO s3_billing (account, last_ms, byte_ms_carry, egress_bytes, egress_carry, paid, unpaid)
                VALUES (?, ?, '0', 0, '0', '0', '0') ON CONFLICT DO NOTHING
                """,
            arguments: [account, nowMs ?? Int64.max])
    }

    /// `amount` split by `weights`, floored, the remainder to the heaviest (then lowest address).
    static func split(_ amount: Amount, by weights: [(Address, UInt128)]) -> [(Address, Amount)] {
        let total = weights.reduce(UInt128(0)) { $0 + $1.1 }
        guard total > 0, amount > .zero else { return [] }
        var shares = weights.map { ($0.0, Amount(amount.units * $0.1 / total)) }
        let given = shares.reduce(UInt128(0)) { $0 + $1.1.units }
        if let heaviest = weights.indices.max(by: { weights[$0].1 == weights[$1].1 ? weights[$0].0 > weights[$1].0 : weights[$0].1 < weights[$1].1 }) {
            shares[heaviest].1 = Amount(shares[heaviest].1.units + amount.units - given)
        }
        return shares
    }
}
