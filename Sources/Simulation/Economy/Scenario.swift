import Core
import Geo

/// What a simulation assumes about the world outside the rules: how many devices of each kind
/// there are and what they cost, what customers spend, how the token's price moves, and what
/// goes wrong. The genesis gives the rules; the scenario gives the world. Read from a TOML
/// file (`Scenario(toml:)`); docs/simulation.md lists every key.
public struct Scenario: Sendable, Equatable {
    /// The token price's process: a geometric random walk plus the market's response to what
    /// customers buy (to burn) and what operators sell (of their rewards).
    public struct Price: Sendable, Equatable {
        /// The price at epoch 0, US dollars per whole token.
        public var initialUSD: Double
        /// Expected yearly log return, before the feedback (0: no trend).
        public var driftPerYear: Double
        /// Yearly volatility (standard deviation of the yearly log return), e.g. 0.9 for 90%.
        public var volatilityPerYear: Double
        /// The dollars of net buying that lift the log price by 1 (a price-impact depth); nil: the
        /// price ignores burn and mint.
        public var marketDepthUSD: Double?
        /// The share of their rewards operators sell each epoch (to pay for power and hardware).
        public var operatorSellShare: Double
        /// Credits a customer gets per US dollar (Helium's data credit is $0.00001: 100,000);
        /// nil: the genesis's credits per token at the initial price.
        public var creditsPerUSD: Double?

        /// A price process.
        public init(
            initialUSD: Double, driftPerYear: Double = 0, volatilityPerYear: Double = 0, marketDepthUSD: Double? = nil,
            operatorSellShare: Double = 0.5, creditsPerUSD: Double? = nil
        ) {
            self.initialUSD = initialUSD
            self.driftPerYear = driftPerYear
            self.volatilityPerYear = volatilityPerYear
            self.marketDepthUSD = marketDepthUSD
            self.operatorSellShare = operatorSellShare
            self.creditsPerUSD = creditsPerUSD
        }
    }

    /// What customers of one service spend.
    public struct Demand: Sendable, Equatable {
        /// Dollars spent in epoch 0.
        public var usdPerEpoch: Double
        /// Yearly growth, compounded per epoch (1.0: doubling each year).
        public var growthPerYear: Double
        /// The flywheel: demand scales with (the service's devices / their initial count) to this
        /// power (0: demand ignores the network's size).
        public var deviceElasticity: Double

        /// A demand curve.
        public init(usdPerEpoch: Double, growthPerYear: Double = 0, deviceElasticity: Double = 0) {
            self.usdPerEpoch = usdPerEpoch
            self.growthPerYear = growthPerYear
            self.deviceElasticity = deviceElasticity
        }
    }

    /// A period of low (or high) demand across every service.
    public struct Shock: Sendable, Equatable {
        /// Its first epoch.
        public var startEpoch: Int
        /// How many epochs it lasts.
        public var epochs: Int
        /// Demand is multiplied by this while it lasts (0.2: a fall of 80%).
        public var factor: Double

        /// A shock.
        public init(startEpoch: Int, epochs: Int, factor: Double) {
            self.startEpoch = startEpoch
            self.epochs = epochs
            self.factor = factor
        }

        /// Whether it is in force in `epoch`.
        public func covers(_ epoch: Int) -> Bool { epoch >= startEpoch && epoch < startEpoch + epochs }
    }

    /// A kind of device: its fleet, its costs and how its owners decide.
    public struct Fleet: Sendable, Equatable {
        /// The kind.
        public var kind: DeviceKind
        /// Devices at epoch 0.
        public var initial: Int
        /// What one device costs to buy and install, dollars.
        public var hardwareCostUSD: Double
        /// Its average power draw, watts.
        public var powerWatts: Double
        /// Devices are online this share of the time, spread evenly over the quality tiers.
        public var uptime: ClosedRange<Double>
        /// At most this share of the fleet is added in an epoch (when a device pays back at least
        /// twice as fast as the target).
        public var maxGrowthPerEpoch: Double
        /// The payback (in epochs) at which buyers add half the maximum.
        public var paybackTargetEpochs: Double
        /// The share of devices switched off each epoch whatever happens.
        public var churnPerEpoch: Double
        /// The extra share switched off each epoch while a device earns less than its power costs.
        public var unprofitableChurnPerEpoch: Double
        /// No more devices than this (nil: no limit).
        public var maxDevices: Int?

        /// A fleet.
        public init(
            kind: DeviceKind, initial: Int, hardwareCostUSD: Double, powerWatts: Double = 0,
            uptime: ClosedRange<Double> = 1...1, maxGrowthPerEpoch: Double = 0, paybackTargetEpochs: Double = 365,
            churnPerEpoch: Double = 0, unprofitableChurnPerEpoch: Double = 0, maxDevices: Int? = nil
        ) {
            self.kind = kind
            self.initial = initial
            self.hardwareCostUSD = hardwareCostUSD
            self.powerWatts = powerWatts
            self.uptime = uptime
            self.maxGrowthPerEpoch = maxGrowthPerEpoch
            self.paybackTargetEpochs = paybackTargetEpochs
            self.churnPerEpoch = churnPerEpoch
            self.unprofitableChurnPerEpoch = unprofitableChurnPerEpoch
            self.maxDevices = maxDevices
        }
    }

    /// A place where devices are better (or worse) placed: a share of each fleet's devices is
    /// there, with its own uptime range.
    public struct Region: Sendable, Equatable {
        /// Its name.
        public var name: String
        /// The H3 cell it covers (any resolution).
        public var cell: H3Cell
        /// The share of new devices placed in it.
        public var share: Double
        /// The uptime of its devices (nil: the fleet's own).
        public var uptime: ClosedRange<Double>?

        /// A region.
        public init(name: String, cell: H3Cell, share: Double, uptime: ClosedRange<Double>? = nil) {
            self.name = name
            self.cell = cell
            self.share = share
            self.uptime = uptime
        }
    }

    /// Epochs to run.
    public var epochs: Int
    /// The random seed: a given seed always gives the same run.
    public var seed: UInt64
    /// Quality tiers per kind and region: devices of one tier behave alike and are scored as one
    /// cohort (1 to 1000).
    public var tiers: Int
    /// Electricity, dollars per kWh.
    public var powerUSDPerKWh: Double
    /// The token price.
    public var price: Price
    /// Demand by genesis service name.
    public var demand: [String: Demand]
    /// Shocks to demand.
    public var shocks: [Shock]
    /// Fleets by kind, in the order written.
    public var fleets: [Fleet]
    /// Regions, in the order written.
    public var regions: [Region]

    /// A scenario.
    public init(
        epochs: Int, seed: UInt64 = 1, tiers: Int = 10, powerUSDPerKWh: Double = 0.15, price: Price,
        demand: [String: Demand] = [:], shocks: [Shock] = [], fleets: [Fleet], regions: [Region] = []
    ) {
        self.epochs = epochs
        self.seed = seed
        self.tiers = tiers
        self.powerUSDPerKWh = powerUSDPerKWh
        self.price = price
        self.demand = demand
        self.shocks = shocks
        self.fleets = fleets
        self.regions = regions
    }

    /// Demand's multiplier in `epoch` from the shocks in force.
    public func shockFactor(epoch: Int) -> Double {
        shocks.reduce(1.0) { $1.covers(epoch) ? $0 * $1.factor : $0 }
    }

    /// The region `cell` lies in (the first listed that contains it), or nil.
    public func region(containing cell: H3Cell) -> Int? {
        regions.firstIndex { region in
            region.cell.resolution <= cell.resolution
                && (try? cell.parent(at: region.cell.resolution)) == region.cell
        }
    }
}
