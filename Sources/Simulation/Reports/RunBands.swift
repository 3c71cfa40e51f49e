/// Percentile bands over Monte Carlo runs: for each epoch, the 5th, 50th and 95th percentile of
/// a series across the runs.
public struct RunBands: Sendable, Equatable {
    /// The 5th percentile per epoch.
    public var p5: [Double]
    /// The median per epoch.
    public var p50: [Double]
    /// The 95th percentile per epoch.
    public var p95: [Double]

    /// The bands of `series` (one array per run, each a value per epoch).
    public init(_ series: [[Double]]) {
        let epochs = series.map(\.count).min() ?? 0
        var p5: [Double] = [], p50: [Double] = [], p95: [Double] = []
        for epoch in 0..<epochs {
            let values = series.map { $0[epoch] }.sorted()
            p5.append(Self.percentile(values, 0.05))
            p50.append(Self.percentile(values, 0.5))
            p95.append(Self.percentile(values, 0.95))
        }
        self.p5 = p5
        self.p50 = p50
        self.p95 = p95
    }

    /// The `fraction` percentile of sorted `values`, interpolated between neighbours.
    public static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let position = Double(values.count - 1) * fraction
        let below = Int(position.rounded(.down))
        let above = min(below + 1, values.count - 1)
        return values[below] + (values[above] - values[below]) * (position - Double(below))
    }
}
