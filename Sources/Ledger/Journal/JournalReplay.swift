import Core
import Foundation

/// Replays a journal from its first entry: checks each hash and link, the signature of each
/// signed entry, and that postings never overdraw; recomputes every balance.
public struct JournalReplay {
    private let rules: TransactionRules
    private var previousHash = JournalEntry.genesisPreviousHash
    private var expectedSequence: UInt64 = 1
    private var balances: [Address: AccountState] = [:]
    private var entries = 0
    private var minted = Amount.zero
    /// Credits escrowed by job, less what was returned.
    private var escrowed: [String: Amount] = [:]
    private(set) var problems: [String] = []

    /// A replay under `rules` (for the supply cap and signatures).
    public init(rules: TransactionRules) {
        self.rules = rules
    }

    /// Checks the next entry and applies its postings.
    public mutating func check(_ entry: JournalEntry) {
        entries += 1
        let label = "entry \(entry.sequence)"
        if entry.sequence != expectedSequence { problems.append("\(label): expected sequence \(expectedSequence)") }
        expectedSequence = entry.sequence + 1
        if entry.previousHash != previousHash { problems.append("\(label): does not link to the entry before it") }
        if entry.computedHash != entry.hash { problems.append("\(label): its hash does not match its contents") }
        previousHash = entry.hash
        switch entry.kind {
        case .genesis, .mint:
            for posting in entry.postings where posting.direction == .credit && posting.asset == .token {
                minted = (try? minted.adding(posting.amount)) ?? Amount(.max)
            }
            if minted > rules.genesis.token.supplyCap { problems.append("\(label): mints pass the supply cap") }
        case .escrowRefund:
            // A refund returns at most what its job's escrow still holds.
            var left = escrowed[entry.reference] ?? .zero
            for posting in entry.postings {
                guard posting.asset == .credit, posting.direction == .credit, let rest = try? left.subtracting(posting.amount)
                else {
                    problems.append("\(label): refunds more than job \(entry.reference)'s escrow holds")
                    continue
                }
                left = rest
            }
            escrowed[entry.reference] = left
        case .storageCharge, .queryCharge:
            // A storage or query charge only takes credits, from accounts that signed for an access key.
            for posting in entry.postings where posting.asset != .credit || posting.direction != .debit {
                problems.append("\(label): a \(entry.kind.rawValue) may only take credits")
            }
        default:
            do {
                let transaction = try Transaction(wireBytes: entry.transaction)
                _ = try transaction.verifySignature()
                if entry.kind == .submitRenderJob || entry.kind == .postBounty {
                    let job = TransactionRules.escrowID(transaction)
                    for posting in entry.postings where posting.asset == .credit && posting.direction == .debit {
                        escrowed[job] = (try? (escrowed[job] ?? .zero).adding(posting.amount)) ?? Amount(.max)
                    }
                }
            } catch {
                problems.append("\(label): its signed transaction does not verify")
            }
        }
        for posting in entry.postings {
            var state = balances[posting.account] ?? AccountState(address: posting.account)
            do { try posting.apply(to: &state) } catch {
                problems.append("\(label): \(posting.account) goes below zero")
            }
            balances[posting.account] = state
        }
    }

    /// Compares the replayed balances with the stored accounts and returns the verdict.
    public func finish(comparingWith stored: [AccountState]) -> LedgerVerificationResult {
        var problems = self.problems
        var seen = Set<Address>()
        for account in stored {
            seen.insert(account.address)
            let replayed = balances[account.address] ?? AccountState(address: account.address)
            if replayed.tokens != account.tokens || replayed.credits != account.credits {
                problems.append(
                    "\(account.address): stored \(account.tokens) tokens, \(account.credits) credits; "
                        + "the journal gives \(replayed.tokens), \(replayed.credits)")
            }
        }
        for (address, state) in balances where !seen.contains(address) && (state.tokens > .zero || state.credits > .zero) {
            problems.append("\(address): the journal gives it a balance the accounts table lacks")
        }
        return LedgerVerificationResult(entries: entries, accounts: stored.count, problems: problems)
    }
}

/// What a journal replay found.
public struct LedgerVerificationResult: Sendable, Equatable, Codable {
    /// Journal entries replayed.
    public var entries: Int
    /// Accounts compared.
    public var accounts: Int
    /// Problems; empty when the ledger is sound.
    public var problems: [String]

    /// True when nothing is wrong.
    public var isSound: Bool { problems.isEmpty }
}
