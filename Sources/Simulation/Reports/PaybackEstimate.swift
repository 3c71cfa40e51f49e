import Foundation

/// A hardware owner's question: when does my device pay for itself? From the runs of a
/// scenario, each following the owner's device, the dollars it earned per epoch less its power:
/// the payback time in each run, its distribution, and the cumulative net at checkpoints.
public struct PaybackEstimate: Sendable {
    /// What the device cost, dollars.
    public let hardwareCostUSD: Double
    /// Its power per epoch, dollars.
    public let powerPerEpochUSD: Double
    /// Per run, dollars earned less power, cumulative, after each epoch.
    public let cumulativeNet: [[Double]]
    /// Per run, the epochs it took to pay back the hardware, or nil when it did not within the runs.
    public let paybackEpochs: [Int?]

    /// The estimate from `runs`, each with the owner's device tracked.
    public init(runs: [SimulationRun], hardwareCostUSD: Double, powerPerEpochUSD: Double) {
        self.hardwareCostUSD = hardwareCostUSD
        self.powerPerEpochUSD = powerPerEpochUSD
        var cumulative: [[Double]] = []
        var payback: [Int?] = []
        for run in runs {
            var total = 0.0
            var series: [Double] = []
            var paidAt: Int?
            for (epoch, earned) in run.trackedUSD.enumerated() {
                total += earned - powerPerEpochUSD
                series.append(total)
                if paidAt == nil, total >= hardwareCostUSD { paidAt = epoch + 1 }
            }
            cumulative.append(series)
            payback.append(paidAt)
        }
        cumulativeNet = cumulative
        paybackEpochs = payback
    }

    /// Epochs each run covers.
    public var horizon: Int { cumulativeNet.map(\.count).min() ?? 0 }

    /// The share of runs in which the device paid back within the horizon.
    public var paidBackShare: Double {
        paybackEpochs.isEmpty ? 0 : Double(paybackEpochs.count { $0 != nil }) / Double(paybackEpochs.count)
    }

    /// The payback time at `fraction` of the runs (0.5: the median), nil when at least that
    /// share of runs did not pay back within the horizon.
    public func payback(at fraction: Double) -> Int? {
        let sorted = paybackEpochs.map { $0 ?? .max }.sorted()
        guard !sorted.isEmpty else { return nil }
        let value = sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
        return value == .max ? nil : value
    }

    /// The table `depin sim earnings` prints.
    public func table(epochSeconds: Int) -> String {
        let days = Double(epochSeconds) / 86_400
        func describe(_ epochs: Int?) -> String {
            guard let epochs else { return "not within \(horizon) epochs" }
            return String(format: "%d epochs (%.0f days)", epochs, Double(epochs) * days)
        }
        var lines = [
            String(format: "hardware $%.2f, power $%.4f per epoch, %d runs of %d epochs", hardwareCostUSD, powerPerEpochUSD,
                   cumulativeNet.count, horizon),
            String(format: "paid back within the horizon in %.0f%% of runs", paidBackShare * 100),
            "",
            "payback time",
            "  optimistic (10th percentile)  \(describe(payback(at: 0.1)))",
            "  median                        \(describe(payback(at: 0.5)))",
            "  pessimistic (90th percentile) \(describe(payback(at: 0.9)))",
            "",
            "cumulative earnings less power, dollars",
            "  epoch        p10        median       p90",
        ]
        for epoch in checkpoints {
            let values = cumulativeNet.map { $0[epoch - 1] }.sorted()
            lines.append(
                String(
                    format: "  %5d %10.2f %12.2f %10.2f", epoch, RunBands.percentile(values, 0.1),
                    RunBands.percentile(values, 0.5), RunBands.percentile(values, 0.9)))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// About twelve evenly spaced epochs, ending with the last.
    var checkpoints: [Int] {
        guard horizon > 0 else { return [] }
        let step = max(1, horizon / 12)
        var points = Array(stride(from: step, through: horizon, by: step))
        if points.last != horizon { points.append(horizon) }
        return points
    }

    /// The cumulative net with its 5th–95th percentile band against the hardware's cost.
    public var chart: SVGChart {
        let bands = RunBands(cumulativeNet)
        return SVGChart(
            title: "Your device: earnings less power, cumulative (\(cumulativeNet.count) runs)", unit: "USD",
            series: [
                .init(name: "median", values: bands.p50, band: (bands.p5, bands.p95)),
                .init(name: "hardware cost", values: bands.p50.map { _ in hardwareCostUSD }, dashed: true),
            ])
    }
}
