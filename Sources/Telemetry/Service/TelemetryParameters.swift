import Core
import Ledger

/// The telemetry service's rules, read from its genesis table (`[services.telemetry]`), with
/// defaults from DIMO's published rules where it publishes them (docs/telemetry.md).
public struct TelemetryParameters: Sendable, Equatable {
    /// One streak level: reached after `epochs` good epochs in a row, worth `bonus` points.
    public struct Level: Sendable, Equatable {
        public var epochs: Int64
        public var bonus: Int64
    }

    /// Points a vehicle earns for an epoch connected with good data (DIMO: 6,000 a week for an
    /// OBD unit).
    public var vehiclePoints: Int64 = 6_000
    /// Points a meter earns for an epoch connected with good data.
    public var meterPoints: Int64 = 2_000
    /// Points per verified kWh a meter exported in the epoch.
    public var pointsPerKWh: Int64 = 100
    /// The streak levels, lowest first (DIMO DIP-2: level 2 after 4 weeks, 3 after 21, 4 after 36,
    /// +1,000 points a level). `streak_levels = [[0, 0], [4, 1000], [21, 2000], [36, 3000]]`.
    public var levels: [Level] = [
        Level(epochs: 0, bonus: 0), Level(epochs: 4, bonus: 1_000), Level(epochs: 21, bonus: 2_000),
        Level(epochs: 36, bonus: 3_000),
    ]
    /// Missed epochs in a row that cost one level (DIMO: 3 weeks).
    public var missesPerLevel: Int64 = 3
    /// The least share of a device's batches that must pass, permille, for its epoch to count.
    public var minQuality: Int64 = 800
    /// Samples a batch may carry.
    public var maxSamples: Int = 3_600
    /// The closest two samples may be, milliseconds.
    public var minIntervalMs: Int64 = 500
    /// The widest median gap between samples, seconds.
    public var maxIntervalSeconds: Int64 = 600
    /// How old a sample may be when it arrives, seconds.
    public var maxAgeSeconds: Int64 = 86_400
    /// Identical samples in a row that mean a frozen source.
    public var frozenSamples: Int = 10
    /// The fastest the odometer may advance, km/h.
    public var maxOdometerKph: Double = 250
    /// How far the energy counter may differ from the power readings integrated, percent.
    public var energyTolerancePercent: Int64 = 20

    /// Credits a developer pays per read of a device's telemetry, to the device as usage.
    public var creditsPerQuery: Int64 = 5

    /// The defaults.
    public init() {}

    /// Reads `service`'s table; an unknown key or a value out of range is an error naming its line.
    public init(service: Genesis.Service) throws(GenesisError) {
        let known: Set<String> = [
            "vehicle_points", "meter_points", "points_per_kwh", "streak_levels", "misses_per_level", "min_quality",
            "max_samples", "min_interval_ms", "max_interval_s", "max_age_s", "frozen_samples", "max_odometer_kph",
            "energy_tolerance_percent", "credits_per_query",
        ]
        let reader = try ServiceParameterReader(service, known: known, what: "telemetry service")
        let integer = reader.integer
        if let value = try integer("vehicle_points", 0...1_000_000_000) { vehiclePoints = value }
        if let value = try integer("meter_points", 0...1_000_000_000) { meterPoints = value }
        if let value = try integer("points_per_kwh", 0...1_000_000) { pointsPerKWh = value }
        if let rows = try reader.integerRows("streak_levels", width: 2, rows: 1...20, 0...1_000_000_000) {
            levels = rows.map { Level(epochs: $0[0], bonus: $0[1]) }
            guard levels[0].epochs == 0, zip(levels, levels.dropFirst()).allSatisfy({ $0.epochs < $1.epochs }) else {
                throw GenesisError(
                    line: reader.table["streak_levels"]?.line ?? reader.table.line,
                    "\(reader.prefix).streak_levels starts at 0 epochs and rises: [[0, bonus], [epochs, bonus], …]")
            }
        }
        if let value = try integer("misses_per_level", 1...1_000) { missesPerLevel = value }
        if let value = try integer("min_quality", 0...1_000) { minQuality = value }
        if let value = try integer("max_samples", 1...100_000) { maxSamples = Int(value) }
        if let value = try integer("min_interval_ms", 1...3_600_000) { minIntervalMs = value }
        if let value = try integer("max_interval_s", 1...86_400) { maxIntervalSeconds = value }
        if let value = try integer("max_age_s", 1...31_536_000) { maxAgeSeconds = value }
        if let value = try integer("frozen_samples", 2...10_000) { frozenSamples = Int(value) }
        if let value = try reader.number("max_odometer_kph", 1...2_000) { maxOdometerKph = value }
        if let value = try integer("energy_tolerance_percent", 0...100) { energyTolerancePercent = value }
        if let value = try integer("credits_per_query", 0...1_000_000_000) { creditsPerQuery = value }
    }
}
