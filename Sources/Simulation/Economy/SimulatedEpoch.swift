import Core

/// One epoch of a simulation run: the fleet, the token's flows and price, demand, and what a
/// device of each kind earned.
public struct SimulatedEpoch: Sendable, Equatable {
    /// What the devices of one kind earned in the epoch, per device, in whole tokens.
    public struct Earnings: Sendable, Equatable {
        /// The 10th percentile.
        public var p10: Double
        /// The median.
        public var median: Double
        /// The 90th percentile.
        public var p90: Double

        /// Percentiles of per-device earnings.
        public init(p10: Double, median: Double, p90: Double) {
            self.p10 = p10
            self.median = median
            self.p90 = p90
        }

        /// Nobody earned.
        public static let none = Earnings(p10: 0, median: 0, p90: 0)
    }

    /// The epoch.
    public var epoch: Int
    /// Active devices per fleet (the scenario's order).
    public var devices: [Int]
    /// Devices added at the end of the epoch, per fleet.
    public var added: [Int]
    /// Devices switched off at the end of the epoch, per fleet.
    public var removed: [Int]
    /// The engine's emission.
    public var emission: Amount
    /// Tokens minted (emission less pools carried forward, plus pools carried in and paid).
    public var minted: Amount
    /// Tokens customers burned for credits.
    public var burned: Amount
    /// Supply after the epoch: allocations plus every mint less every burn.
    public var supply: Amount
    /// The token's price during the epoch, dollars.
    public var priceUSD: Double
    /// What customers spent, dollars.
    public var demandUSD: Double
    /// Credits they bought.
    public var credits: Amount
    /// Per-device earnings by fleet.
    public var earnings: [Earnings]

    /// Emission less burn, in base units (negative when more was burned than emitted).
    public var netEmission: (negative: Bool, amount: Amount) {
        emission >= burned
            ? (false, (try? emission.subtracting(burned)) ?? .zero) : (true, (try? burned.subtracting(emission)) ?? .zero)
    }

    /// Every active device.
    public var totalDevices: Int { devices.reduce(0, +) }
}
