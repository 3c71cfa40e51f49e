import Core
import Foundation

/// The price burns are quoted at: credits per whole token, from the newest fresh oracle quote or,
/// failing one, the genesis default.
public struct BurnPrice: Sendable, Equatable, Codable {
    /// Where the price comes from.
    public enum Source: String, Sendable, Codable {
        /// `[credits] per_token` in the genesis.
        case genesis
        /// A signed oracle quote no older than `[credits] max_price_age_seconds`.
        case oracle
    }

    /// Credits made per whole token burned.
    public var creditsPerToken: Amount
    /// Where it comes from.
    public var source: Source
    /// When the oracle quoted it (nil for the genesis price).
    public var timestampMs: Int64?
    /// The oracle that signed it.
    public var oracle: Address?
    /// The oracle's signature, hex.
    public var signature: String?

    /// The price in force at `nowMs`, given the newest stored oracle quote.
    public static func current(genesis: Genesis, latest: PriceQuote?, nowMs: Int64) -> BurnPrice {
        if let latest, latest.timestampMs >= nowMs - Int64(genesis.maxPriceAgeSeconds) * 1000,
            let price = try? Amount(parsing: latest.creditsPerToken), price > .zero,
            let oracle = try? PublicKey(rawRepresentation: latest.oracle)
        {
            return BurnPrice(
                creditsPerToken: price, source: .oracle, timestampMs: latest.timestampMs, oracle: oracle.address,
                signature: latest.signature.hexString)
        }
        return BurnPrice(creditsPerToken: genesis.creditsPerToken, source: .genesis)
    }

    /// Checks an oracle's quote before it is stored: a genesis oracle's valid signature, a
    /// positive price, a time neither ahead of the clock nor too old, and newer than `latest`.
    public static func check(_ quote: PriceQuote, genesis: Genesis, latest: PriceQuote?, nowMs: Int64)
        throws(TransactionError)
    {
        let oracle: PublicKey
        do { oracle = try quote.verifySignature() } catch { throw TransactionError(.badSignature, error.message) }
        guard genesis.oracles.contains(oracle) else {
            throw TransactionError(.unknownOracle, "\(oracle) is not an oracle of this network")
        }
        let price: Amount
        do { price = try Amount(parsing: quote.creditsPerToken) } catch {
            throw TransactionError(.invalidAmount, "credits per token: \(error.message)")
        }
        guard price > .zero else { throw TransactionError(.invalidAmount, "credits per token must be more than zero") }
        guard quote.timestampMs <= nowMs + Int64(genesis.reports.maxFutureSeconds) * 1000,
            quote.timestampMs >= nowMs - Int64(genesis.maxPriceAgeSeconds) * 1000
        else {
            throw TransactionError(.timestampOutOfWindow, "the quote's time is too far from the node's clock")
        }
        if let latest, quote.timestampMs <= latest.timestampMs {
            throw TransactionError(.stalePrice, "a newer or equally new price is already in force")
        }
    }
}
