import Core
import Ledger

/// The mapping service's rules, read from its genesis table (`[services.mapping]`), with
/// defaults from Hivemapper's open dashcam filters where it publishes them (docs/mapping.md).
public struct MappingParameters: Sendable, Equatable {
    /// The least NMEA fix quality a fix may have (1: a GPS fix).
    public var minFixQuality: UInt32 = 1
    /// The least fix mode (3: three-dimensional) where the receiver reports one.
    public var minFixMode: UInt32 = 3
    /// The least satellites in use (Hivemapper: 4).
    public var minSatellites: UInt32 = 4
    /// The most horizontal dilution of precision (Hivemapper: 4).
    public var maxHDOP: Double = 4
    /// Slower than this, metres per second, a fix does not map (Hivemapper: about 0.2).
    public var minSpeedMps: Double = 0.2
    /// Faster than this a fix is implausible for a car (Hivemapper: about 40).
    public var maxSpeedMps: Double = 40
    /// Consecutive fixes implying more than this speed are a teleport, metres per second.
    public var maxImpliedSpeedMps: Double = 60
    /// Frames are taken about this far apart, metres; one nearer than half of it to the last
    /// counted frame maps nothing new.
    public var frameSpacingM: Double = 8
    /// How far in the future (after the report's own time) a fix may be dated, milliseconds.
    public var clockSkewMs: Int64 = 60_000
    /// How old a fix may be when it arrives, seconds (Hivemapper: uploaded within 3 days).
    public var maxAgeSeconds: Int64 = 259_200
    /// The resolution of the road cells a drive marks (H3 12, about 300 m² each).
    public var cellResolution: Int = 12
    /// How much of each trip's start and end the dashcam drops, metres.
    public var privacyTrimM: Double = 100
    /// Fixes a segment may carry.
    public var maxFixesPerSegment: Int = 3_600
    /// How long a mapped cell stays fresh, seconds: mapping it again sooner earns in proportion
    /// to its age, and only fresh cells count as map progress (Hivemapper: roads unmapped for 7
    /// days or more earn the most).
    public var freshnessSeconds: Int64 = 604_800
    /// The least a refreshed cell weighs, permille of a stale one (a cell mapped an hour ago
    /// adds little, but not nothing).
    public var minRefreshWeight: Int = 100
    /// The resolution of the regions whose map progress sets their multiplier (H3 6, about 36 km²).
    public var regionResolution: Int = 6
    /// The multiplier a customer's bounty gives cells in its area, permille.
    public var bountyMultiplier: Int = 2_000
    /// Credits a coverage query costs per cell it returns.
    public var creditsPerCoverageCell: Int64 = 1
    /// Credits a frames query costs per cell.
    public var creditsPerFramesQuery: Int64 = 10

    /// The defaults.
    public init() {}

    /// Reads `service`'s table; an unknown key or a value out of range is an error naming its line.
    public init(service: Genesis.Service) throws(GenesisError) {
        let known: Set<String> = [
            "min_fix_quality", "min_fix_mode", "min_satellites", "max_hdop", "min_speed_mps", "max_speed_mps",
            "max_implied_speed_mps", "frame_spacing_m", "clock_skew_ms", "max_age_s", "cell_resolution", "privacy_trim_m",
            "max_fixes_per_segment", "freshness_s", "min_refresh_weight", "region_resolution", "bounty_multiplier",
            "credits_per_coverage_cell", "credits_per_frames_query",
        ]
        let reader = try ServiceParameterReader(service, known: known, what: "mapping service")
        let integer = reader.integer, number = reader.number
        if let value = try integer("min_fix_quality", 0...8) { minFixQuality = UInt32(value) }
        if let value = try integer("min_fix_mode", 0...3) { minFixMode = UInt32(value) }
        if let value = try integer("min_satellites", 0...64) { minSatellites = UInt32(value) }
        if let value = try number("max_hdop", 0.1...100) { maxHDOP = value }
        if let value = try number("min_speed_mps", 0...100) { minSpeedMps = value }
        if let value = try number("max_speed_mps", 0.1...1_000) { maxSpeedMps = value }
        if let value = try number("max_implied_speed_mps", 0.1...10_000) { maxImpliedSpeedMps = value }
        if let value = try number("frame_spacing_m", 0.1...1_000) { frameSpacingM = value }
        if let value = try integer("clock_skew_ms", 0...3_600_000) { clockSkewMs = value }
        if let value = try integer("max_age_s", 1...31_536_000) { maxAgeSeconds = value }
        if let value = try integer("cell_resolution", 7...15) { cellResolution = Int(value) }
        if let value = try number("privacy_trim_m", 0...10_000) { privacyTrimM = value }
        if let value = try integer("max_fixes_per_segment", 2...100_000) { maxFixesPerSegment = Int(value) }
        if let value = try integer("freshness_s", 60...31_536_000) { freshnessSeconds = value }
        if let value = try number("min_refresh_weight", 0...1) { minRefreshWeight = Int((value * 1_000).rounded()) }
        if let value = try integer("region_resolution", 0...14) { regionResolution = Int(value) }
        if let value = try number("bounty_multiplier", 1...10) { bountyMultiplier = Int((value * 1_000).rounded()) }
        if let value = try integer("credits_per_coverage_cell", 0...1_000_000_000) { creditsPerCoverageCell = value }
        if let value = try integer("credits_per_frames_query", 0...1_000_000_000) { creditsPerFramesQuery = value }
        guard regionResolution < cellResolution else {
            throw GenesisError(line: reader.table.line, "\(reader.prefix): region_resolution must be below cell_resolution")
        }
        guard minSpeedMps < maxSpeedMps else {
            throw GenesisError(line: reader.table.line, "\(reader.prefix): min_speed_mps must be below max_speed_mps")
        }
    }
}
