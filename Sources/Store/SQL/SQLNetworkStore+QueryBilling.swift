import Core
import Foundation
import Ledger

extension SQLNetworkStore {
    public func chargeQuery(
        account: Address, service: String, epoch: Int64, earned: [(device: PublicKey, credits: Int64)], reference: String,
        nowMs: Int64
    ) async throws {
        try await writer.write { db in
            var total = Amount.zero
            for part in earned where part.credits > 0 { total = try total.adding(Amount(UInt128(part.credits))) }
            guard total > .zero else { return }
            let balance = try SQLLedgerView(db: db).account(account).credits
            guard balance >= total else {
                throw TransactionError(.insufficientCredits, "the query costs \(total) credits; \(account) holds \(balance)")
            }
            let postings = [Posting(account: account, asset: .credit, direction: .debit, amount: total)]
            try Self.applyPostings(postings, in: db)
            let consent = try Data.fetchOne(
                db, sql: "SELECT request FROM s3_key_requests WHERE account = ?", arguments: [account.publicKey.rawRepresentation])
            _ = try StoreRows.appendJournal(
                kind: .queryCharge, transaction: consent ?? Data(), reference: reference, postings: postings, nowMs: nowMs, in: db)
            for part in earned where part.credits > 0 {
                try EpochFreeze.recordUsage(
                    clockEpoch: epoch, service: service, device: part.device.rawRepresentation,
                    credits: String(part.credits), nowMs: nowMs, in: db)
            }
        }
    }
}
