import Core
import Foundation
import Ledger
import Testing

@Suite struct JournalReplayTests {
    let world = LedgerFixtures()

    func journal() -> [JournalEntry] {
        let genesis = JournalEntry(
            sequence: 1, timestampMs: 1, kind: .genesis,
            postings: [Posting(account: world.alice.address, asset: .token, direction: .credit, amount: Amount(100))],
            previousHash: JournalEntry.genesisPreviousHash)
        let transfer = world.transaction(by: world.alice) {
            $0.transfer.to = world.bob.address.description
            $0.transfer.amount = "40"
        }
        let second = JournalEntry(
            sequence: 2, timestampMs: 2, kind: .transfer, transaction: transfer.canonicalBytes,
            postings: [
                Posting(account: world.alice.address, asset: .token, direction: .debit, amount: Amount(40)),
                Posting(account: world.bob.address, asset: .token, direction: .credit, amount: Amount(40)),
            ], previousHash: genesis.hash)
        return [genesis, second]
    }

    var stored: [AccountState] {
        [
            AccountState(address: world.alice.address, tokens: Amount(60), nonce: 1),
            AccountState(address: world.bob.address, tokens: Amount(40)),
        ]
    }

    func replay(_ entries: [JournalEntry], against accounts: [AccountState]) -> LedgerVerificationResult {
        var replay = JournalReplay(rules: TransactionRules(genesis: world.genesis))
        for entry in entries { replay.check(entry) }
        return replay.finish(comparingWith: accounts)
    }

    @Test func aSoundJournalVerifies() {
        let result = replay(journal(), against: stored)
        #expect(result.isSound, "\(result.problems)")
        #expect(result.entries == 2)
    }

    @Test func findsARewrittenPosting() {
        var entries = journal()
        entries[1].postings[1].amount = Amount(41)
        #expect(!replay(entries, against: stored).isSound)
    }

    @Test func findsABrokenLink() {
        var entries = journal()
        entries[0] = JournalEntry(
            sequence: 1, timestampMs: 1, kind: .genesis,
            postings: [Posting(account: world.alice.address, asset: .token, direction: .credit, amount: Amount(100))],
            previousHash: Data(repeating: 1, count: 32))
        #expect(!replay(entries, against: stored).isSound)
    }

    @Test func findsABalanceTheJournalDoesNotGive() {
        var accounts = stored
        accounts[1].tokens = Amount(1_000)
        let result = replay(journal(), against: accounts)
        #expect(result.problems.count == 1)
    }

    @Test func findsAForgedTransaction() {
        var entries = journal()
        var forged = try! Transaction(wireBytes: entries[1].transaction)
        forged.transfer.amount = "41"
        entries[1] = JournalEntry(
            sequence: 2, timestampMs: 2, kind: .transfer, transaction: forged.canonicalBytes,
            postings: entries[1].postings, previousHash: entries[0].hash)
        #expect(!replay(entries, against: stored).isSound)
    }
}
