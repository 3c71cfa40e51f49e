import Core
import Foundation
import Ledger
import Rewards
import Store

/// One account: balance, credits, transactions, devices, and what it can claim on chain.
struct AccountPage: Encodable {
    struct Entry: Encodable {
        var sequence: UInt64
        var timeMs: Int64
        var kind: String
        var tokens: String
        var credits: String
    }

    struct Claim: Encodable {
        var epoch: Int64
        var payoutAddress: String
        var cumulative: Amount
        var root: String
        var proof: [String]
    }

    var address: String
    var tokens: Amount
    var credits: Amount
    var nonce: UInt64
    var payoutAddress: String?
    var devices: [[String]]
    var transactions: [Entry]
    var claim: Claim?

    static func load(_ state: NodeState, _ address: Address) async throws -> AccountPage? {
        let account = try await state.store.account(address)
        let devices = try await state.store.devices(ownedBy: address)
        guard account != nil || !devices.isEmpty else { return nil }
        let entries = try await state.store.journal(involving: address, limit: 50).map { entry in
            var tokens: Int128 = 0
            var credits: Int128 = 0
            for posting in entry.postings where posting.account == address {
                let amount = Int128(posting.amount.units) * (posting.direction == .credit ? 1 : -1)
                if posting.asset == .token { tokens += amount } else { credits += amount }
            }
            return Entry(
                sequence: entry.sequence, timeMs: entry.timestampMs, kind: entry.kind.rawValue, tokens: String(tokens),
                credits: String(credits))
        }
        var claim: Claim?
        if let payout = account?.payoutAddress, let latest = try await state.store.epochs(limit: 1).first,
            let found = try await state.store.claim(epoch: latest.epoch, payout: payout)
        {
            claim = Claim(
                epoch: found.epoch, payoutAddress: payout.description, cumulative: found.cumulative, root: found.root,
                proof: found.proof.map { "0x" + $0.hexString })
        }
        return AccountPage(
            address: address.description, tokens: account?.tokens ?? .zero, credits: account?.credits ?? .zero,
            nonce: account?.nonce ?? 0, payoutAddress: account?.payoutAddress?.description,
            devices: devices.map { [$0.key.address.description, $0.kind.name] }, transactions: entries, claim: claim)
    }

    func html(_ genesis: Genesis) -> String {
        var body = "<h1>Account <code id=\"account-id\">\(HTMLPage.escape(address))</code></h1><div class=\"cards\">"
        body += NetworkPage.card("Balance", ExplorerFormat.tokens(tokens, genesis), id: "account-balance")
        body += NetworkPage.card("Credits", ExplorerFormat.group(credits.description), id: "account-credits")
        body += NetworkPage.card("Devices", "\(devices.count)", id: "account-devices")
        body += "</div>"
        if let payoutAddress { body += "<p>Payout address: <code>\(HTMLPage.escape(payoutAddress))</code></p>" }
        if let claim {
            body += "<h2>Claimable on chain</h2><p id=\"claim\">Cumulative \(ExplorerFormat.tokens(claim.cumulative, genesis)) "
            body += "as of epoch \(claim.epoch), root <code>\(HTMLPage.escape(claim.root))</code></p>"
            body += "<p class=\"muted\">Proof (OpenZeppelin StandardMerkleTree): "
            body += claim.proof.map { "<code>\(HTMLPage.escape($0))</code>" }.joined(separator: " ") + "</p>"
        }
        body += "<h2>Devices</h2>" + HTMLPage.table(
            "account-device-list", headers: ["device", "kind"],
            rows: devices.map { [HTMLPage.link("/devices/\($0[0])", $0[0]), HTMLPage.escape($0[1])] })
        body += "<h2>Transactions</h2>" + HTMLPage.table(
            "transactions", headers: ["entry", "time", "kind", "tokens (base units)", "credits"],
            rows: transactions.map {
                ["\($0.sequence)", ExplorerFormat.time($0.timeMs), HTMLPage.escape($0.kind), $0.tokens, $0.credits]
            })
        return HTMLPage(title: "Account", body: body).html
    }
}
