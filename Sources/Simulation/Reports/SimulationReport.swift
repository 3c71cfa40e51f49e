import Core
import Foundation
import Ledger

/// What `depin sim` writes: a CSV per epoch, percentile bands when there are several runs, SVG
/// charts of the main series and a short summary, as file names and their text.
public struct SimulationReport: Sendable {
    /// The rules.
    public let genesis: Genesis
    /// The world.
    public let scenario: Scenario
    /// The runs, the first being the one the CSV and the single-run charts show.
    public let runs: [SimulationRun]
    /// How each service was scored, a line each.
    public let scoring: [String]
    /// The percentile bands over the runs of price, supply, devices, burn and net emission.
    private let bandSeries: [(String, RunBands)]

    /// A report of `simulation`'s `runs`.
    public init(_ simulation: EconomySimulation, runs: [SimulationRun]) {
        genesis = simulation.genesis
        scenario = simulation.scenario
        scoring = simulation.scoring
        self.runs = runs
        var scale = 1.0
        for _ in 0..<simulation.genesis.token.decimals { scale *= 10 }
        let tokens = { (amount: Amount) in Double(amount.units) / scale }
        bandSeries = [
            ("price_usd", RunBands(runs.map { $0.epochs.map(\.priceUSD) })),
            ("supply", RunBands(runs.map { $0.epochs.map { tokens($0.supply) } })),
            ("devices", RunBands(runs.map { $0.epochs.map { Double($0.totalDevices) } })),
            ("burned", RunBands(runs.map { $0.epochs.map { tokens($0.burned) } })),
            ("net_emission", RunBands(runs.map { $0.epochs.map { tokens($0.emission) - tokens($0.burned) } })),
        ]
    }

    private var decimals: Int { genesis.token.decimals }
    private var scale: Double { pow(10, Double(decimals)) }
    private func tokens(_ amount: Amount) -> Double { Double(amount.units) / scale }

    /// Every file, by name (relative to the output folder).
    public var files: [String: String] {
        var files = ["epochs.csv": epochsCSV, "summary.txt": summary]
        if runs.count > 1 { files["bands.csv"] = bandsCSV }
        for (name, chart) in charts { files["charts/\(name).svg"] = chart.svg() }
        return files
    }

    /// One row per epoch of the first run. Token amounts are exact decimals; earnings are tokens
    /// per device.
    public var epochsCSV: String {
        guard let run = runs.first else { return "" }
        let kinds = scenario.fleets.map(\.kind.name)
        var header = ["epoch", "devices"] + kinds.map { "devices_\($0)" } + kinds.map { "added_\($0)" }
            + kinds.map { "removed_\($0)" }
        header += ["emission", "minted", "burned", "net_emission", "supply", "price_usd", "demand_usd", "credits"]
        for kind in kinds { header += ["earn_p10_\(kind)", "earn_median_\(kind)", "earn_p90_\(kind)"] }
        var lines = [header.joined(separator: ",")]
        for row in run.epochs {
            let net = row.netEmission
            var fields = ["\(row.epoch)", "\(row.totalDevices)"] + row.devices.map(String.init) + row.added.map(String.init)
                + row.removed.map(String.init)
            fields += [
                row.emission.formatted(decimals: decimals), row.minted.formatted(decimals: decimals),
                row.burned.formatted(decimals: decimals), (net.negative ? "-" : "") + net.amount.formatted(decimals: decimals),
                row.supply.formatted(decimals: decimals), String(format: "%.6g", row.priceUSD),
                String(format: "%.2f", row.demandUSD), row.credits.description,
            ]
            for earning in row.earnings {
                fields += [earning.p10, earning.median, earning.p90].map { String(format: "%.6g", $0) }
            }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The 5th, 50th and 95th percentiles across runs, per epoch, of price, supply, devices,
    /// burn and net emission.
    public var bandsCSV: String {
        let series = bandSeries
        var header = ["epoch"]
        for (name, _) in series { header += ["\(name)_p5", "\(name)_p50", "\(name)_p95"] }
        var lines = [header.joined(separator: ",")]
        for epoch in 0..<(series.first?.1.p50.count ?? 0) {
            var fields = ["\(epoch)"]
            for (_, bands) in series {
                fields += [bands.p5[epoch], bands.p50[epoch], bands.p95[epoch]].map { String(format: "%.6g", $0) }
            }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The charts, by name.
    public var charts: [(String, SVGChart)] {
        guard let run = runs.first else { return [] }
        let symbol = genesis.token.symbol
        let banded = runs.count > 1
        let bands = Dictionary(uniqueKeysWithValues: bandSeries)
        func series(_ name: String, _ key: String, _ values: [Double]) -> SVGChart.Series {
            guard banded, let band = bands[key] else { return .init(name: name, values: values) }
            return .init(name: name + " (median, 5th–95th)", values: band.p50, band: (band.p5, band.p95))
        }
        var devices = scenario.fleets.indices.map { index in
            SVGChart.Series(name: scenario.fleets[index].kind.name, values: run.epochs.map { Double($0.devices[index]) })
        }
        devices.insert(series("all devices", "devices", run.epochs.map { Double($0.totalDevices) }), at: 0)
        let cap = tokens(genesis.token.supplyCap)
        let earnings = scenario.fleets.indices.map { index in
            SVGChart.Series(
                name: scenario.fleets[index].kind.name, values: run.epochs.map { $0.earnings[index].median * $0.priceUSD },
                band: (run.epochs.map { $0.earnings[index].p10 * $0.priceUSD }, run.epochs.map { $0.earnings[index].p90 * $0.priceUSD }))
        }
        return [
            ("devices", SVGChart(title: "Active devices" + (banded ? ", 5th–95th percentile over \(runs.count) runs" : ""), unit: "devices", series: devices)),
            ("flows", SVGChart(title: "Emission and burn per epoch (run 1)", unit: symbol, series: [
                .init(name: "emission", values: run.epochs.map { tokens($0.emission) }),
                .init(name: "burned", values: run.epochs.map { tokens($0.burned) }),
                .init(name: "net emission", values: run.epochs.map { tokens($0.emission) - tokens($0.burned) }),
            ])),
            ("supply", SVGChart(title: "Supply against the cap", unit: symbol, series: [
                series("supply", "supply", run.epochs.map { tokens($0.supply) }),
                .init(name: "cap", values: run.epochs.map { _ in cap }, dashed: true),
            ])),
            ("price", SVGChart(title: "Token price", unit: "USD per \(symbol)", series: [
                series("price", "price_usd", run.epochs.map(\.priceUSD))
            ])),
            ("earnings", SVGChart(title: "Earnings per device per epoch, median with 10th–90th percentile (run 1)", unit: "USD", series: earnings)),
        ]
    }

    /// A few lines on how the network fared.
    public var summary: String {
        guard let run = runs.first, let last = run.epochs.last, let first = run.epochs.first else { return "" }
        let symbol = genesis.token.symbol
        var lines: [String] = []
        lines.append(
            "\(genesis.token.name) (\(symbol)): \(scenario.epochs) epochs of \(genesis.epochs.lengthSeconds) s, seed \(run.seed), "
                + "\(runs.count) run\(runs.count == 1 ? "" : "s")")
        lines.append("")
        lines.append("scoring")
        lines += scoring.map { "  " + $0 }
        lines.append("")
        lines.append("devices (run 1)")
        for (index, fleet) in run.fleets.enumerated() {
            let paid = String(format: "%.0f%%", fleet.paidBack * 100)
            lines.append(
                "  \(fleet.kind): \(first.devices[index]) at the start, \(last.devices[index]) at the end; "
                    + "\(fleet.deployed) deployed, \(paid) paid back their hardware; median net per device $"
                    + String(format: "%.2f", fleet.medianNetUSD))
        }
        let emitted = run.epochs.reduce(Amount.zero) { (try? $0.adding($1.emission)) ?? $0 }
        let burned = run.epochs.reduce(Amount.zero) { (try? $0.adding($1.burned)) ?? $0 }
        let demand = run.epochs.reduce(0.0) { $0 + $1.demandUSD }
        lines.append("")
        lines.append("token (run 1)")
        lines.append("  emitted \(emitted.formatted(decimals: decimals)) \(symbol), burned \(burned.formatted(decimals: decimals)) \(symbol)")
        let share = tokens(last.supply) / max(tokens(genesis.token.supplyCap), 1e-30) * 100
        lines.append(
            "  supply \(last.supply.formatted(decimals: decimals)) \(symbol), " + String(format: "%.2f%%", share)
                + " of the cap \(genesis.token.supplyCap.formatted(decimals: decimals))")
        let prices = run.epochs.map(\.priceUSD)
        lines.append(
            String(
                format: "  price $%.4g at the start, $%.4g at the end (lowest $%.4g, highest $%.4g)", first.priceUSD,
                last.priceUSD, prices.min() ?? 0, prices.max() ?? 0))
        lines.append(String(format: "  customers spent $%.2f", demand))
        if runs.count > 1 {
            let finals = runs.compactMap { $0.epochs.last }
            let price = finals.map(\.priceUSD).sorted()
            let devices = finals.map { Double($0.totalDevices) }.sorted()
            let supply = finals.map { tokens($0.supply) }.sorted()
            lines.append("")
            lines.append("at the end, over \(runs.count) runs (5th, 50th, 95th percentile)")
            lines.append(String(format: "  price $%.4g, $%.4g, $%.4g", RunBands.percentile(price, 0.05), RunBands.percentile(price, 0.5), RunBands.percentile(price, 0.95)))
            lines.append(String(format: "  devices %.0f, %.0f, %.0f", RunBands.percentile(devices, 0.05), RunBands.percentile(devices, 0.5), RunBands.percentile(devices, 0.95)))
            lines.append(
                "  supply " + [0.05, 0.5, 0.95].map { SVGChart.compact(RunBands.percentile(supply, $0)) }.joined(separator: ", ")
                    + " \(symbol)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
