import Foundation

/// The token's price from epoch to epoch: a geometric random walk (drift and volatility, scaled
/// to the epoch's length) plus the market's answer to the epoch's flows. Customers buy tokens to
/// burn for credits (the dollars they spend); operators sell a share of what was minted to them.
/// The net, over the market's depth, moves the log price, so the price is drawn towards the
/// burn-and-mint equilibrium where the two are equal: demand = sell share × minted × price.
/// It draws from its own generator, so two scenarios with the same seed see the same market
/// noise and differ only by what they change.
public struct PriceWalk: Sendable {
    /// The price now, dollars per whole token.
    public private(set) var priceUSD: Double
    private let process: Scenario.Price
    private let years: Double
    private var random: SeededGenerator

    /// A walk starting at the scenario's initial price, with epochs of `epochSeconds`.
    public init(_ process: Scenario.Price, epochSeconds: Int, seed: UInt64) {
        self.process = process
        priceUSD = process.initialUSD
        years = Double(epochSeconds) / 31_536_000
        random = SeededGenerator(seed: seed ^ 0x5052_4943_4550_4154)
    }

    /// Moves to the next epoch's price, given the dollars customers spent on burns and the whole
    /// tokens minted in the epoch.
    public mutating func step(demandUSD: Double, mintedTokens: Double) {
        let sigma = process.volatilityPerYear
        let noise = random.normal()
        var change = (process.driftPerYear - sigma * sigma / 2) * years + sigma * years.squareRoot() * noise
        if let depth = process.marketDepthUSD {
            let netBuying = demandUSD - process.operatorSellShare * mintedTokens * priceUSD
            // At most a factor e either way in one epoch, however thin the market.
            change += min(max(netBuying / depth, -1), 1)
        }
        priceUSD = min(max(priceUSD * exp(change), 1e-12), 1e12)
    }
}
