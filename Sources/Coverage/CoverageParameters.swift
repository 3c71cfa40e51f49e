import Core
import Ledger

/// The coverage service's rules and prices, read from its genesis table (`[services.coverage]`),
/// each with a default taken from Helium where Helium has one (docs/coverage.md names them).
public struct CoverageParameters: Sendable, Equatable {
    /// One resolution's density rule (HIP-17): the neighbour threshold N, the target and the
    /// maximum number of hotspots a hex at that resolution is paid for.
    public struct DensityRule: Sendable, Equatable {
        public var resolution: Int
        public var neighbors: Int
        public var target: Int
        public var max: Int

        public init(resolution: Int, neighbors: Int, target: Int, max: Int) {
            self.resolution = resolution
            self.neighbors = neighbors
            self.target = target
            self.max = max
        }
    }

    /// Seconds between published entropies.
    public var entropyIntervalSeconds: Int64 = 60
    /// How old an entropy may be when a beacon uses it, seconds.
    public var entropyMaxAgeSeconds: Int64 = 180
    /// Clock skew allowed between devices and the node, milliseconds.
    public var clockSkewMs: Int64 = 2_000
    /// A hotspot beacons at most once per this many seconds.
    public var beaconIntervalSeconds: Int64 = 21_600
    /// How long after a beacon a witness may hear it, milliseconds.
    public var witnessWindowMs: Int64 = 10_000
    /// Witnesses nearer than this to the beaconer do not count, metres (Helium: 8 res-11 cells, about 300 m).
    public var minWitnessDistanceM: Double = 300
    /// Witnesses farther than this do not count, metres (Helium: 100 km).
    public var maxWitnessDistanceM: Double = 100_000
    /// Witnesses rewarded per beacon (Helium: 14).
    public var maxWitnesses: Int = 14
    /// A beacon's rewarded witnesses are at most one per cell at this resolution.
    public var witnessCellResolution: Int = 10
    /// How far above free-space path loss a received signal may be, dB.
    public var rssiMarginDb: Double = 6
    /// How far a witness's reported position may be from its asserted one, metres.
    public var locationToleranceM: Double = 500
    /// The resolution of the cell a witness and its beaconer may not share.
    public var sameCellResolution: Int = 12
    /// Reports from a hotspot within this long after it asserts a new location do not count, seconds.
    public var locationTrustSeconds: Int64 = 86_400
    /// Payload bytes per credit (Helium: 24).
    public var bytesPerCredit: Int64 = 24
    /// The beacons' share of proof-of-coverage rewards, percent; witnesses get the rest (Helium: 20).
    public var beaconPercent: Int64 = 20
    /// Devices whose reports never count.
    public var denylist: Set<Address> = []
    /// HIP-17's density rules, finest resolution first.
    public var density: [DensityRule] = CoverageParameters.helium17
    /// The resolution hotspots are counted at before density rolls up (HIP-17: 11).
    public var densityBaseResolution: Int = 11

    /// HIP-17's table: res 10 up to res 4, (N, target, max).
    public static let helium17: [DensityRule] = [
        .init(resolution: 10, neighbors: 2, target: 1, max: 1), .init(resolution: 9, neighbors: 2, target: 1, max: 2),
        .init(resolution: 8, neighbors: 2, target: 1, max: 4), .init(resolution: 7, neighbors: 2, target: 5, max: 20),
        .init(resolution: 6, neighbors: 1, target: 25, max: 100),
        .init(resolution: 5, neighbors: 1, target: 100, max: 400),
        .init(resolution: 4, neighbors: 1, target: 250, max: 800),
    ]

    /// The defaults.
    public init() {}

    /// Keys the engine itself reads from every service table.
    static let engineKeys: Set<String> = ["usage_share_percent", "usage_capped_at_burn_value"]

    /// Reads `service`'s table; an unknown key or a value out of range is an error naming its line.
    public init(service: Genesis.Service) throws(GenesisError) {
        let table = service.parameters
        let prefix = "services.\(service.name)"
        func integer(_ key: String, _ range: ClosedRange<Int64>) throws(GenesisError) -> Int64? {
            guard let entry = table[key] else { return nil }
            guard case .integer(let value) = entry.value, range.contains(value) else {
                throw GenesisError(line: entry.line, "\(prefix).\(key) is an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return value
        }
        func number(_ key: String, _ range: ClosedRange<Double>) throws(GenesisError) -> Double? {
            guard let entry = table[key] else { return nil }
            let value: Double
            switch entry.value {
            case .integer(let whole): value = Double(whole)
            case .float(let real): value = real
            default: throw GenesisError(line: entry.line, "\(prefix).\(key) is a number")
            }
            guard range.contains(value) else {
                throw GenesisError(line: entry.line, "\(prefix).\(key) is within \(range.lowerBound)...\(range.upperBound)")
            }
            return value
        }
        let known: Set<String> = [
            "entropy_interval_s", "entropy_max_age_s", "clock_skew_ms", "beacon_interval_s", "witness_window_ms",
            "min_witness_distance_m", "max_witness_distance_m", "max_witnesses", "witness_cell_resolution", "rssi_margin_db",
            "location_tolerance_m", "same_cell_resolution", "location_trust_s", "assert_location_fee_credits",
            "bytes_per_credit", "beacon_percent", "denylist", "density", "density_base_resolution",
        ]
        for key in table.keys where !known.contains(key) && !Self.engineKeys.contains(key) {
            throw GenesisError(
                line: table[key]?.line ?? table.line,
                "unknown key \(prefix).\(key); the coverage service reads \(known.sorted().joined(separator: ", "))")
        }
        if let value = try integer("entropy_interval_s", 1...86_400) { entropyIntervalSeconds = value }
        if let value = try integer("entropy_max_age_s", 1...604_800) { entropyMaxAgeSeconds = value }
        if let value = try integer("clock_skew_ms", 0...600_000) { clockSkewMs = value }
        if let value = try integer("beacon_interval_s", 1...604_800) { beaconIntervalSeconds = value }
        if let value = try integer("witness_window_ms", 1...600_000) { witnessWindowMs = value }
        if let value = try number("min_witness_distance_m", 0...1_000_000) { minWitnessDistanceM = value }
        if let value = try number("max_witness_distance_m", 1...10_000_000) { maxWitnessDistanceM = value }
        if let value = try integer("max_witnesses", 1...1_000) { maxWitnesses = Int(value) }
        if let value = try number("rssi_margin_db", 0...100) { rssiMarginDb = value }
        if let value = try integer("witness_cell_resolution", 0...15) { witnessCellResolution = Int(value) }
        if let value = try number("location_tolerance_m", 0...1_000_000) { locationToleranceM = value }
        if let value = try integer("same_cell_resolution", 0...15) { sameCellResolution = Int(value) }
        if let value = try integer("location_trust_s", 0...31_536_000) { locationTrustSeconds = value }
        // The ledger charges it (TransactionRules); checked here so a bad value is refused at start.
        _ = try integer("assert_location_fee_credits", 0...Int64.max)
        if let value = try integer("bytes_per_credit", 1...1_000_000) { bytesPerCredit = value }
        if let value = try integer("beacon_percent", 0...100) { beaconPercent = value }
        if let value = try integer("density_base_resolution", 1...15) { densityBaseResolution = Int(value) }
        guard minWitnessDistanceM < maxWitnessDistanceM else {
            throw GenesisError(line: table.line, "\(prefix): min_witness_distance_m must be below max_witness_distance_m")
        }
        if let entry = table["denylist"] {
            guard case .array(let items) = entry.value else {
                throw GenesisError(line: entry.line, "\(prefix).denylist is an array of device addresses")
            }
            var list: Set<Address> = []
            for item in items {
                guard case .string(let text) = item, let address = try? Address(parsing: text) else {
                    throw GenesisError(line: entry.line, "\(prefix).denylist holds device addresses (depin1…)")
                }
                list.insert(address)
            }
            denylist = list
        }
        if let entry = table["density"] {
            density = try Self.densityRules(entry, prefix: prefix, base: densityBaseResolution)
        }
    }

    /// `density = [[10, 2, 1, 1], [9, 2, 1, 2], …]`: [resolution, N, target, max] rows, finest first.
    private static func densityRules(_ entry: TOMLTable.Entry, prefix: String, base: Int) throws(GenesisError) -> [DensityRule] {
        let message = "\(prefix).density is an array of [resolution, N, target, max] rows, finest resolution first, each coarser than density_base_resolution"
        guard case .array(let rows) = entry.value else { throw GenesisError(line: entry.line, message) }
        var rules: [DensityRule] = []
        for row in rows {
            guard case .array(let cells) = row, cells.count == 4 else { throw GenesisError(line: entry.line, message) }
            var numbers: [Int] = []
            for cell in cells {
                guard case .integer(let value) = cell, value >= 0, value <= 1_000_000 else {
                    throw GenesisError(line: entry.line, message)
                }
                numbers.append(Int(value))
            }
            let rule = DensityRule(resolution: numbers[0], neighbors: numbers[1], target: numbers[2], max: numbers[3])
            guard rule.resolution < (rules.last?.resolution ?? base), rule.max >= 1 else {
                throw GenesisError(line: entry.line, message)
            }
            rules.append(rule)
        }
        return rules
    }
}
