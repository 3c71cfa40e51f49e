import Core

/// One run of a scenario: an epoch row each, how each fleet ended, and (for an earnings
/// estimate) what the tracked device earned.
public struct SimulationRun: Sendable {
    /// How one fleet's devices fared over the run.
    public struct FleetOutcome: Sendable, Equatable {
        /// The kind's name.
        public var kind: String
        /// Devices ever deployed.
        public var deployed: Int
        /// Devices still on at the end.
        public var active: Int
        /// The share of deployed devices whose earnings, less power, covered their hardware by
        /// the end (or by when they were switched off).
        public var paidBack: Double
        /// Median dollars earned per device over its life, less power.
        public var medianNetUSD: Double
    }

    /// The seed the run used.
    public var seed: UInt64
    /// One row per epoch.
    public var epochs: [SimulatedEpoch]
    /// Per fleet, in the scenario's order.
    public var fleets: [FleetOutcome]
    /// What the tracked device earned each epoch, dollars at that epoch's price (empty without one).
    public var trackedUSD: [Double]
    /// The same in whole tokens.
    public var trackedTokens: [Double]
}
