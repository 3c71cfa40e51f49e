import Core
import Geo
import Ledger

extension Scenario {
    /// Reads a scenario file. Every problem is a `GenesisError` naming its line (the scenario is
    /// written in the genesis's TOML dialect and read by the same reader); an unknown key is
    /// refused, as a typo would otherwise be silently ignored.
    public init(toml text: String) throws(GenesisError) {
        let root = try TOMLParser(text).parse()
        var reader = GenesisTableReader(root, name: "scenario")
        var simulation = GenesisTableReader(try reader.table("simulation") ?? TOMLTable(), name: "simulation")
        epochs = Int(try simulation.integer("epochs", default: 365, in: 1...100_000))
        seed = UInt64(try simulation.integer("seed", default: 1, in: 0...Int64.max))
        tiers = Int(try simulation.integer("tiers", default: 10, in: 1...1_000))
        powerUSDPerKWh = try simulation.number("power_usd_per_kwh", default: 0.15, in: 0...100)
        try simulation.rejectUnknownKeys()

        guard let priceTable = try reader.table("price") else {
            throw GenesisError(line: 0, "the scenario needs a [price] table with initial_usd")
        }
        var priceReader = GenesisTableReader(priceTable, name: "price")
        price = Price(
            initialUSD: try priceReader.number("initial_usd", in: 1e-12...1e12),
            driftPerYear: try priceReader.number("drift_per_year", default: 0, in: -10...10),
            volatilityPerYear: try priceReader.number("volatility_per_year", default: 0, in: 0...10),
            marketDepthUSD: priceReader.table["market_depth_usd"] == nil
                ? nil : try priceReader.number("market_depth_usd", in: 1...1e15),
            operatorSellShare: try priceReader.number("operator_sell_share", default: 0.5, in: 0...1),
            creditsPerUSD: priceReader.table["credits_per_usd"] == nil
                ? nil : try priceReader.number("credits_per_usd", in: 1e-9...1e15))
        try priceReader.rejectUnknownKeys()

        demand = [:]
        if let demandTable = try reader.table("demand") {
            var services = GenesisTableReader(demandTable, name: "demand")
            for name in demandTable.keys {
                guard let table = try services.table(name) else { continue }
                var one = GenesisTableReader(table, name: "demand.\(name)")
                demand[name] = Demand(
                    usdPerEpoch: try one.number("usd_per_epoch", in: 0...1e15),
                    growthPerYear: try one.number("growth_per_year", default: 0, in: -0.99...1_000),
                    deviceElasticity: try one.number("device_elasticity", default: 0, in: 0...10))
                try one.rejectUnknownKeys()
            }
        }

        shocks = []
        for table in try reader.tables("shock") {
            var one = GenesisTableReader(table, name: "shock")
            shocks.append(
                Shock(
                    startEpoch: Int(try one.integer("start_epoch", in: 0...100_000)),
                    epochs: Int(try one.integer("epochs", in: 1...100_000)),
                    factor: try one.number("factor", in: 0...1_000)))
            try one.rejectUnknownKeys()
        }

        fleets = []
        guard let kindsTable = try reader.table("kinds"), !kindsTable.keys.isEmpty else {
            throw GenesisError(line: 0, "the scenario needs at least one [kinds.KIND] table")
        }
        var kindsReader = GenesisTableReader(kindsTable, name: "kinds")
        for name in kindsTable.keys {
            guard let table = try kindsReader.table(name) else { continue }
            guard let kind = DeviceKind(name: name) else {
                throw GenesisError(
                    line: table.line,
                    "unknown device kind '\(name)'; kinds are \(DeviceKind.allNamed.map(\.name).joined(separator: ", "))")
            }
            var one = GenesisTableReader(table, name: "kinds.\(name)")
            let initial = Int(try one.integer("initial", in: 0...100_000_000))
            let maxDevices = one.table["max_devices"] == nil
                ? nil : Int(try one.integer("max_devices", in: 0...100_000_000))
            fleets.append(
                Fleet(
                    kind: kind, initial: initial,
                    hardwareCostUSD: try one.number("hardware_cost_usd", in: 0...1e9),
                    powerWatts: try one.number("power_watts", default: 0, in: 0...1e6),
                    uptime: try Self.range(&one, "uptime_min", "uptime_max", default: 1...1)!,
                    maxGrowthPerEpoch: try one.number("max_growth_per_epoch", default: 0, in: 0...1),
                    paybackTargetEpochs: try one.number("payback_target_epochs", default: 365, in: 1...1e6),
                    churnPerEpoch: try one.number("churn_per_epoch", default: 0, in: 0...1),
                    unprofitableChurnPerEpoch: try one.number("unprofitable_churn_per_epoch", default: 0, in: 0...1),
                    maxDevices: maxDevices))
            try one.rejectUnknownKeys()
        }

        regions = []
        for table in try reader.tables("region") {
            var one = GenesisTableReader(table, name: "region")
            let name = try one.string("name")
            let cellText = try one.string("cell")
            let cell: H3Cell
            do { cell = try H3Cell(parsing: cellText) } catch {
                throw GenesisError(line: table["cell"]?.line ?? table.line, "region \(name): '\(cellText)' is not an H3 cell")
            }
            regions.append(
                Region(
                    name: name, cell: cell, share: try one.number("share", in: 0...1),
                    uptime: try Self.range(&one, "uptime_min", "uptime_max", default: nil)))
            try one.rejectUnknownKeys()
        }
        if regions.reduce(0, { $0 + $1.share }) > 1 + 1e-9 {
            throw GenesisError(line: 0, "the regions' shares add up to more than 1")
        }
        try reader.rejectUnknownKeys()
    }

    /// An uptime range from two keys, each between 0 and 1, the first not above the second.
    private static func range(
        _ reader: inout GenesisTableReader, _ low: String, _ high: String, default fallback: ClosedRange<Double>?
    ) throws(GenesisError) -> ClosedRange<Double>? {
        guard reader.table[low] != nil || reader.table[high] != nil else { return fallback }
        let lower = try reader.number(low, default: fallback?.lowerBound ?? 1, in: 0...1)
        let upper = try reader.number(high, default: max(lower, fallback?.upperBound ?? 1), in: 0...1)
        guard lower <= upper else {
            throw GenesisError(line: reader.table[high]?.line ?? reader.line, "'\(low)' is above '\(high)'")
        }
        return lower...upper
    }
}
