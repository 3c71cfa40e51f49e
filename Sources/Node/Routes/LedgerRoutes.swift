import Core
import Foundation
import Hummingbird
import Ledger
import Logging
import Prometheus
import Store

/// Transactions, accounts, the journal, the burn quote and ledger verification.
struct LedgerRoutes {
    let state: NodeState

    struct AppliedView: Encodable {
        var sequence: UInt64
        var kind: String
        var hash: String
    }

    struct QuoteView: Encodable {
        var tokens: Amount
        var credits: Amount
        var creditsPerToken: Amount
        var priceSource: String
        var priceTimestampMs: Int64?
        var oracle: String?
        var signature: String?
    }

    func add(to router: Router<BasicRequestContext>) {
        router.post("/v1/transactions") { request, _ in
            let transaction = try await WireBody.decode(
                Transaction.self, from: request, limit: state.configuration.maxBodyBytes,
                malformedCode: "malformed_transaction")
            // Only a verified signer is charged: a forged transaction cannot spend another's budget.
            if let signer = try? transaction.verifySignature() { try state.throttle(account: signer.address) }
            do {
                let entry = try await state.store.apply(transaction, rules: state.rules, nowMs: state.clock.nowMs())
                state.metrics.transactionsAccepted.increment()
                state.logger.info(
                    "transaction applied", metadata: ["sequence": "\(entry.sequence)", "kind": "\(entry.kind.rawValue)"])
                return try JSONBody.response(
                    AppliedView(sequence: entry.sequence, kind: entry.kind.rawValue, hash: entry.hash.hexString))
            } catch let error as TransactionError {
                state.metrics.transactionsRejected.increment()
                throw NodeError.coded(error.code.rawValue, error.message)
            }
        }
        router.get("/v1/accounts/{address}") { _, context in
            let address = try Self.address(context.parameters.get("address") ?? "")
            guard let account = try await state.store.account(address) else {
                throw NodeError.coded("account_not_found", "no account \(address) has appeared on this network")
            }
            return try JSONBody.response(AccountView(account))
        }
        router.get("/v1/accounts/{address}/devices") { _, context in
            let address = try Self.address(context.parameters.get("address") ?? "")
            return try JSONBody.response(try await state.store.devices(ownedBy: address).map(DeviceView.init))
        }
        router.get("/v1/journal") { request, _ in
            let from = request.uri.queryParameters.get("from", as: UInt64.self) ?? 1
            let limit = min(request.uri.queryParameters.get("limit", as: Int.self) ?? 100, 1_000)
            guard limit > 0 else { throw NodeError.coded("invalid_limit", "limit is between 1 and 1000") }
            return try JSONBody.response(try await state.store.journal(from: from, limit: limit).map(JournalEntryView.init))
        }
        router.get("/v1/credits/quote") { request, _ in
            guard let text = request.uri.queryParameters.get("tokens") else {
                throw NodeError.coded("missing_tokens", "name the burn: ?tokens=BASE_UNITS")
            }
            let tokens: Amount
            do throws(AmountError) { tokens = try Amount(parsing: text) } catch {
                throw NodeError.coded("invalid_amount", "tokens: \(error.message)")
            }
            let price = try await state.store.burnPrice(genesis: state.genesis, nowMs: state.clock.nowMs())
            return try JSONBody.response(
                QuoteView(
                    tokens: tokens, credits: state.rules.quote(tokens: tokens, creditsPerToken: price.creditsPerToken),
                    creditsPerToken: price.creditsPerToken, priceSource: price.source.rawValue,
                    priceTimestampMs: price.timestampMs, oracle: price.oracle?.description, signature: price.signature))
        }
        router.post("/v1/credits/price") { request, _ in
            let quote = try await WireBody.decode(
                PriceQuote.self, from: request, limit: 4_096, malformedCode: "malformed_price")
            do {
                try await state.store.recordPrice(quote, genesis: state.genesis, nowMs: state.clock.nowMs())
            } catch let error as TransactionError {
                throw NodeError.coded(error.code.rawValue, error.message)
            }
            let price = try await state.store.burnPrice(genesis: state.genesis, nowMs: state.clock.nowMs())
            state.logger.info("burn price set", metadata: ["credits_per_token": "\(price.creditsPerToken)"])
            return try JSONBody.response(price)
        }
        router.get("/v1/ledger/verify") { _, _ in
            let result = try await state.store.verifyLedger(rules: state.rules)
            return try JSONBody.response(result, status: result.isSound ? .ok : .internalServerError)
        }
    }

    static func address(_ text: String) throws -> Address {
        do { return try Address(parsing: text) } catch {
            throw NodeError.coded("invalid_address", error.message)
        }
    }
}
