import Foundation

/// The token's price from epoch to epoch: a geometric random walk (drift and volatility, scaled
/// to the epoch's length) plus the burn-and-mint feedback, where a net burn (supply shrinking)
/// lifts the log price and a net mint lowers it, in proportion to the change in supply.
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

    /// Moves to the next epoch's price, given the epoch's burn, mint and supply in whole tokens.
    public mutating func step(burned: Double, minted: Double, supply: Double) {
        let sigma = process.volatilityPerYear
        let noise = random.normal()
        var change = (process.driftPerYear - sigma * sigma / 2) * years + sigma * years.squareRoot() * noise
        if supply > 0 { change += process.burnElasticity * (burned - minted) / supply }
        // Keep the price finite and positive whatever the parameters.
        priceUSD = min(max(priceUSD * exp(change), 1e-12), 1e12)
    }
}
